import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { ROOT } from '../support/cli.js';
import { adminKubeConfig } from '../support/kube.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** A command as a person types it in their own project folder, far from kubelab's clone. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 600_000): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr, seconds: Math.round((performance.now() - started) / 100) / 10 });
    });
  });
}

const FIXTURE = join(ROOT, 'test', 'fixtures', 'workshops', 'basic');

describe('kubelab as an installed npm package (npm pack → npm install → npx kubelab, real local cluster)', () => {
  const work = mkdtempSync(join(tmpdir(), 'kubelab-package-'));
  const project = join(work, 'project');
  const timings: Record<string, number> = {};
  const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir') });
  let tarball = '';

  beforeAll(async () => {
    const packed = await run('npm', ['pack', '--pack-destination', work, '--json'], ROOT);
    expect(packed.code, packed.stderr).toBe(0);
    timings.pack = packed.seconds;
    tarball = join(work, JSON.parse(packed.stdout)[0].filename);

    // An empty project of someone else's. --omit=optional: better-sqlite3 (only for `class serve`)
    // would compile native code for minutes; kubelab must work without it.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "someone-elses-workshop", "private": true }\n');
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', tarball], project, {}, 1_200_000);
    expect(installed.code, installed.stderr).toBe(0);
    timings.install = installed.seconds;
  }, 1_500_000);

  afterAll(async () => {
    // The measured figures, for docs/authoring.md.
    process.stderr.write(`package timings (s): ${JSON.stringify(timings)}\n`);
    const core = adminKubeConfig().makeApiClient(k8s.CoreV1Api);
    for (const name of ['fixture-basic', 'from-the-package']) await core.deleteNamespace({ name }).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('given the tarball, when listed, then it holds the built CLI, the bundled workshop, the control-plane scripts and docs, and nothing of the tests', async () => {
    const listed = await run('tar', ['-tzf', tarball], work);
    const files = listed.stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['bin/kubelab.js', 'dist/cli.js', 'dist/checker.js', 'types/checker.d.ts', 'workshop.yaml', 'lessons/03-rbac/lesson.md', 'scripts/build-control-plane.sh', 'scripts/setup-moto.sh', 'docs/lesson-format.md', 'docs/authoring.md', 'README.md']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(test|src|checkers|bench)\//.test(f) || f.includes('.test.'))).toEqual([]);
    const installedRoot = join(project, 'node_modules', 'kubelab');
    expect(readdirSync(installedRoot).sort()).toEqual(['README.md', 'bin', 'dist', 'docs', 'lessons', 'package.json', 'scripts', 'types', 'workshop.yaml']);
    expect(existsSync(join(project, 'node_modules', 'better-sqlite3'))).toBe(false);
  });

  it('given the install, when npx kubelab --version and lint run from the project, then they work from the installed files', async () => {
    const version = await run('npx', ['kubelab', '--version'], project);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toBe(`kubelab ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
    const lint = await run('npx', ['kubelab', 'lint', '--workshop', FIXTURE], project);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    // With no --workshop, the bundled workshop is found inside node_modules/kubelab, not the cwd.
    const bundled = await run('npx', ['kubelab', 'lint'], project);
    expect(bundled.stderr).toContain('No problems found in 8 lessons');
  });

  it('given the install and the running local cluster, when a fixture lesson is validated from it, then it passes', async () => {
    const validate = await run('npx', ['kubelab', 'validate', 'hello', '--workshop', FIXTURE, '--reporter', 'json'], project, env(), 300_000);
    expect(validate.code, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout).summary).toMatchObject({ passed: 3, failed: 0 });
    timings.validateFixture = validate.seconds;
  });

  it('given the install, when a workshop is started with init and validated with --prove, then it passes as created', async () => {
    const init = await run('npx', ['kubelab', 'init', 'from-the-package'], project);
    expect(init.code, init.stderr).toBe(0);
    timings.init = init.seconds;
    expect(readFileSync(join(project, 'from-the-package', '.github', 'workflows', 'kubelab.yml'), 'utf8')).toContain('--reporter github');
    const lint = await run('npx', ['kubelab', 'lint', '--workshop', 'from-the-package', '--reporter', 'github'], project);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).toBe('');
    const validate = await run('npx', ['kubelab', 'validate', '--workshop', 'from-the-package', '--prove', '--reporter', 'json'], project, env(), 300_000);
    expect(validate.code, validate.stderr).toBe(0);
    const report = JSON.parse(validate.stdout);
    expect(report.summary).toMatchObject({ passed: 2, failed: 0, skipped: 0 });
    expect(report.lessons[0].steps.flatMap((s: { passedEarly?: string[] }) => s.passedEarly ?? [])).toEqual([]);
    timings.validateInit = validate.seconds;
  });
});
