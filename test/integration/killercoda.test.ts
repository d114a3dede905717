import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kubelab, ROOT } from '../support/cli.js';
import type { CheckReport as Check, LessonReport } from '../support/report.js';

// Killercoda scenarios written for these tests (test/fixtures/killercoda), run as they are.
const COLLECTION = join(ROOT, 'test', 'fixtures', 'killercoda');
const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir') });
const run = promisify(execFile);
const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', inject('kubeconfig'), ...args]).then((r) => r.stdout, (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}`);


async function cleanUp(): Promise<void> {
  // Waited for: a scenario run next would find the namespace still terminating.
  await kubectl('delete', 'namespace', 'shop', '--ignore-not-found', '--wait=true', '--timeout=120s');
  await kubectl('delete', 'pod', 'pinned', 'greeter', '--ignore-not-found', '--grace-period=0', '--force');
  await kubectl('delete', 'deployment', 'api', '--ignore-not-found');
  await kubectl('delete', 'configmap', 'settings', '--ignore-not-found');
  // The scenarios' nodes, beside kwokctl's: other tests count the cluster's nodes.
  await kubectl('delete', 'node', 'controlplane', 'node01', '--ignore-not-found');
  rmSync(join(inject('stateDir'), 'workspace', 'killercoda'), { recursive: true, force: true });
}

/** `kubelab check` of one step, once: its verify script's verdict. */
async function verify(step: string): Promise<Check> {
  const result = await kubelab(['check', step, '--workshop', COLLECTION, '--json'], env());
  const parsed = JSON.parse(result.stdout) as { checks?: Check[]; steps?: { checks: Check[] }[] };
  const checks = parsed.checks ?? parsed.steps?.flatMap((s) => s.checks) ?? [];
  return checks.find((c) => c.id === 'verify')!;
}

