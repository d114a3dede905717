/**
 * `kubelab catch-up` against the real local cluster (issue 24, item 12), with `reset --cleanup`
 * on a clean cluster and `kubelab bundle` of a running one (items 7 and 13).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubelab, ROOT } from '../support/cli.js';
import { adminKubeConfig } from '../support/kube.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'workshops', 'basic');
const NS = 'fixture-catch-up';
// Progress of its own (a fresh state folder would have no cluster): the cluster's, with another file.
const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir'), NS });

describe('kubelab catch-up (real local cluster)', () => {
  const core = adminKubeConfig().makeApiClient(k8s.CoreV1Api);
  const apps = adminKubeConfig().makeApiClient(k8s.AppsV1Api);
  afterAll(async () => {
    for (const name of [NS, 'fixture-broken']) await core.deleteNamespace({ name }).catch(() => undefined);
  });

  it('Given a late arrival, when caught up to the last step, then the earlier steps ran and were checked, and progress and list say caught up', async () => {
    const result = await kubelab(['catch-up', 'hello/clean-up', '--workshop', FIXTURE, '--json'], env(), { timeoutMs: 240_000 });
    expect(result.stderr).toContain('↻ [1/2] hello/deploy-web');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ target: 'hello/clean-up', ok: true });
    expect(report.steps).toEqual([
      { step: 'hello/deploy-web', outcome: 'caught-up' },
      { step: 'hello/carry-on-and-fail-on-purpose', outcome: 'caught-up' },
    ]);
    // The cluster is where the last step expects it: the Deployment the first step makes is there.
    const web = await apps.readNamespacedDeployment({ name: 'web', namespace: NS });
    expect(web.spec?.replicas).toBe(2);

    const listed = await kubelab(['list', '--workshop', FIXTURE, '--json'], env());
    const hello = JSON.parse(listed.stdout).lessons.find((l: { id: string }) => l.id === 'hello');
    expect(hello.steps.map((s: { status: string }) => s.status)).toEqual(['caught-up', 'caught-up', 'not-started']);
    const human = await kubelab(['list', '--workshop', FIXTURE], env());
    expect(human.stdout).toMatch(/hello .*\(2 steps caught up\)/);

    // Again, to the second step: the first step's checks already hold, so it is not run twice.
    const again = await kubelab(['catch-up', 'hello/carry-on-and-fail-on-purpose', '--workshop', FIXTURE, '--json'], env(), { timeoutMs: 240_000 });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).steps).toEqual([{ step: 'hello/deploy-web', outcome: 'already-there' }]);
  }, 300_000);

  it('Given an earlier step whose check fails, when caught up past it, then it stops there with exit 1 and says what to do', async () => {
    const result = await kubelab(['catch-up', 'broken/never-reached', '--workshop', FIXTURE], env(), { timeoutMs: 120_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Catch-up stopped at broken/deploy-the-wrong-image');
    expect(result.stderr).toContain('nginx:9.9');
    const listed = JSON.parse((await kubelab(['list', '--workshop', FIXTURE, '--json'], env())).stdout);
    expect(listed.lessons.find((l: { id: string }) => l.id === 'broken').steps[0].status).not.toBe('caught-up');
  }, 180_000);

  it('Given no such step, then it is a usage error naming the steps', async () => {
    const result = await kubelab(['catch-up', 'hello/nope', '--workshop', FIXTURE], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Steps: deploy-web');
  });
});

describe('reset --cleanup on a clean cluster, and a bundle of a running one', () => {
  it('Given nothing of lesson 3 on the cluster, when reset with --cleanup, then it prints no error and exits 0', async () => {
    const result = await kubelab(['reset', 'rbac', '--cleanup'], env(), { timeoutMs: 120_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/error:|cannot delete/);
    expect(result.stderr).toContain('Progress for rbac is reset.');
  }, 150_000);

  it('Given the running local cluster, when a bundle is written, then it holds every component’s log and the cluster’s status, and says where it is', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kubelab-bundle-')), 'b.tar.gz');
    const result = await kubelab(['bundle', '--output', out], env(), { timeoutMs: 120_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Support bundle written to ${out}`);
    const names = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' });
    for (const part of ['kube-apiserver', 'etcd', 'kube-scheduler']) expect(names).toMatch(new RegExp(`kubelab-bundle/logs/${part}[^\\n]*\\.log`));
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-unpacked-'));
    execFileSync('tar', ['-xzf', out, '-C', dir]);
    expect(readFileSync(join(dir, 'kubelab-bundle', 'cluster-status.json'), 'utf8')).toContain('"state": "up"');
  }, 150_000);
});
