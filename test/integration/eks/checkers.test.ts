import { CreateClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { eksCheckers } from '../../../checkers/eks/index.js';
import { eksClusterActive, eksKubeconfigMatches, eksNodegroupActive } from '../../../checkers/eks/cluster.js';
import { createEksClient } from '../../../src/aws/eks-client.js';
import { eksCheckContext } from '../../support/eks-check-context.js';
import { findMotoServer, useMoto, type Moto } from '../../support/moto.js';
import { createWorkshopCluster as createWorkshop, kubeconfigFor, MOTO_ACCOUNT } from '../../support/moto-eks-tooling.js';

const roleArn = `arn:aws:iam::${MOTO_ACCOUNT}:role/eks`;

describe.skipIf(!findMotoServer())('EKS checkers against moto', () => {
  let moto: Moto;
  let eks: EKSClient;

  useMoto((env) => createEksClient({ env }), (m, c) => {
    moto = m;
    eks = c;
  });

  const createWorkshopCluster = (options: { version?: string; desiredSize?: number } = {}) => createWorkshop(eks, options);

  const context = (kubeconfig?: string) => eksCheckContext(() => createEksClient({ env: moto.env }), kubeconfig);

  it('Given the exported list, when registered, then it holds the five EKS checkers, each polling', () => {
    expect(eksCheckers.map((c) => c.id)).toEqual(['eks-cluster-active', 'eks-nodegroup-active', 'eks-kubeconfig-matches', 'eks-user-mapped', 'eks-access-policy']);
    for (const checker of eksCheckers) expect(checker.pollIntervalMs).toBeGreaterThan(0);
  });

  it('Given an ACTIVE 1.33 cluster, when eks-cluster-active expects 1.33, then it passes', async () => {
    await createWorkshopCluster();
    const result = await eksClusterActive.run(context(), eksClusterActive.args.parse({ name: 'eks-workshop', version: '1.33' }));
    expect(result.status).toBe('pass');
    expect(result.message).toBe('cluster eks-workshop is ACTIVE, Kubernetes 1.33, in us-west-2');
  });

  it('Given a 1.32 cluster, when eks-cluster-active expects 1.33, then it fails with expected and actual versions', async () => {
    await createWorkshopCluster({ version: '1.32' });
    const result = await eksClusterActive.run(context(), eksClusterActive.args.parse({ name: 'eks-workshop', version: '1.33' }));
    expect(result).toMatchObject({ status: 'fail', expected: '1.33', actual: '1.32' });
    expect(result.message).toBe('cluster eks-workshop runs Kubernetes 1.32, not 1.33');
  });

  it('Given no cluster, when eks-cluster-active runs, then it fails naming the cluster and the region', async () => {
    const result = await eksClusterActive.run(context(), eksClusterActive.args.parse({ name: 'eks-workshop' }));
    expect(result.status).toBe('fail');
    expect(result.message).toBe('cluster eks-workshop not found in region us-west-2');
    expect(result.hint).toMatch(/AWS_REGION/);
  });

  it('Given the node group wants 3 nodes, when eks-nodegroup-active expects 3, then it passes with a table', async () => {
    await createWorkshopCluster();
    const result = await eksNodegroupActive.run(context(), eksNodegroupActive.args.parse({ cluster: 'eks-workshop', nodegroup: 'default', desiredSize: 3 }));
    expect(result.status).toBe('pass');
    expect(result.message).toBe('default ACTIVE with 3 nodes');
    expect(result.table?.rows).toEqual([{ label: 'default', cells: ['ACTIVE', '3', '1', '6', 'm5.large'] }]);
  });

  it('Given the node group wants 2 nodes, when eks-nodegroup-active expects 3, then it fails with the scale command', async () => {
    await createWorkshopCluster({ desiredSize: 2 });
    const result = await eksNodegroupActive.run(context(), eksNodegroupActive.args.parse({ cluster: 'eks-workshop', desiredSize: 3 }));
    expect(result).toMatchObject({ status: 'fail', expected: 'at least 3 nodes', actual: '2 nodes' });
    expect(result.hint).toBe('eksctl scale nodegroup --cluster eks-workshop --name default --nodes 3 --nodes-min 3');
  });

  it('Given no cluster, when eks-nodegroup-active runs, then it fails because the cluster is missing', async () => {
    const result = await eksNodegroupActive.run(context(), eksNodegroupActive.args.parse({ cluster: 'eks-workshop', nodegroup: 'default', desiredSize: 3 }));
    expect(result.status).toBe('fail');
    expect(result.message).toBe('cluster eks-workshop not found in region us-west-2');
  });

  it('Given a cluster without node groups yet, when eks-nodegroup-active runs, then it is pending, not failed', async () => {
    await eks.send(new CreateClusterCommand({ name: 'eks-workshop', roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } }));
    const result = await eksNodegroupActive.run(context(), eksNodegroupActive.args.parse({ cluster: 'eks-workshop', desiredSize: 3 }));
    expect(result.status).toBe('pending');
    expect(result.message).toBe('cluster eks-workshop has no node groups yet');
  });

  it('Given a kubeconfig written from DescribeCluster, when eks-kubeconfig-matches runs, then it passes', async () => {
    await createWorkshopCluster();
    const result = await eksKubeconfigMatches.run(context(await kubeconfigFor(eks, 'eks-workshop', 'us-west-2')), { name: 'eks-workshop' });
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(/^context arn:aws:eks:us-west-2:123456789012:cluster\/eks-workshop matches cluster eks-workshop/);
  });

  it('Given a kubeconfig pointing at another server, when eks-kubeconfig-matches runs, then it fails with both URLs', async () => {
    await createWorkshopCluster();
    const kubeconfig = await kubeconfigFor(eks, 'eks-workshop', 'us-west-2', { server: 'https://old-cluster.example.com' });
    const result = await eksKubeconfigMatches.run(context(kubeconfig), { name: 'eks-workshop' });
    expect(result.status).toBe('fail');
    expect(result.actual).toBe('https://old-cluster.example.com');
    expect(result.expected).toMatch(/^https:\/\/.*eks\.amazonaws\.com/);
    expect(result.hint).toBe('aws eks update-kubeconfig --name eks-workshop --region us-west-2');
  });

  it('Given a kubeconfig with the right server but another CA, when eks-kubeconfig-matches runs, then it fails on the CA', async () => {
    await createWorkshopCluster();
    const otherCa = Buffer.from('-----BEGIN CERTIFICATE-----\nnot this one\n-----END CERTIFICATE-----\n').toString('base64');
    const result = await eksKubeconfigMatches.run(context(await kubeconfigFor(eks, 'eks-workshop', 'us-west-2', { ca: otherCa })), { name: 'eks-workshop' });
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/trusts a different CA/);
    expect(result.expected).not.toBe(result.actual);
  });
});
