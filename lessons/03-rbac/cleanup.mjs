#!/usr/bin/env node
// `kubelab reset rbac --cleanup`: removes everything this lesson created, from whatever step the
// learner reached; each command tolerates what is already gone.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';

$.verbose = true;
const workspace = process.env.KUBELAB_WORKSPACE;
if (!workspace) throw new Error('KUBELAB_WORKSPACE is not set: run this through `kubelab reset rbac --cleanup`');
const quiet = async (run) => {
  try {
    await run();
  } catch {
    // Already gone.
  }
};

await $`kubectl delete namespace rbac-test --ignore-not-found --wait=true`;
if (process.env.KUBELAB_PROVIDER === 'eks') {
  const cluster = process.env.CLUSTER_NAME;
  const region = process.env.AWS_REGION;
  const account = (await $`aws sts get-caller-identity --query Account --output text`).stdout.trim();
  await quiet(() => $`aws eks delete-access-entry --cluster-name ${cluster} --region ${region} --principal-arn arn:aws:iam::${account}:user/rbac-user`);
  const keyFile = join(workspace, 'rbac-user-key.json');
  if (existsSync(keyFile)) {
    const id = JSON.parse(readFileSync(keyFile, 'utf8')).AccessKey.AccessKeyId;
    await quiet(() => $`aws iam delete-access-key --user-name rbac-user --access-key-id ${id}`);
  }
  await quiet(() => $`aws iam delete-user --user-name rbac-user`);
} else {
  await $`kubectl delete csr rbac-user --ignore-not-found`;
}
// Only what is there is deleted: on a clean cluster `delete-context` would print an error for nothing.
const contexts = (await $({ quiet: true })`kubectl config get-contexts -o name`).stdout.split('\n');
if (contexts.includes('rbac-user')) await $`kubectl config delete-context rbac-user`;
const users = (await $({ quiet: true })`kubectl config view -o jsonpath={.users[*].name}`).stdout.split(/\s+/);
if (users.includes('rbac-user')) await $`kubectl config delete-user rbac-user`;
for (const file of ['rbac-user.key', 'rbac-user.csr', 'rbac-user.crt', 'rbac-user-key.json']) rmSync(join(workspace, file), { force: true });
