import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  EKSClient,
  EKSServiceException,
  ListAccessEntriesCommand,
  type AuthenticationMode,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eksUserMapped, hasNodeRoleMapping, isIamUserArn, parseAwsAuth } from '../../../checkers/eks/access.js';
import { eksCheckContext } from '../../support/eks-check-context.js';

// moto 5.2 implements no EKS access entries, so these calls are answered by aws-sdk-client-mock.
const eksMock = mockClient(EKSClient);
const ACCOUNT = '111122223333';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/rbac-user`;
const NODE_ROLE = { rolearn: `arn:aws:iam::${ACCOUNT}:role/NodeInstanceRole`, username: 'system:node:{{EC2PrivateDNSName}}', groups: ['system:bootstrappers', 'system:nodes'] };

function clusterIn(mode: AuthenticationMode | undefined) {
  eksMock.on(DescribeClusterCommand).resolves({
    cluster: {
      name: 'eks-workshop',
      arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/eks-workshop`,
      status: 'ACTIVE',
      accessConfig: mode ? { authenticationMode: mode } : undefined,
    },
  });
}

function accessEntries(entries: { principalArn: string; username?: string; kubernetesGroups?: string[] }[]) {
  eksMock.on(ListAccessEntriesCommand).resolves({ accessEntries: entries.map((e) => e.principalArn) });
  for (const entry of entries) {
    eksMock.on(DescribeAccessEntryCommand, { principalArn: entry.principalArn }).resolves({ accessEntry: { ...entry, clusterName: 'eks-workshop', type: 'STANDARD' } });
  }
}

/** A Kubernetes API endpoint serving exactly one object, kube-system/aws-auth (or 404). */
let awsAuth: Record<string, string> | undefined;
let server: Server;
let kubeconfig: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (awsAuth?.forbidden) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403 }));
      return;
    }
    if (req.url?.startsWith('/api/v1/namespaces/kube-system/configmaps/aws-auth') && awsAuth) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: awsAuth }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'admin', user: { token: 'not-a-real-token' } }],
    contexts: [{ name: 'admin', context: { cluster: 'c', user: 'admin' } }],
    'current-context': 'admin',
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  eksMock.reset();
  awsAuth = undefined;
});

const run = (args: Record<string, unknown>) =>
  eksUserMapped.run(eksCheckContext(async () => new EKSClient({ region: 'us-west-2' }), kubeconfig), eksUserMapped.args.parse(args));

describe('eks-user-mapped through EKS access entries (API mode)', () => {
  it('Given an access entry for rbac-user with username rbac-user, when checked, then it passes', async () => {
    clusterIn('API');
    accessEntries([{ principalArn: `arn:aws:iam::${ACCOUNT}:role/Admin` }, { principalArn: USER_ARN, username: 'rbac-user' }]);
    const result = await run({ cluster: 'eks-workshop', kubernetesUsername: 'rbac-user' });
    expect(result).toMatchObject({ status: 'pass', message: 'access entry for IAM user rbac-user maps to Kubernetes user rbac-user' });
  });

  it('Given the entry maps to another Kubernetes user, when checked, then it fails with expected and actual usernames', async () => {
    clusterIn('API');
    accessEntries([{ principalArn: USER_ARN, username: USER_ARN }]);
    const result = await run({ cluster: 'eks-workshop', kubernetesUsername: 'rbac-user' });
    expect(result).toMatchObject({ status: 'fail', expected: 'rbac-user', actual: USER_ARN });
  });

  it('Given the entry lacks a required group, when checked, then it fails naming the missing group', async () => {
    clusterIn('API');
    accessEntries([{ principalArn: USER_ARN, username: 'rbac-user', kubernetesGroups: ['viewers'] }]);
    const result = await run({ cluster: 'eks-workshop', groups: ['viewers', 'rbac-test-readers'] });
    expect(result).toMatchObject({ status: 'fail', message: 'access entry for IAM user rbac-user lacks group rbac-test-readers', actual: 'viewers' });
  });

  it('Given no entry for the user, when checked, then it fails with the create-access-entry command for the cluster account ARN', async () => {
    clusterIn('API');
    accessEntries([{ principalArn: `arn:aws:iam::${ACCOUNT}:role/Admin` }]);
    const result = await run({ cluster: 'eks-workshop', kubernetesUsername: 'rbac-user' });
    expect(result.status).toBe('fail');
    expect(result.expected).toBe(USER_ARN);
    expect(result.hint).toBe(`aws eks create-access-entry --cluster-name eks-workshop --principal-arn ${USER_ARN} --username rbac-user`);
  });

  it('Given an entry for a same-named user of another account, when checked, then it does not count', async () => {
    clusterIn('API');
    accessEntries([{ principalArn: 'arn:aws:iam::999999999999:user/rbac-user', username: 'rbac-user' }]);
    expect((await run({ cluster: 'eks-workshop' })).status).toBe('fail');
  });

  it('Given listing access entries is denied, when checked, then the check is broken with the denied action', async () => {
    clusterIn('API');
    eksMock.on(ListAccessEntriesCommand).rejects(new EKSServiceException({ name: 'AccessDeniedException', message: 'no', $fault: 'client', $metadata: {} }));
    const result = await run({ cluster: 'eks-workshop' });
    expect(result).toMatchObject({ status: 'error', message: 'Your AWS identity is not allowed to call eks:ListAccessEntries in region us-west-2.' });
  });
});