describe('Killercoda scenarios through the built CLI (real local cluster)', () => {
  beforeAll(cleanUp, 120_000);
  afterAll(cleanUp, 120_000);

  it('given the fixture collection, when linted, then it has no error and names the annotation kubelab does not support', async () => {
    const result = await kubelab(['lint', '--workshop', COLLECTION], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/exec-and-packages\/step2\.md:3:1: warning: \{\{unknown_annotation\}\}: an annotation kubelab does not support/);
  });

  it('given the collection, when validated with --prove, then every verify fails before its step and passes after it, and what cannot run here is reported, never passed', async () => {
    const result = await kubelab(['validate', '--workshop', COLLECTION, '--prove', '--verbose', '--reporter', 'json'], env(), { timeoutMs: 400_000 });
    const report = JSON.parse(result.stdout) as { lessons: LessonReport[]; summary: Record<string, number> };
    expect(report.lessons.map((l) => `${l.id}:${l.status}`), result.stderr).toEqual(['web-deployment:passed', 'node-placement:passed', 'katacoda-configmap:passed', 'exec-and-packages:skipped']);
    expect(result.code).toBe(0);
    const lessons = Object.fromEntries(report.lessons.map((l) => [l.id, l]));
    // Each verify is the step's check, with the script's ✅ line as its message.
    expect(lessons['web-deployment'].steps.map((s) => s.checks.find((c) => c.id === 'verify')?.message)).toEqual(['✅ Deployment web exists in shop', '✅ web runs 3 ready replicas']);
    expect(lessons['node-placement'].steps.map((s) => s.checks[0]?.message)).toEqual(['✅ pod pinned is on node01', '✅ api runs nginx:1.25, same Deployment as before']);
    // --prove: every verify was seen failing before its step (none passed early).
    expect(result.stderr).not.toMatch(/already passes/);
    expect(result.stderr).toMatch(/before the step, verify: not yet \(❌ pod pinned does not exist/);
    // {{copy}} blocks are shown, not run; a step checked by kubectl exec is not provable on simulated nodes.
    expect(lessons['web-deployment'].steps[0].notRun?.map((n) => n.reason)).toEqual(['{{copy}}: copied into the terminal by the learner, not run']);
    const exec = lessons['exec-and-packages'].steps;
    expect(exec[0]).toMatchObject({ status: 'skipped', unverified: expect.stringMatching(/^not provable here: needs a real node \(a running container\): kubectl exec/) });
    expect(exec[0].notRun?.map((n) => n.reason)).toEqual(['needs a real node (a running container): kubectl exec', 'needs a real node (a running container): kubectl exec']);
    expect(exec[1]).toMatchObject({ status: 'skipped', unverified: 'read: nothing to run or check' });
    expect(report.summary).toMatchObject({ passed: 5, verified: 5, failed: 0, read: 2 });
    // The background's package install and systemctl were reported, not run; its kubectl was run.
    expect(result.stderr).toMatch(/kubelab did not run setup\.sh:2: apt-get update && apt-get install -y jq — installs packages on the machine/);
    expect(result.stderr).toMatch(/kubelab did not run setup\.sh:3: systemctl restart kubelet — manages the machine's services/);
    expect(await kubectl('get', 'pod', 'greeter', '-o', 'name')).toMatch('pod/greeter');
    // Assets by glob and /tmp notes land in the scenario's home in the workspace, not in /root or /tmp.
    const home = join(inject('stateDir'), 'workspace', 'killercoda', 'killercoda');
    expect(existsSync(join(home, 'web-deployment', 'manifests', 'web.yaml'))).toBe(true);
    expect(existsSync(join(home, 'web-deployment', 'manifests', 'web-service.yaml'))).toBe(true);
    expect(readFileSync(join(home, 'node-placement', 'tmp', 'api-uid'), 'utf8')).toMatch(/^[0-9a-f-]{36}$/);
    // The 2-node backend's nodes, named and labelled as kubeadm names them (the last scenario, a
    // 1-node one, took the control-plane taint off again, as killercoda's 1-node backend has it).
    expect(await kubectl('get', 'node', 'controlplane', '-o', 'jsonpath={.metadata.labels.node-role\\.kubernetes\\.io/control-plane}|{.metadata.labels.kubernetes\\.io/hostname}|{.spec.taints}')).toBe('|controlplane|');
    expect(await kubectl('get', 'node', 'node01', '-o', 'name')).toMatch('node/node01');
  });

  it('given each verify shape, when the state is wrong, then the check fails with the script\'s ❌ line (or its last line)', async () => {
    // ✅/❌ lines and exit 1, reading a Deployment's status.
    await kubectl('delete', 'deployment', 'web', '-n', 'shop', '--wait=true');
    expect(await verify('web-deployment/scale-it-to-three')).toMatchObject({ status: expect.stringMatching(/fail|pending/), message: '❌ web has 0 ready replicas, expected 3' });
    // A file a background left under /tmp for its verify script.
    rmSync(join(inject('stateDir'), 'workspace', 'killercoda', 'killercoda', 'web-deployment', 'tmp', 'background-finished'), { force: true });
    expect(await verify('web-deployment/create-the-deployment')).toMatchObject({ message: '❌ the environment is not ready yet' });
    // The `k` alias, and a value compared with one the background kept (the original UID).
    await kubectl('delete', 'pod', 'pinned', '--grace-period=0', '--force');
    await kubectl('run', 'pinned', '--image=busybox:1.36', '--overrides={"spec":{"nodeName":"controlplane"}}', '--', 'sleep', '3600');
    expect(await verify('node-placement/a-pod-on-node01')).toMatchObject({ message: '❌ pod pinned runs on controlplane, not on node01' });
    await kubectl('delete', 'deployment', 'api', '--wait=true');
    await kubectl('create', 'deployment', 'api', '--image=nginx:1.25');
    expect(await verify('node-placement/change-the-image-in-place')).toMatchObject({ message: '❌ api was recreated: change it in place' });
    // No ✅/❌ at all: the last line the script printed (kubectl's own error).
    await kubectl('delete', 'configmap', 'settings');
    expect((await verify('katacoda-configmap/create-a-configmap')).message).toMatch(/NotFound|configmaps "settings" not found/);
  });
});

describe('Killercoda collection split across CI jobs (real local cluster)', () => {
  afterAll(cleanUp, 120_000);

  it('given --shard 1/2 and 2/2, when each job writes JUnit, then their suites and test cases add up to the whole collection', async () => {
    await cleanUp();
    // One after the other, as two CI jobs would each on their own cluster.
    const reports: { result: Awaited<ReturnType<typeof kubelab>> }[] = [];
    for (const shard of ['1/2', '2/2']) reports.push({ result: await kubelab(['validate', '--workshop', COLLECTION, '--shard', shard, '--reporter', 'junit'], env(), { timeoutMs: 400_000 }) });
    const suites = reports.flatMap(({ result }) => [...result.stdout.matchAll(/<testsuite name="([^"]+)" tests="(\d+)"/g)].map((m) => [m[1], Number(m[2])] as const));
    expect(suites.map(([name]) => name).sort()).toEqual(['exec-and-packages', 'katacoda-configmap', 'node-placement', 'web-deployment']);
    expect(suites.reduce((n, [, tests]) => n + tests, 0)).toBe(7);
    expect(reports.map(({ result }) => result.code), reports.map(({ result }) => result.stderr.split('\n').slice(-12).join('\n')).join('\n---\n')).toEqual([0, 0]);
    const bad = await kubelab(['validate', '--workshop', COLLECTION, '--shard', '3/2'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shard takes I\/N with 1 ≤ I ≤ N, not "3\/2"/);
  });
});

describe('content in which nothing can be run or checked here (real local cluster)', () => {
  afterAll(cleanUp, 120_000);

  it('given only a scenario whose steps need a real node or are prose, when validated on the local cluster, then it fails naming the format and what it found', async () => {
    const result = await kubelab(['validate', 'exec-and-packages', '--workshop', COLLECTION], env(), { timeoutMs: 200_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nothing could be run or checked: kubelab took this content for Killercoda\/Katacoda scenarios .* and found 1 lesson\(s\) with 2 step\(s\)/);
    expect(result.stderr).toMatch(/0 passed, 0 failed, 2 skipped/);
  });
});
