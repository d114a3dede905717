import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
  type AssociatedAccessPolicy,
  type AuthenticationMode,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { eksAccessPolicy, isIamRoleArn } from '../../../checkers/eks/policies.js';
import { eksCheckContext } from '../../support/eks-check-context.js';

// moto 5.2 implements no EKS access entries or access policies (test/integration/eks/access-policy.test.ts
// shows what it does answer), so these calls are answered by aws-sdk-client-mock.
const eksMock = mockClient(EKSClient);
const ACCOUNT = '111122223333';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workshop-viewer`;
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

function cluster(mode: AuthenticationMode = 'API') {
  eksMock.on(DescribeClusterCommand).resolves({
    cluster: { name: 'eks-workshop', arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/eks-workshop`, status: 'ACTIVE', accessConfig: { authenticationMode: mode } },
  });
}

function entry(fields: { username?: string; kubernetesGroups?: string[] }, policies: AssociatedAccessPolicy[] = [], principalArn = ROLE_ARN) {
  eksMock.on(ListAccessEntriesCommand).resolves({ accessEntries: [`arn:aws:iam::${ACCOUNT}:role/Admin`, principalArn] });
  eksMock.on(DescribeAccessEntryCommand, { principalArn }).resolves({ accessEntry: { principalArn, clusterName: 'eks-workshop', type: 'STANDARD', ...fields } });
  eksMock.on(ListAssociatedAccessPoliciesCommand, { principalArn }).resolves({ clusterName: 'eks-workshop', principalArn, associatedAccessPolicies: policies });
}

afterEach(() => eksMock.reset());

const run = (args: Record<string, unknown>) => eksAccessPolicy.run(eksCheckContext(async () => new EKSClient({ region: 'us-west-2' })), eksAccessPolicy.args.parse({ cluster: 'eks-workshop', role: 'workshop-viewer', ...args }));

describe('eks-access-policy: an IAM role, its access entry and its access policy', () => {
  it('Given the entry makes the role jane in workshop-viewers, when checked for both, then it passes', async () => {
    cluster();
    entry({ username: 'jane', kubernetesGroups: ['workshop-viewers'] });
    expect(await run({ username: 'jane', groups: ['workshop-viewers'] })).toMatchObject({ status: 'pass', message: 'access entry for role workshop-viewer (groups workshop-viewers)' });
  });

  it('Given no entry for the role, when checked, then it is not there yet, with the create-access-entry command', async () => {
    cluster();
    eksMock.on(ListAccessEntriesCommand).resolves({ accessEntries: [`arn:aws:iam::${ACCOUNT}:role/Admin`] });
    const result = await run({});
    expect(result).toMatchObject({ status: 'pending', message: 'cluster eks-workshop has no access entry for IAM role workshop-viewer', expected: ROLE_ARN, actual: 'access entries for 1 other principal(s)' });
    expect(result.hint).toBe(`aws eks create-access-entry --cluster-name eks-workshop --principal-arn ${ROLE_ARN}`);
  });

  it('Given the entry lacks the group, when checked, then it fails naming the group and the update command', async () => {
    cluster();
    entry({ username: 'jane', kubernetesGroups: [] });
    const result = await run({ groups: ['workshop-viewers'] });
    expect(result).toMatchObject({ status: 'fail', message: 'the access entry for role workshop-viewer lacks group workshop-viewers', actual: '(no groups)' });
    expect(result.hint).toContain('aws eks update-access-entry');
  });

  it('Given the entry sets another user name, when checked, then it fails with expected and actual names', async () => {
    cluster();
    entry({ username: 'arn:aws:sts::111122223333:assumed-role/workshop-viewer/{{SessionName}}' });
    expect(await run({ username: 'jane' })).toMatchObject({ status: 'fail', expected: 'jane', actual: 'arn:aws:sts::111122223333:assumed-role/workshop-viewer/{{SessionName}}' });
  });

  it('Given AmazonEKSViewPolicy for the whole cluster, when checked for it, then it passes', async () => {
    cluster();
    entry({}, [{ policyArn: VIEW, accessScope: { type: 'cluster' } }]);
    expect(await run({ policy: 'AmazonEKSViewPolicy' })).toMatchObject({ status: 'pass', message: 'access entry for role workshop-viewer has AmazonEKSViewPolicy for cluster' });
  });

  it('Given only another policy, when checked for the view policy, then it names what is associated and the associate command', async () => {
    cluster();
    entry({}, [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', accessScope: { type: 'namespace', namespaces: ['dev'] } }]);
    const result = await run({ policy: 'AmazonEKSViewPolicy' });
    expect(result).toMatchObject({ status: 'pending', actual: 'AmazonEKSEditPolicy (namespaces dev)' });
    expect(result.hint).toBe(`aws eks associate-access-policy --cluster-name eks-workshop --principal-arn ${ROLE_ARN} --policy-arn ${VIEW} --access-scope type=cluster`);
  });

  it('Given the view policy for one namespace, when the lesson wants it cluster-wide, then it fails on the scope', async () => {
    cluster();
    entry({}, [{ policyArn: VIEW, accessScope: { type: 'namespace', namespaces: ['default'] } }]);
    expect(await run({ policy: 'AmazonEKSViewPolicy' })).toMatchObject({ status: 'fail', expected: 'cluster', actual: 'namespaces default' });
    expect(await run({ policy: VIEW, scope: 'namespace', namespaces: ['default'] })).toMatchObject({ status: 'pass' });
  });

  it('Given a cluster that only reads aws-auth, when checked, then it fails saying access entries need another authentication mode', async () => {
    cluster('CONFIG_MAP');
    expect(await run({})).toMatchObject({ status: 'fail', actual: 'CONFIG_MAP', hint: expect.stringContaining('authenticationMode=API_AND_CONFIG_MAP') });
  });

  it('Given role ARNs with and without a path, when matched, then the role name and account decide', () => {
    expect(isIamRoleArn(ROLE_ARN, 'workshop-viewer', ACCOUNT)).toBe(true);
    expect(isIamRoleArn(`arn:aws:iam::${ACCOUNT}:role/team/workshop-viewer`, 'workshop-viewer', ACCOUNT)).toBe(true);
    expect(isIamRoleArn(`arn:aws:iam::${ACCOUNT}:user/workshop-viewer`, 'workshop-viewer', ACCOUNT)).toBe(false);
    expect(isIamRoleArn(`arn:aws:iam::999999999999:role/workshop-viewer`, 'workshop-viewer', ACCOUNT)).toBe(false);
  });
});