describe('eks-user-mapped through the aws-auth ConfigMap', () => {
  it('Given mapUsers has rbac-user and mapRoles keeps the nodes, when checked in CONFIG_MAP mode, then it passes without warning', async () => {
    clusterIn(undefined);
    awsAuth = { mapRoles: stringify([NODE_ROLE]), mapUsers: stringify([{ userarn: USER_ARN, username: 'rbac-user' }]) };
    const result = await run({ cluster: 'eks-workshop', kubernetesUsername: 'rbac-user' });
    expect(result).toMatchObject({ status: 'pass', message: 'aws-auth for IAM user rbac-user maps to Kubernetes user rbac-user' });
  });

  it('Given aws-auth was replaced and lost the node role, when checked, then it passes but warns that nodes cannot join', async () => {
    clusterIn('CONFIG_MAP');
    awsAuth = { mapUsers: stringify([{ userarn: USER_ARN, username: 'rbac-user' }]) };
    const result = await run({ cluster: 'eks-workshop', kubernetesUsername: 'rbac-user' });
    expect(result.status).toBe('pass');
    expect(result.message).toContain('warning: aws-auth has no mapRoles entry for system:nodes');
  });

  it('Given API_AND_CONFIG_MAP, no access entry and a mapUsers entry, when checked, then aws-auth satisfies it', async () => {
    clusterIn('API_AND_CONFIG_MAP');
    accessEntries([]);
    awsAuth = { mapUsers: stringify([{ userarn: USER_ARN, username: 'rbac-user', groups: ['readers'] }]) };
    const result = await run({ cluster: 'eks-workshop', groups: ['readers'] });
    expect(result.status).toBe('pass');
    expect(result.message).not.toContain('warning');
  });

  it('Given mapUsers maps someone else, when checked, then it fails listing who is mapped', async () => {
    clusterIn(undefined);
    awsAuth = { mapRoles: stringify([NODE_ROLE]), mapUsers: stringify([{ userarn: `arn:aws:iam::${ACCOUNT}:user/alice`, username: 'alice' }]) };
    const result = await run({ cluster: 'eks-workshop' });
    expect(result).toMatchObject({ status: 'fail', expected: USER_ARN, actual: `arn:aws:iam::${ACCOUNT}:user/alice` });
  });

  it('Given no aws-auth ConfigMap, when checked in CONFIG_MAP mode, then it fails saying there is no mapping', async () => {
    clusterIn(undefined);
    const result = await run({ cluster: 'eks-workshop' });
    expect(result.status).toBe('fail');
    expect(result.message).toBe('IAM user rbac-user is not mapped: no access entry and no aws-auth ConfigMap in kube-system');
  });

  it('Given the API server forbids reading aws-auth, when checked, then the check is broken, not failed', async () => {
    clusterIn(undefined);
    awsAuth = { forbidden: 'yes' };
    const result = await run({ cluster: 'eks-workshop' });
    expect(result).toMatchObject({ status: 'error', message: 'Cannot read ConfigMap aws-auth in kube-system (HTTP 403).' });
  });

  it('Given mapUsers with broken YAML, when checked, then it fails pointing at the YAML', async () => {
    clusterIn(undefined);
    awsAuth = { mapUsers: '- userarn: x\n  username: [unclosed' };
    const result = await run({ cluster: 'eks-workshop' });
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/^aws-auth in kube-system is not valid YAML/);
  });
});

describe('aws-auth and ARN helpers', () => {
  it('Given ARNs with and without an IAM path, when matched, then the user name and account decide', () => {
    expect(isIamUserArn(USER_ARN, 'rbac-user', ACCOUNT)).toBe(true);
    expect(isIamUserArn(`arn:aws:iam::${ACCOUNT}:user/workshop/rbac-user`, 'rbac-user', ACCOUNT)).toBe(true);
    expect(isIamUserArn(`arn:aws:iam::${ACCOUNT}:user/rbac-user-2`, 'rbac-user', ACCOUNT)).toBe(false);
    expect(isIamUserArn(`arn:aws:iam::${ACCOUNT}:role/rbac-user`, 'rbac-user', ACCOUNT)).toBe(false);
  });

  it('Given the ConfigMap data, when parsed, then node role mappings are recognised', () => {
    const auth = parseAwsAuth({ mapRoles: stringify([NODE_ROLE]) });
    expect('error' in auth).toBe(false);
    expect(hasNodeRoleMapping(auth as Exclude<typeof auth, { error: string }>)).toBe(true);
    expect(parseAwsAuth({ mapUsers: 'userarn: not-a-list' })).toEqual({ error: 'mapUsers is not a list' });
  });
});
