#!/usr/bin/env node
// `kubelab reset loadbalancer --cleanup`: the Service first, so that on EKS its load balancer is
// released before the namespace goes.
import { $ } from 'zx';

$.verbose = true;
await $`kubectl delete service nginx -n lb-demo --ignore-not-found --wait=true`;
await $`kubectl delete namespace lb-demo --ignore-not-found --wait=true`;
