// `kubelab reset namespaces-and-quotas --cleanup`: removes what this lesson created.
import { $ } from 'zx';

await $`kubectl delete namespace quota-demo --ignore-not-found --wait=true`;
