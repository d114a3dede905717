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

/** PATH without any folder holding a `go` executable: a learner's laptop with Node and kubectl only. */
function pathWithoutGo(): string {
  return (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => dir && !existsSync(join(dir, 'go')))
    .join(':');
}

describe('kubelab as an installed npm package (npm pack → npm install → npx kubelab, real local cluster)', () => {
  const work = mkdtempSync(join(tmpdir(), 'kubelab-package-'));
  const project = join(work, 'project');
  const timings: Record<string, number> = {};
  const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir') });
  let tarball = '';
  let platformTarball = '';
  const sizes: Record<string, number> = {};

  beforeAll(async () => {
    const packed = await run('npm', ['pack', '--pack-destination', work, '--json'], ROOT);
    expect(packed.code, packed.stderr).toBe(0);
    timings.pack = packed.seconds;
    tarball = join(work, JSON.parse(packed.stdout)[0].filename);

    // This platform's control-plane package, laid out from the binaries the suite already built
    // (the same script a release runs; the release also cross-compiles the other platforms).
    const platform = await run('node', [join(ROOT, 'scripts', 'platform-packages.mjs'), '--platforms', 'linux-x64', '--from-cache', '--pack', '--json', '--out', join(work, 'platform')], ROOT);
    expect(platform.code, platform.stderr).toBe(0);
    const [layout] = JSON.parse(platform.stdout) as { tarball: string; tarballBytes: number; unpackedBytes: number; binariesBytes: number }[];
    platformTarball = layout.tarball;
    Object.assign(sizes, { tarballMiB: layout.tarballBytes / 2 ** 20, unpackedMiB: layout.unpackedBytes / 2 ** 20 });
    timings.platformPack = platform.seconds;

    // An empty project of someone else's. --omit=optional: better-sqlite3 (only for `class serve`)
    // would compile native code for minutes; kubelab must work without it.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "someone-elses-workshop", "private": true }\n');
    // The platform package is named on the command line, as a registry would resolve kubelab's
    // optional dependency on it; --omit=optional still drops better-sqlite3.
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', tarball, platformTarball], project, {}, 1_200_000);
    expect(installed.code, installed.stderr).toBe(0);
    timings.install = installed.seconds;
  }, 1_500_000);

  afterAll(async () => {
    // The measured figures, for docs/authoring.md.
    process.stderr.write(`package timings (s): ${JSON.stringify(timings)}; linux-x64 control-plane package: ${JSON.stringify(sizes)}\n`);
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
    expect(readdirSync(installedRoot).sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'NOTICE', 'README.md', 'bin', 'dist', 'docs', 'examples', 'lessons', 'package.json', 'scripts', 'templates', 'types', 'workshop.yaml']);
    expect(files).toContain('dist/THIRD-PARTY-NOTICES.txt');
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

  describe('with the prebuilt control plane installed and no Go on PATH', () => {
    const own = join(work, 'prebuilt');
    // Its own state and an empty cache: nothing built from source can be found, Go cannot build.
    const prebuiltEnv = () => ({ KUBELAB_STATE_DIR: join(own, 'state'), KUBELAB_CACHE_DIR: join(own, 'cache'), PATH: pathWithoutGo() });
    const binDir = () => join(project, 'node_modules', '@kubelab', 'control-plane-linux-x64', 'bin');

    afterAll(async () => {
      await run('npx', ['kubelab', 'cluster', 'down', '--name', 'prebuilt'], project, prebuiltEnv());
    });

    it('given the install, when cluster up runs, then the cluster starts from the package’s binaries at once and doctor names them', async () => {
      expect((await run('sh', ['-c', 'command -v go || echo none'], project, { PATH: pathWithoutGo() })).stdout.trim()).toBe('none');
      const up = await run('npx', ['kubelab', 'cluster', 'up', '--name', 'prebuilt', '--nodes', '1'], project, prebuiltEnv(), 300_000);
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(up.stdout + up.stderr).not.toContain('building');
      timings.prebuiltClusterUp = up.seconds;
      const kubeconfig = join(own, 'state', 'clusters', 'local-prebuilt', 'kubeconfig');
      const nodes = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name'], project);
      expect(nodes.stdout.trim().split('\n')).toHaveLength(1);
      // The running API server is the package's binary (through the cluster folder's link or copy).
      const doctor = await run('npx', ['kubelab', 'doctor', '--json'], project, prebuiltEnv());
      const plane = (JSON.parse(doctor.stdout) as { checks: { id: string; found?: string; state: string }[] }).checks.find((c) => c.id === 'control-plane');
      expect(plane).toMatchObject({ state: 'ok', found: expect.stringContaining(`prebuilt @kubelab/control-plane-linux-x64@`) });
      expect(plane?.found).toContain(binDir());
      const down = await run('npx', ['kubelab', 'cluster', 'down', '--name', 'prebuilt'], project, prebuiltEnv());
      expect(down.code, down.stderr).toBe(0);
    });

    it('given a binary of the package altered, when cluster up runs, then the checksum refuses the package and kubelab takes the source path, saying why', async () => {
      const file = join(binDir(), 'kube-scheduler');
      const { openSync, writeSync, closeSync } = await import('node:fs');
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from('XXXX'), 0, 4, 4096);
      closeSync(fd);
      const up = await run('npx', ['kubelab', 'cluster', 'up', '--name', 'prebuilt', '--nodes', '1'], project, prebuiltEnv(), 300_000);
      const said = up.stdout + up.stderr;
      expect(said).toMatch(/The prebuilt control plane @kubelab\/control-plane-linux-x64 is not used: kube-scheduler does not match its checksum/);
      expect(said).toContain('Building from source instead');
      // Without Go the source path cannot go further: an environment problem, exit 3, naming Go.
      expect(up.code, said).toBe(3);
      expect(said).toMatch(/Go is not installed/);
      const doctor = await run('npx', ['kubelab', 'doctor'], project, prebuiltEnv());
      expect(doctor.stdout).toContain('prebuilt package not used: kube-scheduler does not match its checksum');
    });
  });
});
