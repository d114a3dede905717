import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_PLANE_BINARIES, CONTROL_PLANE_VERSION } from '../../../src/providers/control-plane-version.js';
import { findPlatformPackage, hostPlatform, platformPackageName } from '../../../src/providers/platform-package.js';

const ROOT = join(import.meta.dirname, '../../..');

/** A project folder whose node_modules holds a platform package of small stand-in binaries. */
function installFakePackage(project: string, options: { version?: string; platform?: string } = {}): string {
  const dir = join(project, 'node_modules', '@kubelab', 'control-plane-linux-x64');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const binaries: Record<string, { sha256: string; size: number }> = {};
  for (const b of CONTROL_PLANE_BINARIES) {
    const content = `#!/bin/sh\necho ${b}\n`;
    writeFileSync(join(dir, 'bin', b), content, { mode: 0o644 });
    binaries[b] = { sha256: createHash('sha256').update(content).digest('hex'), size: Buffer.byteLength(content) };
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@kubelab/control-plane-linux-x64', version: '9.9.9' }));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      controlPlaneVersion: options.version ?? CONTROL_PLANE_VERSION,
      platform: options.platform ?? 'linux-x64',
      versions: { kubernetes: CONTROL_PLANE_VERSION, etcd: 'v3.5.21', kwok: 'v0.7.0', go: 'go1.26' },
      binaries,
    }),
  );
  return dir;
}

describe('the prebuilt control plane package', () => {
  let project: string;
  let env: NodeJS.ProcessEnv;
  const find = () => findPlatformPackage({ env, from: join(project, 'index.js'), platform: 'linux-x64' });

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'kubelab-platform-'));
    env = { KUBELAB_CACHE_DIR: join(project, 'cache') };
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('given the platform ids npm uses, when mapped, then the four published platforms are known and others are not', () => {
    expect(hostPlatform('linux', 'x64')).toBe('linux-x64');
    expect(hostPlatform('darwin', 'arm64')).toBe('darwin-arm64');
    expect(hostPlatform('win32', 'x64')).toBeUndefined();
    expect(platformPackageName('darwin-x64')).toBe('@kubelab/control-plane-darwin-x64');
  });

  it('given no package installed, when looked up, then it is absent and says so', () => {
    expect(find()).toMatchObject({ state: 'absent', reason: '@kubelab/control-plane-linux-x64 is not installed' });
  });

  it('given an intact package, when looked up, then it is verified, its binaries made executable, and the verdict remembered', () => {
    const dir = installFakePackage(project);
    expect(find()).toMatchObject({ state: 'verified', version: '9.9.9', binDir: join(dir, 'bin') });
    expect(statSync(join(dir, 'bin', 'kube-apiserver')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(project, 'cache', 'platform-package-verified.json'), 'utf8')).toContain(join(dir, 'bin'));
  });

  it('given a binary changed after install (same size), when looked up, then the checksum refuses it, naming the binary', () => {
    const dir = installFakePackage(project);
    expect(find().state).toBe('verified');
    const file = join(dir, 'bin', 'kube-scheduler');
    writeFileSync(file, readFileSync(file, 'utf8').replace('kube-scheduler', 'kube-schedulex'));
    const found = find();
    expect(found).toMatchObject({ state: 'rejected' });
    expect(found.state === 'rejected' && found.reason).toMatch(/^kube-scheduler does not match its checksum \(sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\)$/);
  });

  it('given a truncated or grown binary, when looked up, then its size alone refuses it', () => {
    const dir = installFakePackage(project);
    appendFileSync(join(dir, 'bin', 'etcd'), 'x');
    expect(find()).toMatchObject({ state: 'rejected', reason: expect.stringMatching(/^etcd is \d+ bytes, its manifest says \d+$/) });
  });

  it('given a package of another control plane version or platform, when looked up, then it is refused with both versions named', () => {
    installFakePackage(project, { version: 'v1.30.0' });
    expect(find()).toMatchObject({ state: 'rejected', reason: `it holds control plane v1.30.0, this kubelab needs ${CONTROL_PLANE_VERSION}` });
    rmSync(join(project, 'node_modules'), { recursive: true });
    installFakePackage(project, { platform: 'darwin-arm64' });
    expect(find()).toMatchObject({ state: 'rejected', reason: 'it was built for darwin-arm64, this machine is linux-x64' });
  });

  it('given the build script, when its default version is read, then it is the version the runtime expects', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'build-control-plane.sh'), 'utf8');
    expect(/K8S_VERSION="\$\{KUBELAB_K8S_VERSION:-([^}]+)\}"/.exec(script)?.[1]).toBe(CONTROL_PLANE_VERSION);
  });

  it('given an unreleased tree, when --pin runs as the release does, then the four packages are pinned to kubelab’s version and nothing else changes', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; optionalDependencies: Record<string, string> };
    // npm ci refuses a package.json naming packages the registry does not have: none before a release.
    expect(Object.keys(pkg.optionalDependencies).filter((name) => name.startsWith('@kubelab/'))).toEqual([]);
    const copy = join(project, 'kubelab');
    mkdirSync(join(copy, 'scripts'), { recursive: true });
    for (const file of ['package.json', 'scripts/platform-packages.mjs', 'scripts/binary-format.mjs', 'scripts/build-control-plane.sh']) {
      writeFileSync(join(copy, file), readFileSync(join(ROOT, file)));
    }
    await promisify(execFile)(process.execPath, [join(copy, 'scripts', 'platform-packages.mjs'), '--pin']);
    const pinned = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as typeof pkg;
    for (const platform of ['linux-x64', 'linux-arm64', 'darwin-arm64', 'darwin-x64'] as const) {
      expect(pinned.optionalDependencies[platformPackageName(platform)], platform).toBe(pkg.version);
    }
    expect({ ...pinned, optionalDependencies: undefined }).toEqual({ ...pkg, optionalDependencies: undefined });
    expect(pinned.optionalDependencies['better-sqlite3']).toBe(pkg.optionalDependencies['better-sqlite3']);
  });
});
