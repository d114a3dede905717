import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  ListNodegroupsCommand,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { parse, stringify } from 'yaml';
import type { EksTooling } from '../../src/providers/eks.js';

export const MOTO_ACCOUNT = '123456789012';

/** The workshop's cluster and its node group "default", straight through the EKS API. */
export async function createWorkshopCluster(eks: EKSClient, options: { version?: string; desiredSize?: number; minSize?: number } = {}): Promise<void> {
  const roleArn = `arn:aws:iam::${MOTO_ACCOUNT}:role/eks`;
  await eks.send(new CreateClusterCommand({ name: 'eks-workshop', version: options.version ?? '1.33', roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } }));
  await eks.send(
    new CreateNodegroupCommand({
      clusterName: 'eks-workshop',
      nodegroupName: 'default',
      nodeRole: roleArn,
      subnets: ['subnet-1'],
      instanceTypes: ['m5.large'],
      scalingConfig: { desiredSize: options.desiredSize ?? 3, minSize: options.minSize ?? 1, maxSize: 6 },
    }),
  );
}

/**
 * eksctl and `aws eks update-kubeconfig` done through the EKS API of a moto server: the provider's
 * flow runs for real against an AWS API, only CloudFormation and EC2 nodes are left out.
 */
export function motoEksTooling(eks: EKSClient, calls: string[] = []): EksTooling {
  return {
    async createCluster(configFile, io) {
      calls.push(`create ${configFile}`);
      const config = parse(await readFile(configFile, 'utf8'));
      const name: string = config.metadata.name;
      io.log(`creating cluster ${name}`);
      await eks.send(
        new CreateClusterCommand({
          name,
          version: String(config.metadata.version),
          roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/eksctl-${name}-cluster-ServiceRole`,
          resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'] },
        }),
      );
      for (const group of config.managedNodeGroups ?? []) {
        await eks.send(
          new CreateNodegroupCommand({
            clusterName: name,
            nodegroupName: group.name,
            nodeRole: `arn:aws:iam::${MOTO_ACCOUNT}:role/eksctl-${name}-nodegroup-NodeInstanceRole`,
            subnets: ['subnet-1', 'subnet-2'],
            instanceTypes: [group.instanceType],
            scalingConfig: { desiredSize: group.desiredCapacity, minSize: group.minSize, maxSize: group.maxSize },
          }),
        );
      }
    },
    async deleteCluster(name, region, io) {
      calls.push(`delete ${name} ${region}`);
      const { nodegroups = [] } = await eks.send(new ListNodegroupsCommand({ clusterName: name }));
      for (const nodegroupName of nodegroups) {
        io.log(`deleting node group ${nodegroupName}`);
        await eks.send(new DeleteNodegroupCommand({ clusterName: name, nodegroupName }));
      }
      await eks.send(new DeleteClusterCommand({ name }));
    },
    async updateKubeconfig(name, region, kubeconfigPath) {
      calls.push(`kubeconfig ${name} ${region} ${kubeconfigPath}`);
      // Like the aws CLI, creates the folder; unlike it, replaces the file instead of merging.
      await mkdir(dirname(kubeconfigPath), { recursive: true });
      await writeFile(kubeconfigPath, await kubeconfigFor(eks, name, region));
    },
  };
}

/** The kubeconfig `aws eks update-kubeconfig` writes: context named by the cluster ARN, exec token user. */
export async function kubeconfigFor(eks: EKSClient, name: string, region: string, override: { server?: string; ca?: string } = {}): Promise<string> {
  const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
  const arn = cluster!.arn!;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: arn, cluster: { server: override.server ?? cluster!.endpoint, 'certificate-authority-data': override.ca ?? cluster!.certificateAuthority!.data } }],
    contexts: [{ name: arn, context: { cluster: arn, user: arn } }],
    'current-context': arn,
    users: [
      {
        name: arn,
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['--region', region, 'eks', 'get-token', '--cluster-name', name] } },
      },
    ],
  });
}
