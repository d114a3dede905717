import type { Cluster, EKSClient, Nodegroup } from '@aws-sdk/client-eks';
import { isAwsNotFound, sendAws } from './errors.js';

/** What an EKS lookup needs besides the client: it can be aborted, and errors name no secret. */
export interface AwsLookupIO {
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
}

/** DescribeCluster, with "not found" as undefined. */
export async function findCluster(eks: EKSClient, name: string, region: string, io: AwsLookupIO): Promise<Cluster | undefined> {
  const { DescribeClusterCommand } = await import('@aws-sdk/client-eks');
  try {
    const { cluster } = await sendAws(eks, new DescribeClusterCommand({ name }), { signal: io.signal, region, env: io.env, notFound: 'raw' });
    return cluster;
  } catch (error) {
    if (isAwsNotFound(error)) return undefined;
    throw error;
  }
}

/** Every node group of a cluster (empty when the cluster is gone). */
export async function describeNodegroups(
  eks: EKSClient,
  cluster: string,
  region: string,
  io: AwsLookupIO,
): Promise<Nodegroup[]> {
  const { DescribeNodegroupCommand, ListNodegroupsCommand } = await import('@aws-sdk/client-eks');
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    try {
      const page = await sendAws(eks, new ListNodegroupsCommand({ clusterName: cluster, nextToken }), {
        signal: io.signal,
        region,
        env: io.env,
        notFound: 'raw',
      });
      names.push(...(page.nodegroups ?? []));
      nextToken = page.nextToken;
    } catch (error) {
      if (isAwsNotFound(error)) return [];
      throw error;
    }
  } while (nextToken);
  const groups: Nodegroup[] = [];
  for (const nodegroupName of names) {
    const { nodegroup } = await sendAws(eks, new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName }), {
      signal: io.signal,
      region,
      env: io.env,
    });
    if (nodegroup) groups.push(nodegroup);
  }
  return groups;
}
