#!/usr/bin/env node
// `kubelab reset labels --cleanup`: everything this lesson made lives in one namespace.
import { $ } from 'zx';

$.verbose = true;
await $`kubectl delete namespace labels-demo --ignore-not-found --wait=true`;
