import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetUserCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createIamClient } from '../../../src/aws/eks-client.js';
import { deleteIamUser } from '../../../src/aws/iam-user.js';
import { findMotoServer, useMoto, type Moto } from '../../support/moto.js';

describe.skipIf(!findMotoServer())('Cleaning up the RBAC lesson IAM user against moto', () => {
  let moto: Moto;
  let iam: IAMClient;

  useMoto((env) => createIamClient({ env }), (m, c) => {
    moto = m;
    iam = c;
  });

  it('Given rbac-user with two access keys, a policy, a group and a password, when deleted, then the user is gone and no key id is logged', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'rbac-user' }));
    const keys = [
      (await iam.send(new CreateAccessKeyCommand({ UserName: 'rbac-user' }))).AccessKey!,
      (await iam.send(new CreateAccessKeyCommand({ UserName: 'rbac-user' }))).AccessKey!,
    ];
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'eks-describe',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: '*' }] }),
      }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'rbac-user', PolicyArn: Policy!.Arn }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'rbac-user',
        PolicyName: 'inline',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:ListClusters', Resource: '*' }] }),
      }),
    );
    await iam.send(new CreateGroupCommand({ GroupName: 'workshop' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'workshop', UserName: 'rbac-user' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'rbac-user', Password: 'Unused-Pa55word!' }));

    const logs: string[] = [];
    expect(await deleteIamUser(iam, 'rbac-user', { log: (l) => logs.push(l) })).toBe(true);

    await expect(iam.send(new GetUserCommand({ UserName: 'rbac-user' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    expect(logs).toEqual(['Deleted 2 access key(s) of IAM user rbac-user.', 'Deleted IAM user rbac-user.']);
    for (const key of keys) {
      expect(logs.join('\n')).not.toContain(key.AccessKeyId);
      expect(logs.join('\n')).not.toContain(key.SecretAccessKey);
    }
  });

  it('Given no rbac-user, when deleted, then it reports there was nothing to delete', async () => {
    expect(await deleteIamUser(iam, 'rbac-user')).toBe(false);
  });
});
