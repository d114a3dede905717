import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { kubelab, ROOT } from '../support/cli.js';

describe('the bundled workshop, end to end on the local cluster', () => {
  it('given the three core lessons and the five optional ones, when validated with --prove, then every step passes, every check failed before its step, and a JUnit report is written', { timeout: 600_000 }, async () => {
    const reports = join(ROOT, 'reports');
    mkdirSync(reports, { recursive: true });
    const junit = join(reports, 'workshop-junit.xml');
    const started = Date.now();
    const result = await kubelab(['validate', '--provider', 'local', '--prove', '--reporter', 'junit', '--output', junit], { KUBELAB_STATE_DIR: inject('stateDir') }, { timeoutMs: 540_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    // 36 steps verified; the cluster lesson's last ("when you are done": commands shown only, no
    // check) is read, and a step nothing verified is never counted as passed.
    expect(xml).toMatch(/<testsuites name="kubelab" tests="37" failures="0" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="cluster" tests="\d+" failures="0" skipped="1"/);
    for (const lesson of ['cluster', 'microservices', 'rbac', 'labels', 'daemonsets', 'loadbalancer', 'pod-security', 'identities']) expect(xml).toContain(`<testsuite name="${lesson}"`);
    // The RBAC lesson's point: the intended Forbidden is shown as the expected outcome.
    expect(result.stderr).toContain('failed as expected');
    expect(result.stderr).toContain('http-through-proxy: not applicable on a simulated cluster');
    console.log(`bundled workshop validated with --prove in ${seconds.toFixed(1)} s`);
  });

  it('given the Node.js backend is deployed by hand, when list --probe asks the cluster, then the lesson resumes at the next step; reset --cleanup deletes what the lesson made', async () => {
    const env = { KUBELAB_STATE_DIR: inject('stateDir') };
    const kubectl = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', inject('kubeconfig'), ...args], { cwd: join(ROOT, 'lessons', '02-microservices'), encoding: 'utf8' });
    kubectl('apply', '-f', 'ecsdemo-nodejs/deployment.yaml', '-f', 'ecsdemo-nodejs/service.yaml');
    // Wait until the step's checks hold (the EndpointSlice follows the pods a moment later).
    const settled = await kubelab(['check', 'microservices/deploy-the-node-js-backend', '--wait', '60'], env);
    expect(settled.code, settled.stdout).toBe(0);
    const probed = JSON.parse((await kubelab(['list', '--probe', '--json'], env)).stdout);
    const lesson = probed.lessons.find((l: { id: string }) => l.id === 'microservices');
    expect(lesson).toMatchObject({ resumeAt: 'deploy-the-crystal-backend', status: 'in-progress' });

    const reset = await kubelab(['reset', 'microservices', '--cleanup'], env);
    expect(reset.code, reset.stderr).toBe(0);
    expect(kubectl('get', 'deployments,services', '-l', 'app=ecsdemo-nodejs', '-o', 'name').trim()).toBe('');
    const after = JSON.parse((await kubelab(['list', '--json'], env)).stdout);
    expect(after.lessons.find((l: { id: string }) => l.id === 'microservices').status).toBe('not-started');
  });

  it('given an existing cluster from the learner\'s own kubeconfig, when the RBAC lesson runs, then it passes and that kubeconfig is left byte for byte as it was', { timeout: 400_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'kubelab-existing-'));
    const mine = join(home, 'config');
    copyFileSync(inject('kubeconfig'), mine);
    const before = readFileSync(mine, 'utf8');
    const result = await kubelab(['validate', 'rbac', '--kubeconfig', mine, '--reporter', 'json'], { KUBELAB_STATE_DIR: inject('stateDir') }, { timeoutMs: 360_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ passed: 6, failed: 0 });
    expect(readFileSync(mine, 'utf8')).toBe(before);
  });

  it('given the bundled workshop, when linted, then there is no problem', async () => {
    const result = await kubelab(['lint'], { KUBELAB_STATE_DIR: inject('stateDir') });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('No problems found in 8 lessons.');
  });
});
