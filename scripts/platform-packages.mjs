#!/usr/bin/env node
// Lays out (and packs) one npm package per platform holding the local control plane's six
// binaries, as esbuild does for its own: kubelab lists them as optionalDependencies with exact
// versions and npm installs only the one whose os/cpu fit the machine.
//
//   node scripts/platform-packages.mjs [--platforms linux-x64,darwin-arm64,...] [--out DIR]
//                                      [--from-cache] [--pack] [--json]
//   node scripts/platform-packages.mjs --pin
//
// --pin writes the four packages into package.json's optionalDependencies at kubelab's exact
// version. The release runs it only once they are published: `npm ci` refuses a lockfile whose
// package.json names a package the registry does not have, so an unreleased tree lists none.
//
// Each platform is built with scripts/build-control-plane.sh (the same versions and one-module
// build as the source path; KUBELAB_GOOS/KUBELAB_GOARCH cross-compile), unless --from-cache, which
// uses what is already built and fails if it is not. Every binary is checked for its format (ELF or
// Mach-O and the right CPU) before it is packaged: a cross-compile that went wrong never ships.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXPECTED_FORMAT, formatProblem } from './binary-format.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_SCRIPT = join(ROOT, 'scripts', 'build-control-plane.sh');
const BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok', 'kwokctl'];
const PLATFORMS = {
  'linux-x64': { goos: 'linux', goarch: 'amd64', os: 'linux', cpu: 'x64' },
  'linux-arm64': { goos: 'linux', goarch: 'arm64', os: 'linux', cpu: 'arm64' },
  'darwin-arm64': { goos: 'darwin', goarch: 'arm64', os: 'darwin', cpu: 'arm64' },
  'darwin-x64': { goos: 'darwin', goarch: 'amd64', os: 'darwin', cpu: 'x64' },
};

// The versions the build script builds: read from it, so the two cannot drift.
function scriptDefault(name) {
  const match = new RegExp(`${name}="\\$\\{KUBELAB_${name}:-([^}]+)\\}"`).exec(readFileSync(BUILD_SCRIPT, 'utf8'));
  if (!match) throw new Error(`cannot read ${name} from ${BUILD_SCRIPT}`);
  return match[1];
}
const VERSIONS = { kubernetes: scriptDefault('K8S_VERSION'), etcd: scriptDefault('ETCD_VERSION'), kwok: scriptDefault('KWOK_VERSION') };

const { values } = parseArgs({
  options: {
    platforms: { type: 'string', default: Object.keys(PLATFORMS).join(',') },
    out: { type: 'string', default: join(ROOT, 'dist-platform') },
    'from-cache': { type: 'boolean', default: false },
    pack: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
  },
});

const say = (line) => process.stderr.write(`[platform-packages] ${line}\n`);
const cacheRoot = process.env.KUBELAB_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kubelab');
const mainPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const goEnv = (key) => execFileSync('go', ['env', key], { encoding: 'utf8' }).trim();

/** Where build-control-plane.sh puts a platform's binaries (bin/ for the host, bin-GOOS-GOARCH otherwise). */
function binDirFor(platform) {
  const { goos, goarch } = PLATFORMS[platform];
  const host = `${goEnv('GOOS')}/${goEnv('GOARCH')}` === `${goos}/${goarch}`;
  return join(cacheRoot, VERSIONS.kubernetes, host ? 'bin' : `bin-${goos}-${goarch}`);
}

