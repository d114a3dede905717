#!/usr/bin/env node
// `kubelab reset microservices --cleanup`: deletes what this lesson created, whatever step the
// learner reached. --ignore-not-found makes it safe to run twice.
import { $ } from 'zx';

$.verbose = true;
await $`kubectl delete service ecsdemo-frontend ecsdemo-crystal ecsdemo-nodejs --ignore-not-found`;
await $`kubectl delete deployment ecsdemo-frontend ecsdemo-crystal ecsdemo-nodejs --ignore-not-found --wait`;
