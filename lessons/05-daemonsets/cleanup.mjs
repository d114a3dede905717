#!/usr/bin/env node
// `kubelab reset daemonsets --cleanup`: the namespace, the disktype labels this lesson put on
// nodes, and (on the local cluster) the simulated node it added.
import { $ } from 'zx';

$.verbose = true;
await $`kubectl delete namespace ds-demo --ignore-not-found --wait=true`;
await $`kubectl label nodes --all disktype-`;
if ((process.env.KUBELAB_PROVIDER ?? 'local') === 'local') await $`kubectl delete node kubelab-extra --ignore-not-found`;
