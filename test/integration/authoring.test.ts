import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubelab, ROOT } from '../support/cli.js';
import { adminKubeConfig } from '../support/kube.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'workshops', 'basic');

describe('authoring a workshop: annotations, init, new lesson (real local cluster)', () => {
  const env = (more: Record<string, string> = {}) => ({ KUBELAB_STATE_DIR: inject('stateDir'), ...more });
  afterAll(async () => {
    const core = adminKubeConfig().makeApiClient(k8s.CoreV1Api);
    await core.deleteNamespace({ name: 'fixture-broken' }).catch(() => undefined);
  });

  it('given a failing check, when validated with --reporter junit --output and --reporter github, then the JUnit file is written and the check is annotated at its line', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'kubelab-annot-')), 'report.xml');
    const result = await kubelab(['validate', 'broken', '--workshop', FIXTURE, '--reporter', 'junit', '--output', output, '--reporter', 'github'], env({ GITHUB_WORKSPACE: FIXTURE }));
    expect(result.code, result.stderr).toBe(1);
    expect(readFileSync(output, 'utf8')).toMatch(/<failure message="[^"]*api runs image nginx:1.27, not nginx:9.9">/);
    const lines = result.stdout.trimEnd().split('\n');
    // Only the failed step is annotated, at the failed check's own line (21, inside the `yaml step`
    // block that opens at 19): the step after it was skipped, not run.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error file=lessons\/broken\/lesson\.md,line=21,col=1,title=kubelab validate%3A broken\/deploy-the-wrong-image \(deployment-ready\)::api runs image nginx:1\.27, not nginx:9\.9%0Aexpected: nginx:9\.9%0Aactual: +nginx:1\.27$/);
  });

  it('given JSON and annotations both meant for stdout, when validated, then it is a usage error before anything runs', async () => {
    const result = await kubelab(['validate', 'broken', '--workshop', FIXTURE, '--reporter', 'json', '--reporter', 'github'], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--output');
  });

  it('given a scaffolded workshop with a new lesson, when linted with --reporter github and validated with --prove, then there is nothing to annotate and every step passes', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'kubelab-init-'));
    const init = await kubelab(['init', 'annotated-ws'], env(), { cwd: parent });
    expect(init.code, init.stderr).toBe(0);
    const added = await kubelab(['new', 'lesson', 'second one', '--workshop', 'annotated-ws'], env(), { cwd: parent });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe(`created ${join('annotated-ws', 'lessons', '02-second-one', 'lesson.md')}\n`);
    const lint = await kubelab(['lint', '--workshop', 'annotated-ws', '--reporter', 'github'], env(), { cwd: parent });
    expect(lint.code, lint.stderr).toBe(0);
    expect(lint.stdout).toBe('');
    const validate = await kubelab(['validate', '--workshop', 'annotated-ws', '--prove', '--reporter', 'json'], env(), { cwd: parent, timeoutMs: 300_000 });
    expect(validate.code, validate.stderr).toBe(0);
    const report = JSON.parse(validate.stdout);
    expect(report.lessons.map((l: { id: string; status: string }) => `${l.id}:${l.status}`)).toEqual(['hello:passed', 'second-one:passed']);
    // The placeholder check is reported as unprovable, so the author sees it is still to be written.
    expect(report.lessons[1].steps[0].unprovable?.[0]).toContain('placeholder');
  }, 400_000);

  it('given validate --watch on a scaffolded workshop, when a lesson file is saved, then that lesson is linted and run on the running cluster, and Ctrl-C stops the watch', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'kubelab-watch-'));
    expect((await kubelab(['init', 'watched-ws'], env(), { cwd: parent })).code).toBe(0);
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kubelab.js'), 'validate', '--workshop', 'watched-ws', '--watch'], { cwd: parent, env: { ...process.env, NO_COLOR: '1', ...env() } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => stderr, { timeout: 60_000, interval: 200 }).toContain('Watching');
      const saved = performance.now();
      appendFileSync(join(parent, 'watched-ws', 'lessons', '01-hello', 'lesson.md'), '\nOne more sentence for the learner.\n');
      await expect.poll(() => stderr, { timeout: 240_000, interval: 200 }).toMatch(/Running hello[\s\S]*passed/);
      process.stderr.write(`validate --watch: save to result in ${((performance.now() - saved) / 1000).toFixed(1)} s\n`);
      expect(stderr).toContain('changed: lessons/01-hello/lesson.md');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130);
  }, 400_000);
});
