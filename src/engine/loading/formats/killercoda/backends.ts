/**
 * Killercoda's backends (`backend.imageid`) as kubelab sees them: whether the scenario needs a
 * cluster, and which nodes, by name and role, it expects to find there.
 */

export interface ScenarioNode {
  name: string;
  controlPlane: boolean;
  /** kubeadm's control-plane taint: kept on the 2-node backend, removed on the 1-node one (as killercoda does). */
  tainted: boolean;
}

export interface Backend {
  imageid: string;
  /** false for `ubuntu`: a plain machine, no cluster to talk to. */
  cluster: boolean;
  nodes: ScenarioNode[];
}

const CONTROL_PLANE: ScenarioNode = { name: 'controlplane', controlPlane: true, tainted: false };

/**
 * The backend an id stands for. Retired ids (`kubernetes-k3s-*`, Katacoda's
 * `kubernetes-cluster-running:1.x`) and variants (`-4GB`, `-rapid`) fall back on their prefix, as
 * killercoda maps them; an id with no known prefix is taken for the 1-node cluster, with a warning.
 */
export function backendOf(imageid: unknown, warn: (message: string) => void): Backend {
  const id = typeof imageid === 'string' ? imageid : '';
  if (!id) return { imageid: 'kubernetes-kubeadm-1node', cluster: true, nodes: [CONTROL_PLANE] };
  if (/^kubernetes-kubeadm-2nodes?/.test(id)) {
    return { imageid: id, cluster: true, nodes: [{ ...CONTROL_PLANE, tainted: true }, { name: 'node01', controlPlane: false, tainted: false }] };
  }
  if (/^(kubernetes|k3s|k8s)/.test(id)) return { imageid: id, cluster: true, nodes: [CONTROL_PLANE] };
  if (/^(ubuntu|debian|centos|linux)/.test(id)) return { imageid: id, cluster: false, nodes: [] };
  warn(`backend "${id}" is not one kubelab knows: it is run as kubernetes-kubeadm-1node`);
  return { imageid: id, cluster: true, nodes: [CONTROL_PLANE] };
}

/**
 * Node objects for kwok to simulate, named and labelled as kubeadm names them, so a scenario's
 * `nodeName: node01` or `kubectl get node controlplane` finds them on the local cluster.
 */
export function nodesManifest(backend: Backend): string {
  return backend.nodes
    .map((node) =>
      [
        'apiVersion: v1',
        'kind: Node',
        'metadata:',
        `  name: ${node.name}`,
        '  annotations:',
        '    kwok.x-k8s.io/node: fake',
        '    node.alpha.kubernetes.io/ttl: "0"',
        '  labels:',
        '    type: kwok',
        '    kubernetes.io/os: linux',
        '    kubernetes.io/arch: amd64',
        `    kubernetes.io/hostname: ${node.name}`,
        ...(node.controlPlane ? ['    node-role.kubernetes.io/control-plane: ""'] : []),
        'spec:',
        ...(node.tainted ? ['  taints:', '  - key: node-role.kubernetes.io/control-plane', '    effect: NoSchedule'] : ['  taints: []']),
      ].join('\n'),
    )
    .join('\n---\n');
}