function build(platform) {
  const { goos, goarch } = PLATFORMS[platform];
  say(`building the control plane for ${platform} (${goos}/${goarch})`);
  const result = spawnSync('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KUBELAB_GOOS: goos, KUBELAB_GOARCH: goarch } });
  if (result.status !== 0) throw new Error(`the build for ${platform} failed (exit ${result.status})`);
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The licence and notice files of every module compiled into the binaries, and Go's own. */
function collectLicences(platform, into) {
  const { goos, goarch } = PLATFORMS[platform];
  const moduleDir = join(cacheRoot, VERSIONS.kubernetes, 'src', 'control-plane');
  const packages = ['k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-controller-manager', 'k8s.io/kubernetes/cmd/kube-scheduler', 'go.etcd.io/etcd/server/v3', 'sigs.k8s.io/kwok/cmd/kwok', 'sigs.k8s.io/kwok/cmd/kwokctl'];
  const listed = execFileSync('go', ['list', '-deps', '-f', '{{with .Module}}{{.Path}}@{{.Version}} {{.Dir}}{{end}}', ...packages], {
    cwd: moduleDir,
    encoding: 'utf8',
    env: { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const modules = new Map();
  for (const line of listed.split('\n')) {
    const [id, dir] = line.trim().split(' ');
    if (id && dir) modules.set(id, dir);
  }
  modules.set(`go@${goEnv('GOVERSION')}`, goEnv('GOROOT'));
  const notices = [];
  for (const [id, dir] of [...modules].sort()) {
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && /^(LICEN[CS]E|COPYING|NOTICE|PATENTS)/i.test(entry.name))
      .map((entry) => entry.name);
    if (files.length === 0) {
      notices.push(`${id}: no licence file found in the module (see its repository)`);
      continue;
    }
    const target = join(into, 'licenses', id.replace('@', '/'));
    mkdirSync(target, { recursive: true });
    for (const f of files) copyFileSync(join(dir, f), join(target, f));
    notices.push(`${id}: ${files.map((f) => relative(into, join(target, f))).join(', ')}`);
  }
  return notices;
}

function layOut(platform) {
  const spec = PLATFORMS[platform];
  const binDir = binDirFor(platform);
  const missing = BINARIES.filter((b) => !existsSync(join(binDir, b)));
  if (missing.length) {
    if (values['from-cache']) throw new Error(`${platform}: missing in ${binDir}: ${missing.join(', ')} (run without --from-cache to build them)`);
    build(platform);
  }
  const name = `@kubelab/control-plane-${platform}`;
  const dir = join(values.out, `control-plane-${platform}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const binaries = {};
  let goVersion = '';
  for (const b of BINARIES) {
    const source = join(binDir, b);
    const problem = formatProblem(source, platform);
    if (problem) throw new Error(`${platform}: ${b} ${problem}`);
    copyFileSync(source, join(dir, 'bin', b));
    chmodSync(join(dir, 'bin', b), 0o755);
    binaries[b] = { sha256: sha256(source), size: statSync(source).size };
    goVersion ||= /: (go\S+)/.exec(execFileSync('go', ['version', source], { encoding: 'utf8' }))?.[1] ?? '';
  }
  const manifest = { controlPlaneVersion: VERSIONS.kubernetes, platform, versions: { ...VERSIONS, go: goVersion }, binaries };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const notices = collectLicences(platform, dir);
  copyFileSync(join(ROOT, 'LICENSE'), join(dir, 'LICENSE'));
  writeFileSync(
    join(dir, 'NOTICE'),
    [
      `${name} ${mainPackage.version}`,
      `Prebuilt binaries of Kubernetes ${VERSIONS.kubernetes} (kube-apiserver, kube-controller-manager, kube-scheduler),`,
      `etcd ${VERSIONS.etcd} and kwok ${VERSIONS.kwok}, compiled with ${goVersion} for ${platform} by kubelab's`,
      'scripts/platform-packages.mjs, unmodified. Each is the work of its authors under the licence',
      'files listed below, copied from the exact module versions that were compiled in.',
      '',
      ...notices,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'README.md'),
    `# ${name}\n\nThe local control plane of [kubelab](https://www.npmjs.com/package/kubelab) for ${platform}: Kubernetes ${VERSIONS.kubernetes}, etcd ${VERSIONS.etcd}, kwok ${VERSIONS.kwok}.\nInstalled by kubelab as an optional dependency; kubelab checks every binary against \`manifest.json\` (sha256) before it uses one, and builds from source when they do not match.\nTo verify by hand: \`sha256sum bin/*\` and compare with \`manifest.json\`, or rebuild with kubelab's \`scripts/build-control-plane.sh\` (the same versions and flags: \`-trimpath\`, a fixed build date; \`manifest.json\` names the Go version).\n`,
  );
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name,
        version: mainPackage.version,
        description: `kubelab's local control plane (Kubernetes ${VERSIONS.kubernetes}, etcd ${VERSIONS.etcd}, kwok ${VERSIONS.kwok}) prebuilt for ${platform}`,
        license: 'Apache-2.0',
        os: [spec.os],
        cpu: [spec.cpu],
        files: ['bin/', 'manifest.json', 'licenses/', 'LICENSE', 'NOTICE', 'README.md'],
        preferUnplugged: true,
      },
      null,
      2,
    )}\n`,
  );
  const bytes = Object.values(binaries).reduce((sum, b) => sum + b.size, 0);
  const result = { platform, name, version: mainPackage.version, dir, binariesBytes: bytes, format: EXPECTED_FORMAT[platform].label };
  if (values.pack) {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', values.out], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }))[0];
    result.tarball = join(values.out, packed.filename);
    result.tarballBytes = statSync(result.tarball).size;
    result.unpackedBytes = packed.unpackedSize;
  }
  return result;
}

const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** The release's last step before publishing kubelab: its optionalDependencies name the published packages. */
function pinMain() {
  const file = join(ROOT, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const pinned = { ...pkg.optionalDependencies };
  for (const p of Object.keys(PLATFORMS)) pinned[`@kubelab/control-plane-${p}`] = pkg.version;
  pkg.optionalDependencies = Object.fromEntries(Object.entries(pinned).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  say(`package.json pins the four platform packages to ${pkg.version}; now run: npm install --package-lock-only`);
}

if (values.pin) {
  pinMain();
  process.exit(0);
}
const wanted = values.platforms.split(',').map((p) => p.trim()).filter(Boolean);
for (const p of wanted) if (!(p in PLATFORMS)) throw new Error(`unknown platform ${p} (known: ${Object.keys(PLATFORMS).join(', ')})`);
if (!existsSync(join(ROOT, 'LICENSE'))) throw new Error('LICENSE is missing at the repository root');
mkdirSync(values.out, { recursive: true });
const results = wanted.map(layOut);
if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else {
  for (const r of results) {
    say(`${r.name}@${r.version}: ${r.format}, binaries ${mib(r.binariesBytes)}${r.tarballBytes ? `, tarball ${mib(r.tarballBytes)} (${relative(process.cwd(), r.tarball)})` : ''}`);
  }
}
