import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { clientRegion, createEksClient } from '../../../src/aws/eks-client.js';
import { sendAws } from '../../../src/aws/errors.js';
import { EnvironmentError } from '../../../src/errors.js';
import { describeNodegroups, findCluster } from '../../../src/aws/eks-lookups.js';
import { findMotoServer, useMoto, type Moto } from '../../support/moto.js';
import { createWorkshopCluster } from '../../support/moto-eks-tooling.js';

const roleArn = 'arn:aws:iam::123456789012:role/eks-cluster';

describe.skipIf(!findMotoServer())('EKS API through the real SDK client against moto', () => {
  let moto: Moto;
  let eks: EKSClient;
  const signal = new AbortController().signal;

  useMoto((env) => createEksClient({ env }), (m, c) => {
    moto = m;
    eks = c;
  });

  it('Given AWS_REGION in the env, when the client is created, then it targets that region and the moto endpoint', async () => {
    expect(await clientRegion(eks)).toBe('us-west-2');
    const other = await createEksClient({ env: { ...moto.env, AWS_REGION: undefined, AWS_DEFAULT_REGION: 'eu-west-1' } });
    expect(await clientRegion(other)).toBe('eu-west-1');
    const explicit = await createEksClient({ env: moto.env, region: 'ap-southeast-1' });
    expect(await clientRegion(explicit)).toBe('ap-southeast-1');
    const endpoint = await eks.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe(moto.endpoint);
  });

  it('Given a created cluster and node group, when listed and described, then EKS reports them ACTIVE with their settings', async () => {
    await createWorkshopCluster(eks, { minSize: 3 });

    const { clusters } = await eks.send(new ListClustersCommand({}));
    expect(clusters).toEqual(['eks-workshop']);
    const cluster = await findCluster(eks, 'eks-workshop', 'us-west-2', { signal, env: moto.env });
    expect(cluster).toMatchObject({ name: 'eks-workshop', status: 'ACTIVE', version: '1.33' });
    expect(cluster?.endpoint).toMatch(/^https:\/\//);
    expect(cluster?.certificateAuthority?.data?.length).toBeGreaterThan(100);

    const groups = await describeNodegroups(eks, 'eks-workshop', 'us-west-2', { signal, env: moto.env });
    expect(groups.map((g) => [g.nodegroupName, g.status, g.scalingConfig?.desiredSize, g.instanceTypes])).toEqual([
      ['default', 'ACTIVE', 3, ['m5.large']],
    ]);
  });

  it('Given a cluster in one region, when looked up from another region, then it is not found there', async () => {
    await eks.send(new CreateClusterCommand({ name: 'eks-workshop', roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } }));
    const elsewhere = await createEksClient({ env: moto.env, region: 'eu-west-1' });
    expect(await findCluster(elsewhere, 'eks-workshop', 'eu-west-1', { signal, env: moto.env })).toBeUndefined();
    expect(await findCluster(eks, 'eks-workshop', 'us-west-2', { signal, env: moto.env })).toBeDefined();
  });

  it('Given a cluster with a node group, when the node group and then the cluster are deleted, then both are gone', async () => {
    await eks.send(new CreateClusterCommand({ name: 'doomed', roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } }));
    await eks.send(new CreateNodegroupCommand({ clusterName: 'doomed', nodegroupName: 'ng', nodeRole: roleArn, subnets: ['subnet-1'] }));

    await eks.send(new DeleteNodegroupCommand({ clusterName: 'doomed', nodegroupName: 'ng' }));
    expect((await eks.send(new ListNodegroupsCommand({ clusterName: 'doomed' }))).nodegroups).toEqual([]);
    await eks.send(new DeleteClusterCommand({ name: 'doomed' }));

    expect(await findCluster(eks, 'doomed', 'us-west-2', { signal, env: moto.env })).toBeUndefined();
    expect((await eks.send(new ListClustersCommand({}))).clusters).toEqual([]);
  });

  it('Given a missing node group, when described through sendAws, then the error is an exit-3 EnvironmentError naming the region', async () => {
    await eks.send(new CreateClusterCommand({ name: 'eks-workshop', roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } }));
    const error = await sendAws(eks, new DescribeNodegroupCommand({ clusterName: 'eks-workshop', nodegroupName: 'nope' }), { region: 'us-west-2' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).exitCode).toBe(3);
    expect((error as EnvironmentError).message).toContain('us-west-2');
    expect((error as EnvironmentError).nextStep).toMatch(/AWS_REGION/);
  });

  it('Given a cluster that still has node groups, when deleting it, then EKS refuses with an EnvironmentError', async () => {
    await eks.send(new CreateClusterCommand({ name: 'busy', roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } }));
    await eks.send(new CreateNodegroupCommand({ clusterName: 'busy', nodegroupName: 'ng', nodeRole: roleArn, subnets: ['subnet-1'] }));
    const error = await sendAws(eks, new DeleteClusterCommand({ name: 'busy' }), { region: 'us-west-2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(/ResourceInUse/);
    expect(await eks.send(new DescribeClusterCommand({ name: 'busy' }))).toHaveProperty('cluster.status', 'ACTIVE');
  });
});
