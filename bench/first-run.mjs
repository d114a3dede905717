#!/usr/bin/env node
// `npm run bench:first-run`: a learner's first run on a fresh machine, measured once (a cold build
// is minutes of two busy cores: medians are rarely affordable, so this is one honest run).
//
//   node bench/first-run.mjs [--reuse-node-modules] [--cold-modules] [--timeout-min 90] [--keep]
//
// 1. A fresh clone of this checkout's HEAD in a temp dir, then `npm ci` (timed on its own; with
//    --reuse-node-modules the clone gets a hard-linked copy of ./node_modules instead).
// 2. Empty kubelab caches and an empty Go build cache, all in the temp dir (KUBELAB_CACHE_DIR,
//    KUBELAB_STATE_DIR, GOCACHE). The Go module download cache stays shared unless --cold-modules:
//    downloads measure the network, not kubelab.
// 3. `npm start` in a real pseudo-terminal, as the README tells a newcomer. Measured from there:
//    - first frame: the workshop's title on the terminal (goal ≤ 5 s);
//    - runnable first step: the local cluster answering (`kubelab cluster status` says "up"),
//      which is what lesson 1's first step needs;
//    - the cold build time the build script recorded in the cache.
// It prints the figures with the load average at start and end: on a shared machine, say so.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { controlPlaneVersion } from './control-plane-version.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    'reuse-node-modules': { type: 'boolean', default: false },
    'cold-modules': { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '90' },
    keep: { type: 'boolean', default: false },
  },
});
const deadline = Date.now() + Number(values['timeout-min']) * 60_000;
const title = /^title:\s*"?([^"\n]+)"?/m.exec(readFileSync(join(ROOT, 'workshop.yaml'), 'utf8'))?.[1].trim().slice(0, 30) ?? 'kubelab';
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'kubelab-first-run-'));
const clone = join(dir, 'kubelab');
const env = {
  ...process.env,
  KUBELAB_CACHE_DIR: join(dir, 'cache'),
  KUBELAB_STATE_DIR: join(dir, 'state'),
  GOCACHE: join(dir, 'gocache'),
  ...(values['cold-modules'] ? { GOMODCACHE: join(dir, 'gomodcache') } : {}),
  TERM: 'xterm-256color',
};
// Ink draws only the last frame when any CI variable is set.
delete env.CI;

const result = { cores: availableParallelism(), loadAtStart: load() };
const cli = (...args) => execFileSync(process.execPath, [join(clone, 'bin', 'kubelab.js'), ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

let app;
try {
  execFileSync('git', ['clone', '--quiet', ROOT, clone], { stdio: 'inherit' });
  let t = performance.now();
  if (values['reuse-node-modules']) execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(clone, 'node_modules')]);
  else execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: clone, env, stdio: 'inherit' });
  result.npmCiSeconds = (performance.now() - t) / 1000;

  // `script` gives npm start a real terminal (the app needs one); its output is watched for the title.
  const started = performance.now();
  app = spawn('script', ['-qfec', 'stty cols 100 rows 30; npm start', '/dev/null'], { cwd: clone, env, stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  let screen = '';
  app.stdout.on('data', (d) => {
    screen = (screen + d.toString()).slice(-200_000);
    if (result.firstFrameSeconds === undefined && screen.includes(title)) result.firstFrameSeconds = (performance.now() - started) / 1000;
  });
  const exited = new Promise((r) => app.on('exit', r));
  let appEnded = false;
  exited.then(() => (appEnded = true));

  // Runnable: the cluster lesson 1 needs answers. Polled every 5 s (each poll is a short CLI run).
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5000));
    let status;
    try {
      status = JSON.parse(cli('cluster', 'status', '--provider', 'local', '--json')).state;
    } catch {
      status = 'down';
    }
    if (status === 'up' && result.firstFrameSeconds !== undefined) {
      result.runnableSeconds = (performance.now() - started) / 1000;
      break;
    }
    if (appEnded) {
      result.error = `npm start ended before the first step was runnable; its last output:\n${screen.slice(-2000)}`;
      break;
    }
  }
  if (!result.runnableSeconds && !result.error) result.error = `not runnable within ${values['timeout-min']} min`;
  const buildSeconds = join(dir, 'cache', controlPlaneVersion(), 'bin', '.build-seconds');
  if (existsSync(buildSeconds)) result.coldBuildSeconds = Number(readFileSync(buildSeconds, 'utf8').trim());
  const profile = join(dir, 'cache', controlPlaneVersion(), 'bin', '.build-profile.json');
  if (existsSync(profile)) result.buildProfile = JSON.parse(readFileSync(profile, 'utf8'));
} finally {
  result.loadAtEnd = load();
  if (app?.pid) {
    try {
      process.kill(-app.pid, 'SIGTERM');
    } catch {
      // Already ended.
    }
  }
  try {
    cli('cluster', 'down', '--provider', 'local');
  } catch {
    // No cluster was started.
  }
  // The module cache is read-only on disk: go removes it.
  if (values['cold-modules'] && !values.keep) {
    try {
      execFileSync('go', ['clean', '-modcache'], { env, stdio: 'ignore' });
    } catch {
      // Nothing was downloaded.
    }
  }
  if (values.keep) console.error(`kept: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

const s = (x) => (x === undefined ? '—' : `${x.toFixed(1)} s`);
console.log(`first run on ${result.cores} cores (load ${result.loadAtStart} at start, ${result.loadAtEnd} at end)`);
console.log(`  npm ci:                 ${s(result.npmCiSeconds)}${values['reuse-node-modules'] ? ' (hard-linked node_modules instead)' : ''}`);
console.log(`  first frame:            ${s(result.firstFrameSeconds)}   (goal ≤ 5 s)`);
console.log(`  runnable first step:    ${s(result.runnableSeconds)}`);
console.log(`  cold control-plane build: ${result.coldBuildSeconds === undefined ? '—' : `${result.coldBuildSeconds} s`}   (goal ≤ 300 s on a quiet 2-core machine)`);
if (result.error) console.log(`  problem: ${result.error}`);
console.log(JSON.stringify(result));
process.exitCode = result.error ? 1 : 0;
