/* global $ */
// Runs before the lesson (validate, and the app on a fresh start): a namespace left over from an
// earlier run would make the first step's check pass before the learner does anything.
// `$` is zx's, provided by kubelab: this folder installs nothing.
await $`kubectl delete namespace config-demo --ignore-not-found --wait=true`;
