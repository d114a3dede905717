import { readFileSync, mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubelab, ROOT } from '../support/cli.js';
import { adminKubeConfig } from '../support/kube.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'workshops', 'basic');
const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir') });

describe('kubelab validate, check, list and lint on a fixture workshop (real local cluster)', () => {
  const core = adminKubeConfig().makeApiClient(k8s.CoreV1Api);
  afterAll(async () => {
    for (const name of ['fixture-basic', 'fixture-broken']) await core.deleteNamespace({ name }).catch(() => undefined);
  });

  it('given a lesson whose steps succeed, when validated with the JSON reporter, then every step passes and the report has the documented shape', async () => {
    const result = await kubelab(['validate', 'hello', '--workshop', FIXTURE, '--reporter', 'json'], env());
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ passed: 3, failed: 0, skipped: 0 });
    const [lesson] = report.lessons;
    expect(lesson).toMatchObject({ id: 'hello', status: 'passed', durationMs: expect.any(Number) });
    expect(lesson.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual(['deploy-web:passed', 'carry-on-and-fail-on-purpose:passed', 'clean-up:passed']);
    expect(lesson.steps[0].checks).toEqual([{ id: 'deployment-ready', checker: 'deployment-ready', status: 'pass', message: 'web: 2/2 replicas ready', durationMs: expect.any(Number) }]);
    // The environment carried from the first step's block into the second, and the failure was expected.
    expect(result.stderr).toContain('failed as expected');
  });

  it('given a check that must fail, when validated, then the step fails with expected and actual, later steps are skipped, and the exit code is 1', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'kubelab-junit-')), 'report.xml');
    const result = await kubelab(['validate', 'broken', '--workshop', FIXTURE, '--reporter', 'junit', '--output', output], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('api runs image nginx:1.27, not nginx:9.9');
    expect(result.stderr).toContain('expected: nginx:9.9');
    const xml = readFileSync(output, 'utf8');
    expect(xml).toContain('<testsuite name="broken" tests="2" failures="1" skipped="1"');
    expect(xml).toContain('<failure message="deployment-ready: api runs image nginx:1.27, not nginx:9.9">');
  });

  it('given --bail, when a lesson fails, then the lessons after it are skipped, not run', async () => {
    const result = await kubelab(['validate', 'broken', 'unfailable', '--workshop', FIXTURE, '--bail', '--reporter', 'json'], env());
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.lessons.map((l: { id: string; status: string }) => `${l.id}:${l.status}`)).toEqual(['broken:failed', 'unfailable:skipped']);
    expect(report.lessons[0].steps[0].error).toBe('deployment-ready: api runs image nginx:1.27, not nginx:9.9');
    expect(report.lessons[1].steps[0].error).toBe('skipped after an earlier failure (--bail)');
  });

  it('given a check that cannot fail, when validated with --prove, then it is reported as passing before its step', async () => {
    const result = await kubelab(['validate', 'unfailable', '--workshop', FIXTURE, '--prove', '--reporter', 'json'], env());
    expect(result.code).toBe(1);
    const step = JSON.parse(result.stdout).lessons[0].steps[0];
    expect(step.passedEarly).toEqual(['api-reachable']);
    expect(step.error).toBe('passed before the step ran, so it cannot fail: api-reachable');
  });

  it('given good checks, when validated with --prove, then each fails before its step and passes after', async () => {
    const result = await kubelab(['validate', 'hello', '--workshop', FIXTURE, '--prove', '--reporter', 'json'], env());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).lessons[0].steps.every((s: { passedEarly?: string[] }) => (s.passedEarly ?? []).length === 0)).toBe(true);
  });

  it('given only the checks, when kubelab check runs against the cluster as it is, then a missing deployment is pending and the exit code is 1; once it exists, 0', async () => {
    const before = await kubelab(['check', 'hello/deploy-web', '--workshop', FIXTURE, '--json'], env());
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout).checks[0]).toMatchObject({ status: 'pending', message: 'nothing created yet — did you run the step? (web: no Deployment in namespace fixture-basic yet)' });
    const apps = adminKubeConfig().makeApiClient(k8s.AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: 'fixture-basic' } } });
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace: 'fixture-basic',
      body: { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } },
    });
    const after = await kubelab(['check', 'hello/deploy-web', '--workshop', FIXTURE, '--wait', '30'], env());
    expect(after.stdout).toContain('✔ deploy-web/deployment-ready: web: 2/2 replicas ready');
    expect(after.code).toBe(0);
    await core.deleteNamespace({ name: 'fixture-basic' });
  });

  it('given an unreachable cluster, when validate runs, then it exits 3 and says what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-unreachable-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: gone, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: abc}}]\ncontexts: [{name: gone, context: {cluster: gone, user: u}}]\ncurrent-context: gone\n',
    );
    const result = await kubelab(['validate', 'hello', '--workshop', FIXTURE, '--kubeconfig', kubeconfig], env());
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/is not reachable: .*ECONNREFUSED/);
    expect(result.stderr).toContain('Next: Check it with: kubelab cluster status');
  });

  it('given an unknown lesson or reporter, when validate runs, then it exits 2 naming the choices', async () => {
    const lesson = await kubelab(['validate', 'nope', '--workshop', FIXTURE], env());
    expect(lesson.code).toBe(2);
    expect(lesson.stderr).toContain('No lesson "nope". Lessons: hello, broken, unfailable.');
    const reporter = await kubelab(['validate', '--workshop', FIXTURE, '--reporter', 'xml'], env());
    expect(reporter.code).toBe(2);
  });

  it('given a workshop, when listed, then lessons show their minutes and status', async () => {
    const result = await kubelab(['list', '--workshop', FIXTURE, '--json'], env());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).lessons.map((l: { id: string; minutes: number }) => [l.id, l.minutes])).toEqual([
      ['hello', 2],
      ['broken', 1],
      ['unfailable', 1],
    ]);
  });

  it('given a workshop with content errors, when linted, then each error has its place and the exit code is 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-lint-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const file = join(dir, 'lessons', 'hello', 'lesson.md');
    const text = readFileSync(file, 'utf8')
      .replace('check: deployment-ready', 'check: deployment-readyy')
      .replace('check: gone\n    args: { resources: [{ kind: Namespace, name: "${NS}" }] }', 'check: gone\n    args: { resources: [] }')
      .replace('```bash timeout=60', '```bash timeout=60 retries=5')
      .replace('cleanup: cleanup.mjs', 'cleanup: missing.mjs');
    writeFileSync(file, `${text}\n## Applies a file that is not there\n\n\`\`\`bash\nkubectl apply -f nothing.yaml\n\`\`\`\n`);
    const result = await kubelab(['lint', '--workshop', dir], env());
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/lesson\.md:\d+:\d+: unknown block attribute "retries"/),
        expect.stringMatching(/lesson\.md:\d+:1: unknown checker "deployment-readyy" \(known: .*deployment-ready/),
        expect.stringMatching(/lesson\.md:\d+:1: check "gone" args\.resources: Array must contain at least 1 element/),
        expect.stringMatching(/lesson\.md:2:1: script "missing\.mjs" not found/),
        expect.stringMatching(/lesson\.md:\d+:1: the command applies "nothing\.yaml", which is not in the lesson folder/),
      ]),
    );
    expect(lines.every((l) => l.startsWith(file))).toBe(true);
  });
});
