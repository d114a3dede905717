#!/usr/bin/env node
// `kubelab reset identities --cleanup`: the binding, jane's certificate request or (on EKS) her
// access entry and IAM role, her kubeconfig entries and her files; each step tolerates what is
// already gone.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';

$.verbose = true;
const workspace = process.env.KUBELAB_WORKSPACE;
if (!workspace) throw new Error('KUBELAB_WORKSPACE is not set: run this through `kubelab reset identities --cleanup`');
const quiet = async (run) => {
  try {
    await run();
  } catch {
    // Already gone.
  }
};

await $`kubectl delete clusterrolebinding workshop-viewers --ignore-not-found`;
if (process.env.KUBELAB_PROVIDER === 'eks') {
  const cluster = process.env.CLUSTER_NAME;
  const region = process.env.AWS_REGION;
  const account = (await $`aws sts get-caller-identity --query Account --output text`).stdout.trim();
  await quiet(() => $`aws eks delete-access-entry --cluster-name ${cluster} --region ${region} --principal-arn arn:aws:iam::${account}:role/workshop-viewer`);
  await quiet(() => $`aws iam delete-role --role-name workshop-viewer`);
} else {
  await $`kubectl delete csr jane --ignore-not-found`;
}
await quiet(() => $`kubectl config delete-context jane`);
await quiet(() => $`kubectl config delete-user jane`);
for (const file of ['jane.key', 'jane.csr', 'jane.crt', 'viewer-trust.json']) rmSync(join(workspace, file), { force: true });
