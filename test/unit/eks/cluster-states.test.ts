import { DescribeClusterCommand, DescribeNodegroupCommand, EKSClient, ListNodegroupsCommand } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { eksClusterActive, eksNodegroupActive } from '../../../checkers/eks/cluster.js';
import { eksCheckContext } from '../../support/eks-check-context.js';

// moto creates clusters and node groups ACTIVE at once; the states in between come from aws-sdk-client-mock.
const eksMock = mockClient(EKSClient);
afterEach(() => eksMock.reset());
const context = () => eksCheckContext(async () => new EKSClient({ region: 'us-west-2' }));

describe('EKS checkers while AWS is still working', () => {
  it('Given the cluster is CREATING, when eks-cluster-active runs, then it is pending and says the status', async () => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: { name: 'eks-workshop', status: 'CREATING', version: '1.33' } });
    const result = await eksClusterActive.run(context(), { name: 'eks-workshop', version: '1.33' });
    expect(result).toMatchObject({ status: 'pending', actual: 'CREATING' });
    expect(result.message).toBe('cluster eks-workshop is CREATING (creating takes about 15–20 minutes)');
  });

  it('Given the cluster FAILED, when eks-cluster-active runs, then it fails with the health issue as hint', async () => {
    eksMock.on(DescribeClusterCommand).resolves({
      cluster: { name: 'eks-workshop', status: 'FAILED', health: { issues: [{ code: 'Ec2SubnetNotFound', message: 'subnet-1 does not exist' }] } },
    });
    const result = await eksClusterActive.run(context(), { name: 'eks-workshop' });
    expect(result).toMatchObject({ status: 'fail', expected: 'ACTIVE', actual: 'FAILED', hint: 'subnet-1 does not exist' });
  });

  it('Given a version written as a YAML number, when the args are parsed, then it is compared as text', () => {
    expect(eksClusterActive.args.parse({ name: 'x', version: 1.33 })).toEqual({ name: 'x', version: '1.33' });
    expect(() => eksClusterActive.args.parse({ version: '1.33' })).toThrow();
  });

  it('Given one node group is CREATING, when eks-nodegroup-active runs, then it is pending with a table of groups', async () => {
    eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: ['default'] });
    eksMock.on(DescribeNodegroupCommand).resolves({
      nodegroup: { nodegroupName: 'default', status: 'CREATING', scalingConfig: { desiredSize: 3, minSize: 3, maxSize: 6 }, instanceTypes: ['m5.large'] },
    });
    const result = await eksNodegroupActive.run(context(), { cluster: 'eks-workshop', desiredSize: 3 });
    expect(result).toMatchObject({ status: 'pending', message: 'node group default is CREATING' });
    expect(result.table?.rows[0].cells[0]).toBe('CREATING');
  });

  it('Given a DEGRADED node group, when eks-nodegroup-active runs, then it fails with the health issue', async () => {
    eksMock.on(DescribeNodegroupCommand).resolves({
      nodegroup: { nodegroupName: 'default', status: 'DEGRADED', health: { issues: [{ code: 'AsgInstanceLaunchFailures', message: 'InsufficientInstanceCapacity' }] } },
    });
    const result = await eksNodegroupActive.run(context(), { cluster: 'eks-workshop', nodegroup: 'default', desiredSize: 3 });
    expect(result).toMatchObject({ status: 'fail', actual: 'DEGRADED', hint: 'InsufficientInstanceCapacity' });
  });

  it('Given two ACTIVE groups of 2 nodes, when eks-nodegroup-active wants 3 in total, then it passes on the sum', async () => {
    eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: ['a', 'b'] });
    for (const name of ['a', 'b']) {
      eksMock.on(DescribeNodegroupCommand, { nodegroupName: name }).resolves({ nodegroup: { nodegroupName: name, status: 'ACTIVE', scalingConfig: { desiredSize: 2 } } });
    }
    const result = await eksNodegroupActive.run(context(), { cluster: 'eks-workshop', desiredSize: 3 });
    expect(result).toMatchObject({ status: 'pass', message: 'a, b ACTIVE with 4 nodes' });
  });
});
