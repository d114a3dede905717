#!/usr/bin/env node
// `kubelab reset pod-security --cleanup`: the lesson's two namespaces, and the pods in them.
import { $ } from 'zx';

$.verbose = true;
await $`kubectl delete namespace psa-demo psa-warn --ignore-not-found --wait=true`;
