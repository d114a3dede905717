/**
 * The one home of the local control plane's version and binaries: scripts/build-control-plane.sh
 * builds the same (its KUBELAB_K8S_VERSION default), and test/unit/providers checks the two agree.
 */
export const CONTROL_PLANE_VERSION = 'v1.33.13';
export const CONTROL_PLANE_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok', 'kwokctl'] as const;
