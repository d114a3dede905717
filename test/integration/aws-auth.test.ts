/**
 * eks-user-mapped's aws-auth path against a real API server: the ConfigMap lives in the local
 * cluster's kube-system and is read with real credentials (an anonymous login gets the
 * apiserver's own 403). EKS itself cannot run here; its DescribeCluster/ListAccessEntries answers
 * come from aws-sdk-client-mock, as moto 5.2 has no access entries.
 */
import { readFileSync } from 'node:fs';
import { DescribeClusterCommand, EKSClient, ListAccessEntriesCommand, type AuthenticationMode } from '@aws-sdk/client-eks';
import * as k8s from '@kubernetes/client-node';
import { mockClient } from 'aws-sdk-client-mock';
import { parse, stringify } from 'yaml';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { eksUserMapped } from '../../checkers/eks/access.js';
import { eksCheckContext } from '../support/eks-check-context.js';
import { adminKubeConfig } from '../support/kube.js';

const eksMock = mockClient(EKSClient);
const ACCOUNT = '111122223333';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/rbac-user`;
const NODE_ROLE = { rolearn: `arn:aws:iam::${ACCOUNT}:role/NodeInstanceRole`, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] };
const core = adminKubeConfig().makeApiClient(k8s.CoreV1Api);

function clusterIn(mode: AuthenticationMode | undefined) {
  eksMock.on(DescribeClusterCommand).resolves({
    cluster: { name: 'eks-workshop', arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/eks-workshop`, status: 'ACTIVE', accessConfig: mode ? { authenticationMode: mode } : undefined },
  });
}

/** Puts kube-system/aws-auth in the real cluster with this data, or deletes it. */
async function awsAuth(data: Record<string, string> | undefined): Promise<void> {
  await core.deleteNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' }).catch(() => undefined);
  if (data) await core.createNamespacedConfigMap({ namespace: 'kube-system', body: { metadata: { name: 'aws-auth' }, data } });
}

const admin = () => readFileSync(inject('kubeconfig'), 'utf8');
/** The same cluster and CA, no credentials: the apiserver sees system:anonymous. */
function anonymous(): string {
  const config = parse(admin());
  config.users = [{ name: 'anonymous', user: {} }];
  config.contexts = [{ name: 'anonymous', context: { cluster: config.clusters[0].name, user: 'anonymous' } }];
  config['current-context'] = 'anonymous';
  return stringify(config);
}

const run = (args: Record<string, unknown>, kubeconfig = admin()) =>
  eksUserMapped.run(eksCheckContext(async () => new EKSClient({ region: 'us-west-2' }), kubeconfig), eksUserMapped.args.parse(args));

afterEach(() => eksMock.reset());
afterAll(() => awsAuth(undefined));

describe('eks-user-mapped through a real aws-auth ConfigMap', () => {
  it('Given mapUsers has rbac-user and mapRoles keeps the nodes, when checked in CONFIG_MAP mode, then it passes without warning', async () => {
    clusterIn(undefined);
    await awsAuth({ mapRoles: stringify([NODE_ROLE]), mapUsers: stringify([{ userarn: USER_ARN, username: 'rbac-user' }]) });
    expect(await run({ cluster: 'eks-workshop', kubernetesUsername: 'rbac-user' })).toMatchObject({ status: 'pass', message: 'aws-auth for IAM user rbac-user maps to Kubernetes user rbac-user' });
  });

  it('Given aws-auth was replaced and lost the node role, when checked, then it passes but warns that nodes cannot join', async () => {
    clusterIn('CONFIG_MAP');
    await awsAuth({ mapUsers: stringify([{ userarn: USER_ARN, username: 'rbac-user' }]) });
    const result = await run({ cluster: 'eks-workshop', kubernetesUsername: 'rbac-user' });
    expect(result.status).toBe('pass');
    expect(result.message).toContain('warning: aws-auth has no mapRoles entry for system:nodes');
  });

  it('Given API_AND_CONFIG_MAP, no access entry and a mapUsers entry, when checked, then aws-auth satisfies it', async () => {
    clusterIn('API_AND_CONFIG_MAP');
    eksMock.on(ListAccessEntriesCommand).resolves({ accessEntries: [] });
    await awsAuth({ mapUsers: stringify([{ userarn: USER_ARN, username: 'rbac-user', groups: ['readers'] }]) });
    const result = await run({ cluster: 'eks-workshop', groups: ['readers'] });
    expect(result.status).toBe('pass');
    expect(result.message).not.toContain('warning');
  });

  it('Given mapUsers maps someone else, when checked, then it fails listing who is mapped', async () => {
    clusterIn(undefined);
    await awsAuth({ mapRoles: stringify([NODE_ROLE]), mapUsers: stringify([{ userarn: `arn:aws:iam::${ACCOUNT}:user/alice`, username: 'alice' }]) });
    expect(await run({ cluster: 'eks-workshop' })).toMatchObject({ status: 'fail', expected: USER_ARN, actual: `arn:aws:iam::${ACCOUNT}:user/alice` });
  });

  it('Given no aws-auth ConfigMap, when checked in CONFIG_MAP mode, then it fails saying there is no mapping', async () => {
    clusterIn(undefined);
    await awsAuth(undefined);
    expect(await run({ cluster: 'eks-workshop' })).toMatchObject({ status: 'fail', message: 'IAM user rbac-user is not mapped: no access entry and no aws-auth ConfigMap in kube-system' });
  });

  it('Given credentials that may not read aws-auth, when checked, then the check is broken (the apiserver\'s 403), not failed', async () => {
    clusterIn(undefined);
    await awsAuth({ mapUsers: stringify([{ userarn: USER_ARN, username: 'rbac-user' }]) });
    expect(await run({ cluster: 'eks-workshop' }, anonymous())).toMatchObject({ status: 'error', message: 'Cannot read ConfigMap aws-auth in kube-system (HTTP 403).' });
  });

  it('Given mapUsers with broken YAML, when checked, then it fails pointing at the YAML', async () => {
    clusterIn(undefined);
    await awsAuth({ mapUsers: '- userarn: x\n  username: [unclosed' });
    const result = await run({ cluster: 'eks-workshop' });
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/^aws-auth in kube-system is not valid YAML/);
  });
});
