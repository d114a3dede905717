import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cacheDir } from '../paths.js';
import { CONTROL_PLANE_BINARIES, CONTROL_PLANE_VERSION } from './control-plane-version.js';

/**
 * The prebuilt control plane: one npm package per platform (esbuild's pattern), listed in
 * kubelab's optionalDependencies so that npm installs only the one that fits this machine.
 * kubelab uses it only when its manifest names this control plane version and every binary
 * matches the checksum the manifest records; otherwise it builds from source as before.
 */

/** The platforms a package is published for: npm's os-cpu → Go's GOOS/GOARCH. */
export const PLATFORMS = {
  'linux-x64': { goos: 'linux', goarch: 'amd64', os: 'linux', cpu: 'x64' },
  'linux-arm64': { goos: 'linux', goarch: 'arm64', os: 'linux', cpu: 'arm64' },
  'darwin-arm64': { goos: 'darwin', goarch: 'arm64', os: 'darwin', cpu: 'arm64' },
  'darwin-x64': { goos: 'darwin', goarch: 'amd64', os: 'darwin', cpu: 'x64' },
} as const;
export type PlatformId = keyof typeof PLATFORMS;

export const PLATFORM_PACKAGE_SCOPE = '@kubelab';

export function platformPackageName(platform: PlatformId): string {
  return `${PLATFORM_PACKAGE_SCOPE}/control-plane-${platform}`;
}

/** This machine's platform id, or undefined where no package is published (Windows, 32-bit…). */
export function hostPlatform(os: string = process.platform, cpu: string = process.arch): PlatformId | undefined {
  const id = `${os}-${cpu}`;
  return id in PLATFORMS ? (id as PlatformId) : undefined;
}

/** manifest.json at the root of a platform package: what was built, from what, and each binary's checksum. */
export interface PlatformManifest {
  controlPlaneVersion: string;
  platform: PlatformId;
  versions: { kubernetes: string; etcd: string; kwok: string; go: string };
  binaries: Record<string, { sha256: string; size: number }>;
}

export type PlatformPackage =
  | { state: 'verified'; name: string; version: string; dir: string; binDir: string }
  /** Not installed (or no package exists for this platform): the normal case before a release. */
  | { state: 'absent'; name?: string; reason: string }
  /** Installed but not usable: a wrong version or a checksum that does not match. */
  | { state: 'rejected'; name: string; dir: string; reason: string };

export interface FindOptions {
  env?: NodeJS.ProcessEnv;
  /** Resolve the package as a module required from this file (kubelab's own install by default). */
  from?: string;
  platform?: PlatformId;
}

/**
 * Finds this platform's package where Node would resolve it from kubelab's installation, and
 * verifies it. Hashing ~300 MB takes about a second, so a verified package is remembered in the
 * cache (by path, size, inode and mtime of each binary) and later starts only stat the files.
 */
export function findPlatformPackage(options: FindOptions = {}): PlatformPackage {
  const env = options.env ?? process.env;
  const platform = options.platform ?? hostPlatform();
  if (!platform) return { state: 'absent', reason: `no prebuilt control plane is published for ${process.platform}-${process.arch}` };
  const name = platformPackageName(platform);
  let dir: string;
  try {
    dir = dirname(createRequire(options.from ?? import.meta.url).resolve(`${name}/package.json`));
  } catch {
    return { state: 'absent', name, reason: `${name} is not installed` };
  }
  const rejected = (reason: string): PlatformPackage => ({ state: 'rejected', name, dir, reason });
  let manifest: PlatformManifest;
  let version: string;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as PlatformManifest;
    version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  } catch (error) {
    return rejected(`its manifest.json cannot be read (${(error as Error).message})`);
  }
  if (manifest.controlPlaneVersion !== CONTROL_PLANE_VERSION) {
    return rejected(`it holds control plane ${manifest.controlPlaneVersion}, this kubelab needs ${CONTROL_PLANE_VERSION}`);
  }
  if (manifest.platform !== platform) return rejected(`it was built for ${manifest.platform}, this machine is ${platform}`);
  const binDir = join(dir, 'bin');
  const stamp = join(cacheDir(env), 'platform-package-verified.json');
  const fingerprint: Record<string, string> = {};
  for (const binary of CONTROL_PLANE_BINARIES) {
    const expected = manifest.binaries?.[binary];
    const file = join(binDir, binary);
    if (!expected) return rejected(`its manifest lists no ${binary}`);
    if (!existsSync(file)) return rejected(`${binary} is missing from ${binDir}`);
    const stat = statSync(file);
    if (stat.size !== expected.size) return rejected(`${binary} is ${stat.size} bytes, its manifest says ${expected.size}`);
    fingerprint[binary] = `${stat.size}:${stat.ino}:${stat.mtimeMs}:${expected.sha256}`;
  }
  const key = JSON.stringify({ binDir, fingerprint });
  if (readStamp(stamp) !== key) {
    for (const binary of CONTROL_PLANE_BINARIES) {
      const actual = sha256File(join(binDir, binary));
      if (actual !== manifest.binaries[binary].sha256) {
        return rejected(`${binary} does not match its checksum (sha256 ${actual.slice(0, 12)}…, expected ${manifest.binaries[binary].sha256.slice(0, 12)}…)`);
      }
    }
    rememberVerified(stamp, key);
  }
  ensureExecutable(binDir);
  return { state: 'verified', name, version, dir, binDir };
}

export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function readStamp(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function rememberVerified(file: string, key: string): void {
  try {
    // Synchronous (cluster paths are resolved synchronously) and atomic: a temp file renamed.
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, key, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // A read-only cache only costs the next start another hash.
  }
}

/** npm keeps a file's executable bit in its tarball, but a package copied by other means may lose it. */
function ensureExecutable(binDir: string): void {
  for (const binary of CONTROL_PLANE_BINARIES) {
    const file = join(binDir, binary);
    if ((statSync(file).mode & 0o111) === 0) {
      try {
        chmodSync(file, 0o755);
      } catch {
        // Left as is: starting it then fails with a message naming the file.
      }
    }
  }
}

/** Where the binaries come from: a folder someone pointed at, the prebuilt package, or the source build's cache. */
export interface ControlPlaneSource {
  binDir: string;
  source: 'env' | 'package' | 'cache';
  /** The platform package as found (verified, absent, or rejected with the reason). */
  platformPackage?: PlatformPackage;
}

/**
 * KUBELAB_BIN_DIR first (theirs to fill), then this platform's prebuilt package if it is installed
 * and verified, else the cache that scripts/build-control-plane.sh fills.
 */
export function resolveControlPlane(env: NodeJS.ProcessEnv): ControlPlaneSource {
  if (env.KUBELAB_BIN_DIR) return { binDir: env.KUBELAB_BIN_DIR, source: 'env' };
  const platformPackage = findPlatformPackage({ env });
  if (platformPackage.state === 'verified') return { binDir: platformPackage.binDir, source: 'package', platformPackage };
  return { binDir: join(cacheDir(env), CONTROL_PLANE_VERSION, 'bin'), source: 'cache', platformPackage };
}

