#!/usr/bin/env node
// `kubelab reset cluster --cleanup`: this lesson created only the cluster, and deleting it is a
// decision the learner makes explicitly. Say how, rather than deleting a cluster others may use.
console.log('This lesson created only the cluster. Delete it when you are done with every lesson:');
console.log(`  kubelab cluster down --provider ${process.env.KUBELAB_PROVIDER ?? 'local'}`);
