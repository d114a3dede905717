import type { IAMClient } from '@aws-sdk/client-iam';
import { isAwsNotFound, sendAws } from './errors.js';

/**
 * Deletes an IAM user the workshop created (rbac-user) with what IAM refuses to delete a user
 * without: access keys, policies, group memberships, a console password. Returns false when the
 * user did not exist. Access key ids are never logged: only how many were deleted.
 */
export async function deleteIamUser(
  iam: IAMClient,
  userName: string,
  io: { signal?: AbortSignal; log?(line: string): void; env?: NodeJS.ProcessEnv } = {},
): Promise<boolean> {
  const sdk = await import('@aws-sdk/client-iam');
  const opts = { signal: io.signal, env: io.env, notFound: 'raw' as const };
  try {
    await sendAws(iam, new sdk.GetUserCommand({ UserName: userName }), opts);
  } catch (error) {
    if (isAwsNotFound(error)) return false;
    throw error;
  }

  const { AccessKeyMetadata = [] } = await sendAws(iam, new sdk.ListAccessKeysCommand({ UserName: userName }), opts);
  for (const key of AccessKeyMetadata) {
    await sendAws(iam, new sdk.DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId }), opts);
  }
  if (AccessKeyMetadata.length) io.log?.(`Deleted ${AccessKeyMetadata.length} access key(s) of IAM user ${userName}.`);

  const { AttachedPolicies = [] } = await sendAws(iam, new sdk.ListAttachedUserPoliciesCommand({ UserName: userName }), opts);
  for (const policy of AttachedPolicies) {
    await sendAws(iam, new sdk.DetachUserPolicyCommand({ UserName: userName, PolicyArn: policy.PolicyArn }), opts);
  }
  const { PolicyNames = [] } = await sendAws(iam, new sdk.ListUserPoliciesCommand({ UserName: userName }), opts);
  for (const PolicyName of PolicyNames) {
    await sendAws(iam, new sdk.DeleteUserPolicyCommand({ UserName: userName, PolicyName }), opts);
  }
  const { Groups = [] } = await sendAws(iam, new sdk.ListGroupsForUserCommand({ UserName: userName }), opts);
  for (const group of Groups) {
    await sendAws(iam, new sdk.RemoveUserFromGroupCommand({ UserName: userName, GroupName: group.GroupName }), opts);
  }
  try {
    await sendAws(iam, new sdk.DeleteLoginProfileCommand({ UserName: userName }), opts);
  } catch (error) {
    if (!isAwsNotFound(error)) throw error;
  }

  await sendAws(iam, new sdk.DeleteUserCommand({ UserName: userName }), opts);
  io.log?.(`Deleted IAM user ${userName}.`);
  return true;
}

/** Removes the EKS access entry that mapped an IAM user into the cluster; false when there was none. */
export async function deleteAccessEntry(
  eks: import('@aws-sdk/client-eks').EKSClient,
  clusterName: string,
  principalArn: string,
  io: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<boolean> {
  const { DeleteAccessEntryCommand } = await import('@aws-sdk/client-eks');
  try {
    await sendAws(eks, new DeleteAccessEntryCommand({ clusterName, principalArn }), { signal: io.signal, env: io.env, notFound: 'raw' });
    return true;
  } catch (error) {
    if (isAwsNotFound(error)) return false;
    throw error;
  }
}
