import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeNodegroupCommand, ListClustersCommand, type EKSClient } from '@aws-sdk/client-eks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEksClient } from '../../../src/aws/eks-client.js';
import { EnvironmentError, InterruptedError, UsageError } from '../../../src/errors.js';
import {
  createEksProvider,
  eksKubeconfigPath,
  formatEksClusterReminder,
  listKubelabEksClusters,
  type EksTooling,
} from '../../../src/providers/eks.js';
import type { ProviderIO } from '../../../src/providers/types.js';
import { findMotoServer, useMoto, type Moto } from '../../support/moto.js';
import { motoEksTooling } from '../../support/moto-eks-tooling.js';

describe.skipIf(!findMotoServer())('EKS provider: up, status, down through moto', () => {
  let moto: Moto;
  let eks: EKSClient;
  let home: string;
  let logs: string[];
  let calls: string[];

  useMoto((env) => createEksClient({ env }), (m, c) => {
    moto = m;
    eks = c;
  });
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'kubelab-eks-'));
    logs = [];
    calls = [];
  });
  afterEach(async () => rm(home, { recursive: true, force: true }));

  function io(extra: Partial<ProviderIO> = {}): ProviderIO {
    return {
      signal: new AbortController().signal,
      log: (line) => logs.push(line),
      env: { ...moto.env, HOME: home, KUBELAB_STATE_DIR: join(home, 'state') },
      ...extra,
    };
  }
  function provider(tooling: EksTooling = motoEksTooling(eks, calls), now?: () => Date) {
    return createEksProvider({ tooling, eksClient: (io, region) => createEksClient({ env: io.env, region }), deleteWaitSeconds: 30, now });
  }
  const clusterNames = async () => (await eks.send(new ListClustersCommand({}))).clusters;

  it('Given headless without --yes, when up runs, then it refuses with a UsageError and creates nothing', async () => {
    const error = await provider().up({ name: 'eks-workshop', nodes: 3 }, io()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).nextStep).toMatch(/--yes/);
    expect(await clusterNames()).toEqual([]);
    expect(calls).toEqual([]);
    expect(await listKubelabEksClusters({ env: io().env })).toEqual([]);
  });

  it('Given the learner answers no, when up asks, then it is cancelled after showing the cost, and nothing is created', async () => {
    const questions: string[] = [];
    const confirm = async (question: string) => (questions.push(question), false);
    const error = await provider().up({ name: 'eks-workshop', nodes: 3 }, io({ confirm })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(questions).toEqual(['Create EKS cluster eks-workshop for about $0.43/h until you delete it?']);
    expect(logs.join('\n')).toContain('3 × m5.large nodes $0.29/h');
    expect(await clusterNames()).toEqual([]);
  });

  it('Given --yes, when up runs, then the cluster from the lesson template exists, kubeconfig is kubelab-owned and the cluster is recorded', async () => {
    const result = await provider().up({ name: 'eks-workshop', nodes: 3, yes: true }, io());

    expect(result.alreadyUp).toBe(false);
    expect(logs.some((l) => l.startsWith('Estimated cost: EKS control plane $0.10/h + 3 × m5.large nodes $0.29/h + NAT gateway $0.045/h = about $0.43/h'))).toBe(true);
    expect(await clusterNames()).toEqual(['eks-workshop']);
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: 'eks-workshop', nodegroupName: 'default' }));
    expect(nodegroup?.scalingConfig).toEqual({ desiredSize: 3, minSize: 3, maxSize: 6 });
    expect(nodegroup?.instanceTypes).toEqual(['m5.large']);

    const kubeconfig = eksKubeconfigPath('eks-workshop', io().env);
    expect(kubeconfig).toBe(join(home, 'state', 'clusters', 'eks-eks-workshop', 'kubeconfig'));
    expect(result.connection).toEqual({
      provider: 'eks',
      name: 'eks-workshop',
      kubeconfig,
      context: 'arn:aws:eks:us-west-2:123456789012:cluster/eks-workshop',
      simulated: false,
      variables: { CLUSTER_NAME: 'eks-workshop', AWS_REGION: 'us-west-2' },
    });
    const rendered = await readFile(join(home, 'state', 'clusters', 'eks-eks-workshop', 'cluster.yaml'), 'utf8');
    expect(rendered).toContain('name: eks-workshop');
    expect(rendered).toContain('region: us-west-2');
    expect(rendered).not.toContain('${');
    expect(existsSync(join(home, '.kube', 'config'))).toBe(false);

    const [record] = await listKubelabEksClusters({ env: io().env });
    expect(record).toMatchObject({ name: 'eks-workshop', region: 'us-west-2', instanceType: 'm5.large', nodes: 3 });
  });

  it('Given --nodes 2 and --merge-kubeconfig, when up runs, then the node group is sized 2 and ~/.kube/config gets the context', async () => {
    await provider().up({ name: 'small', nodes: 2, yes: true, mergeKubeconfig: true }, io());
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: 'small', nodegroupName: 'default' }));
    expect(nodegroup?.scalingConfig).toEqual({ desiredSize: 2, minSize: 2, maxSize: 6 });
    expect(await readFile(join(home, '.kube', 'config'), 'utf8')).toContain('cluster/small');
  });

  it('Given the cluster already exists, when up runs again, then it connects without creating or asking', async () => {
    await provider().up({ name: 'eks-workshop', nodes: 3, yes: true }, io());
    calls.length = 0;
    const result = await provider().up({ name: 'eks-workshop', nodes: 3 }, io());
    expect(result.alreadyUp).toBe(true);
    expect(calls.filter((c) => c.startsWith('create'))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('kubeconfig'))).toHaveLength(1);
  });

  it('Given a running cluster, when status runs, then it is up with the control plane and node group healthy', async () => {
    await provider().up({ name: 'eks-workshop', nodes: 3, yes: true }, io());
    const status = await provider().status({ name: 'eks-workshop' }, io());
    expect(status.state).toBe('up');
    expect(status.detail).toBe('EKS cluster eks-workshop in us-west-2: ACTIVE, about $0.43/h');
    expect(status.components).toEqual([
      { name: 'control plane', healthy: true, detail: 'ACTIVE, Kubernetes 1.33' },
      { name: 'node group default', healthy: true, detail: 'ACTIVE, 3 × m5.large' },
    ]);
    expect(status.connection?.context).toBe('arn:aws:eks:us-west-2:123456789012:cluster/eks-workshop');
  });

  it('Given no cluster, when status runs, then it is down and names the region', async () => {
    const status = await provider().status({ name: 'eks-workshop' }, io());
    expect(status).toEqual({ state: 'down', detail: 'There is no EKS cluster eks-workshop in us-west-2.', components: [] });
  });

  it('Given a running cluster, when down runs, then EKS confirms it gone and the record and kubeconfig are removed', async () => {
    await provider().up({ name: 'eks-workshop', nodes: 3, yes: true }, io());
    await provider().down({ name: 'eks-workshop' }, io());
    expect(calls).toContain('delete eks-workshop us-west-2');
    expect(await clusterNames()).toEqual([]);
    expect(await listKubelabEksClusters({ env: io().env })).toEqual([]);
    expect(existsSync(eksKubeconfigPath('eks-workshop', io().env))).toBe(false);
    expect(logs.at(-1)).toBe('EKS cluster eks-workshop in us-west-2 and its node groups are gone; they no longer bill.');
  });

  it('Given eksctl returns without deleting, when down runs, then it fails saying the cluster still exists and may bill', async () => {
    const real = motoEksTooling(eks, calls);
    await provider(real).up({ name: 'eks-workshop', nodes: 3, yes: true }, io());
    const lazy: EksTooling = { ...real, deleteCluster: async () => undefined };
    const error = await provider(lazy).down({ name: 'eks-workshop' }, io()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toBe(
      'EKS cluster eks-workshop in us-west-2 still exists (ACTIVE) with node groups default (ACTIVE) after the deletion, and may still bill.',
    );
    expect(await listKubelabEksClusters({ env: io().env })).toHaveLength(1);
  });

  it('Given the learner declines deleting, when down asks, then nothing is deleted', async () => {
    await provider().up({ name: 'eks-workshop', nodes: 3, yes: true }, io());
    const error = await provider().down({ name: 'eks-workshop' }, io({ confirm: async () => false })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(await clusterNames()).toEqual(['eks-workshop']);
  });

  it('Given no cluster, when down runs, then it says there is nothing to delete and succeeds', async () => {
    await provider().down({ name: 'eks-workshop' }, io());
    expect(calls).toEqual([]);
    expect(logs).toEqual(['There is no EKS cluster eks-workshop in us-west-2; nothing to delete.']);
  });

  it('Given a cluster the learner created by hand, when connection is asked, then kubelab writes its own kubeconfig for it', async () => {
    const tooling = motoEksTooling(eks, calls);
    const configFile = join(home, 'cluster.yaml');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(configFile, 'metadata: {name: by-hand, version: "1.33"}\nmanagedNodeGroups: []\n');
    await tooling.createCluster(configFile, io());
    expect(await provider().connection({ name: 'missing' }, io())).toBeUndefined();
    const connection = await provider().connection({ name: 'by-hand' }, io());
    expect(connection?.context).toBe('arn:aws:eks:us-west-2:123456789012:cluster/by-hand');
    expect(existsSync(connection!.kubeconfig)).toBe(true);
  });

  it('Given a cluster created 2 h 10 min ago, when listed, then the reminder shows its age and cost so far', async () => {
    const createdAt = new Date('2025-06-01T10:00:00Z');
    await provider(undefined, () => createdAt).up({ name: 'eks-workshop', nodes: 3, yes: true }, io());
    const [cluster] = await listKubelabEksClusters({ env: io().env, now: new Date('2025-06-01T12:10:00Z') });
    expect(cluster.ageMs).toBe(130 * 60_000);
    expect(formatEksClusterReminder(cluster)).toBe(
      'EKS cluster eks-workshop (us-west-2) running 2 h 10 min, about $0.94 so far — delete it with: kubelab cluster down --provider eks',
    );
  });
});
