import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atLeast, formatDoctorReport, parseVersion, runDoctor } from '../../../src/services/doctor.js';
import { findOnPath } from '../../../src/engine/running/tools.js';
import { CONTROL_PLANE_VERSION } from '../../../src/providers/control-plane-version.js';

/** A folder of stub executables standing in for the real tools, each printing a fixed version. */
function stub(dir: string, name: string, output: string, exitCode = 0): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' '${output}'\nexit ${exitCode}\n`);
  chmodSync(file, 0o755);
}

const ALL_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok', 'kwokctl'];

describe('kubelab doctor', () => {
  let root: string;
  let path: string;
  let cache: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kubelab-doctor-'));
    path = join(root, 'bin');
    cache = join(root, 'cache');
    mkdirSync(path);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  // /bin holds sh for the stubs' shebang line, but none of the tools on this machine's PATH.
  const env = () => ({ PATH: path, KUBELAB_CACHE_DIR: cache, HOME: root });
  const signal = new AbortController().signal;
  const buildCache = () => {
    const bin = join(cache, CONTROL_PLANE_VERSION, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const b of ALL_BINARIES) writeFileSync(join(bin, b), '');
    writeFileSync(join(bin, '.build-seconds'), '290\n');
  };
  const goodTools = () => {
    stub(path, 'kubectl', '{"clientVersion":{"gitVersion":"v1.33.1"}}');
    stub(path, 'go', 'go version go1.24.3 linux/amd64');
    stub(path, 'openssl', 'OpenSSL 3.0.13 30 Jan 2024');
    stub(path, 'tmux', 'tmux 3.4');
    stub(path, 'python3', 'Python 3.12.3');
  };

  it('given every tool and a built control plane, when checked, then it is ready with versions shown', async () => {
    goodTools();
    buildCache();
    mkdirSync(join(cache, 'moto-venv', 'bin'), { recursive: true });
    stub(join(cache, 'moto-venv', 'bin'), 'moto_server', '');
    const report = await runDoctor({ env: env(), signal, nodeVersion: '20.20.0', cores: 2 });
    expect(report.ready).toBe(true);
    expect(report.checks.map((c) => [c.id, c.state])).toEqual([
      ['node', 'ok'], ['kubectl', 'ok'], ['go', 'ok'], ['control-plane', 'ok'], ['openssl', 'ok'],
      // The other providers' tools are optional: the default local cluster needs none of them.
      ['docker', 'missing'], ['kind', 'missing'], ['eksctl', 'missing'], ['aws', 'missing'], ['aws-credentials', 'missing'],
      ['tmux', 'ok'], ['python3', 'ok'], ['moto', 'ok'],
    ]);
    expect(report.checks.find((c) => c.id === 'kubectl')?.found).toBe('v1.33.1');
    expect(report.checks.find((c) => c.id === 'go')?.found).toBe('go1.24.3');
    expect(report.checks.find((c) => c.id === 'control-plane')?.found).toContain('cold build took 290 s');
    expect(formatDoctorReport(report)).toContain('Ready:');
  });

  it('given no kubectl and an empty cache, when checked, then it is not ready and names the fix for each', async () => {
    goodTools();
    rmSync(join(path, 'kubectl'));
    const report = await runDoctor({ env: env(), signal, nodeVersion: '20.20.0', cores: 2 });
    expect(report.ready).toBe(false);
    const kubectl = report.checks.find((c) => c.id === 'kubectl')!;
    expect(kubectl).toMatchObject({ state: 'missing', need: 'needed' });
    expect(kubectl.fix).toContain('https://kubernetes.io/docs/tasks/tools/');
    const plane = report.checks.find((c) => c.id === 'control-plane')!;
    expect(plane).toMatchObject({ state: 'missing', need: 'needed' });
    expect(plane.fix).toContain('npm run build:cluster');
    expect(plane.fix).toContain('about 9 min');
    const text = formatDoctorReport(report);
    expect(text).toContain('✘ kubectl: missing');
    expect(text).toContain('To fix:');
    expect(text).toContain('Not ready');
  });

  it('given an old Go and no control plane, when checked, then Go is too old and needed', async () => {
    goodTools();
    stub(path, 'go', 'go version go1.22.5 linux/amd64');
    const report = await runDoctor({ env: env(), signal, nodeVersion: '20.20.0', cores: 2 });
    expect(report.checks.find((c) => c.id === 'go')).toMatchObject({ state: 'too-old', need: 'needed', found: 'go1.22.5' });
    expect(report.ready).toBe(false);
  });

  it('given the control plane is built, when Go is missing, then that is fine: Go is only optional then', async () => {
    goodTools();
    rmSync(join(path, 'go'));
    buildCache();
    const report = await runDoctor({ env: env(), signal, nodeVersion: '20.20.0', cores: 2 });
    expect(report.checks.find((c) => c.id === 'go')).toMatchObject({ state: 'missing', need: 'optional' });
    expect(report.ready).toBe(true);
  });

  it('given only the optional tools are missing, when checked, then it is still ready', async () => {
    goodTools();
    rmSync(join(path, 'tmux'));
    rmSync(join(path, 'python3'));
    buildCache();
    const report = await runDoctor({ env: env(), signal, nodeVersion: '20.20.0', cores: 2 });
    expect(report.ready).toBe(true);
    expect(report.checks.filter((c) => c.state !== 'ok').map((c) => c.id)).toEqual(['docker', 'kind', 'eksctl', 'aws', 'aws-credentials', 'tmux', 'python3', 'moto']);
  });

  it('given a too-old Node or a tool whose version command fails, when checked, then each is said as such', async () => {
    goodTools();
    stub(path, 'openssl', 'broken', 1);
    buildCache();
    const report = await runDoctor({ env: env(), signal, nodeVersion: '18.19.0', cores: 2 });
    expect(report.checks.find((c) => c.id === 'node')).toMatchObject({ state: 'too-old', found: 'v18.19.0' });
    expect(report.checks.find((c) => c.id === 'openssl')?.found).toContain('its version command failed');
    expect(report.ready).toBe(false);
  });

  it('given a build running now, when checked, then the control plane is "building", not missing', async () => {
    goodTools();
    mkdirSync(join(cache, CONTROL_PLANE_VERSION), { recursive: true });
    writeFileSync(join(cache, CONTROL_PLANE_VERSION, '.building'), `${process.pid}\n`);
    const report = await runDoctor({ env: env(), signal, nodeVersion: '20.20.0', cores: 2 });
    expect(report.checks.find((c) => c.id === 'control-plane')).toMatchObject({ state: 'building' });
    expect(report.ready).toBe(false);
  });

  it('given a PATH, when looking for a tool, then only executables in it are found', () => {
    stub(path, 'kubectl', '');
    writeFileSync(join(path, 'notexec'), '');
    expect(findOnPath('kubectl', { PATH: `/nonexistent:${path}` })).toBe(join(path, 'kubectl'));
    expect(findOnPath('notexec', { PATH: path })).toBeUndefined();
    expect(findOnPath('kubectl', {})).toBeUndefined();
  });

  it('given version texts, when compared, then the numbers decide', () => {
    expect(parseVersion('go version go1.24.3 linux/amd64')).toEqual([1, 24, 3]);
    expect(atLeast(parseVersion('Python 3.9'), [3, 9, 0])).toBe(true);
    expect(atLeast(parseVersion('Python 3.8.10'), [3, 9, 0])).toBe(false);
    expect(atLeast(undefined, [1, 0, 0])).toBe(false);
  });

  it('Given docker but no kind, and eksctl and aws with credentials in the environment, then each provider tool is reported and no secret is printed', async () => {
    goodTools();
    buildCache();
    stub(path, 'docker', '27.1.1');
    stub(path, 'eksctl', '0.190.0');
    stub(path, 'aws', 'aws-cli/2.17.0 Python/3.11');
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const report = await runDoctor({ env: { ...env(), AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: secret }, signal, nodeVersion: '20.20.0', cores: 2 });
    const state = (id: string) => report.checks.find((c) => c.id === id)?.state;
    expect([state('docker'), state('kind'), state('eksctl'), state('aws'), state('aws-credentials')]).toEqual(['ok', 'missing', 'ok', 'ok', 'ok']);
    const text = formatDoctorReport(report);
    expect(text).toContain('kind: install kind: https://kind.sigs.k8s.io');
    expect(text).toContain('AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    // Optional: the local cluster is still ready without kind.
    expect(report.ready).toBe(true);
  });

  it('Given a credentials file and nothing in the environment, then AWS credentials are found without reading the file', async () => {
    goodTools();
    mkdirSync(join(root, '.aws'));
    writeFileSync(join(root, '.aws', 'credentials'), '[default]\naws_secret_access_key = notprinted\n');
    const report = await runDoctor({ env: env(), signal, nodeVersion: '20.20.0', cores: 2 });
    const creds = report.checks.find((c) => c.id === 'aws-credentials')!;
    expect(creds.state).toBe('ok');
    expect(formatDoctorReport(report)).not.toContain('notprinted');
  });
});
