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
import { afterEach, describe, expect, it } from 'vitest';
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

afterEach(() => eksMock.reset());

// Access-entry mode never reads Kubernetes; the aws-auth cases run against the real local cluster
// in test/integration/aws-auth.test.ts.
const run = (args: Record<string, unknown>) =>
  eksUserMapped.run(eksCheckContext(async () => new EKSClient({ region: 'us-west-2' })), eksUserMapped.args.parse(args));

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
