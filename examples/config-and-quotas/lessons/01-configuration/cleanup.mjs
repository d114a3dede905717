/* global $ */
// `kubelab reset configuration --cleanup`: removes what this lesson created.
// `$` is zx's, provided by kubelab: this folder installs nothing.
await $`kubectl delete namespace config-demo --ignore-not-found --wait=true`;
