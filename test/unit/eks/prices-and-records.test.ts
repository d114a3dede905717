import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eksRecordsFile,
  forgetEksCluster,
  formatAge,
  formatEksClusterReminder,
  listKubelabEksClusters,
  recordEksCluster,
} from '../../../src/aws/eks-records.js';
import { describeCost, estimateHourlyCost } from '../../../src/aws/prices.js';

describe('EKS price estimate', () => {
  it('Given the workshop cluster in us-west-2, when estimated, then control plane, three m5.large and the NAT gateway add up', () => {
    const estimate = estimateHourlyCost({ region: 'us-west-2', instanceType: 'm5.large', nodes: 3 });
    expect(estimate.lines.map((l) => l.label)).toEqual(['EKS control plane', '3 × m5.large nodes', 'NAT gateway']);
    expect(estimate.hourlyUsd).toBeCloseTo(0.1 + 3 * 0.096 + 0.045, 6);
    expect(estimate.unknown).toEqual([]);
  });

  it('Given an instance type missing from the table, when estimated, then it says what is unpriced instead of guessing', () => {
    const estimate = estimateHourlyCost({ region: 'sa-east-1', instanceType: 'c7g.xlarge', nodes: 2 });
    expect(estimate.hourlyUsd).toBe(0.1);
    expect(estimate.unknown).toEqual(['2 × c7g.xlarge in sa-east-1', 'NAT gateway in sa-east-1']);
    expect(describeCost(estimate)).toContain("no price in kubelab's table for 2 × c7g.xlarge in sa-east-1");
  });

  it('Given t3.small nodes in eu-west-1, when described, then the sentence gives per hour, per day and the table date', () => {
    const text = describeCost(estimateHourlyCost({ region: 'eu-west-1', instanceType: 't3.small', nodes: 3 }));
    expect(text).toBe(
      'EKS control plane $0.10/h + 3 × t3.small nodes $0.068/h + NAT gateway $0.048/h = about $0.22/h ($5.19/day), billed until you delete it. Prices recorded 2025-06-01.',
    );
  });
});

describe('the record of kubelab-created EKS clusters', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubelab-records-'));
    env = { KUBELAB_STATE_DIR: dir };
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const record = (name: string, region = 'us-west-2') => ({ name, region, createdAt: '2025-06-01T10:00:00.000Z', instanceType: 'm5.large', nodes: 3 });

  it('Given two clusters recorded and one forgotten, when listed, then only the other remains and no temp file is left', async () => {
    await recordEksCluster(record('a'), env);
    await recordEksCluster(record('b'), env);
    await recordEksCluster(record('a'), env);
    await forgetEksCluster({ name: 'a', region: 'us-west-2' }, env);
    expect((await listKubelabEksClusters({ env })).map((c) => c.name)).toEqual(['b']);
    expect(await readdir(dir)).toEqual(['eks-clusters.json']);
    expect(JSON.parse(await readFile(eksRecordsFile(env), 'utf8'))).toEqual({ clusters: [record('b')] });
  });

  it('Given the same name in two regions, when one is forgotten, then the other still reminds', async () => {
    await recordEksCluster(record('eks-workshop', 'us-west-2'), env);
    await recordEksCluster(record('eks-workshop', 'eu-west-1'), env);
    await forgetEksCluster({ name: 'eks-workshop', region: 'us-west-2' }, env);
    expect((await listKubelabEksClusters({ env })).map((c) => c.region)).toEqual(['eu-west-1']);
  });

  it('Given a damaged record file, when listed, then the list is empty instead of crashing the home screen', async () => {
    await writeFile(eksRecordsFile(env), '{ not json');
    expect(await listKubelabEksClusters({ env })).toEqual([]);
  });

  it('Given a cluster not named eks-workshop, when reminded, then the delete command carries its name', async () => {
    await recordEksCluster(record('team-a'), env);
    const [cluster] = await listKubelabEksClusters({ env, now: new Date('2025-06-01T10:45:00Z') });
    expect(formatEksClusterReminder(cluster)).toBe(
      'EKS cluster team-a (us-west-2) running 45 min, about $0.32 so far — delete it with: kubelab cluster down --provider eks --name team-a',
    );
  });

  it('Given ages from minutes to days, when formatted, then they read as min, h and d', () => {
    expect(formatAge(59 * 60_000)).toBe('59 min');
    expect(formatAge(130 * 60_000)).toBe('2 h 10 min');
    expect(formatAge(75 * 3_600_000)).toBe('3 d 3 h');
  });
});
