#!/usr/bin/env node
// `npm run bench`: kubelab's speed and memory targets, as medians (never as timed tests).
//   node bench/run.mjs [--runs N] [--skip-app] [--skip-class]
// Starts its own local cluster (state in a temp dir) for the check-latency and verdict-time figures.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { bundleForNode } from '../scripts/bundle-for-node.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, 'skip-app': { type: 'boolean', default: false }, 'skip-class': { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);

const out = join(ROOT, 'node_modules', '.cache', 'kubelab-bench');
await bundleForNode({ engine: join(ROOT, 'bench', 'engine.ts') }, out);
const engine = await import(pathToFileURL(join(out, 'engine.mjs')).href);
const { median, percentile } = engine;
const ms = (n) => `${n.toFixed(1)} ms`;

function timeCommand(args, runs, env = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`kubelab ${args.join(' ')} exited ${r.status}`);
  }
  return times;
}

const rows = [];
const report = (what, value, goal) => {
  rows.push([what, value, goal ?? '']);
  console.log(`${what.padEnd(58)} ${value.padEnd(22)} ${goal ?? ''}`);
};

console.log(`kubelab benchmarks (medians of ${RUNS} runs unless said), node ${process.version}\n`);
// This machine's own pace, so figures from different machines (or days) can be compared as ratios.
const bareTimes = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  bareTimes.push(performance.now() - t);
}
const bare = median(bareTimes);
const loop = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  let x = 0;
  for (let j = 0; j < 1e8; j++) x += j;
  loop.push(performance.now() - t + (x < 0 ? 1 : 0));
}
report('reference: bare node start (node -e "")', ms(bare), 'the machine, not kubelab');
report('reference: 1e8-step JavaScript loop', ms(median(loop)), 'the machine, not kubelab');
const version = median(timeCommand(['--version'], RUNS));
report('kubelab --version', `${ms(version)} (${(version / bare).toFixed(2)}× bare node)`, 'goal ≤ 100 ms');
report('kubelab lint (bundled workshop)', ms(median(timeCommand(['lint'], RUNS))));
const load = await engine.benchLoad(RUNS);
report('load a synthetic 100-lesson workshop (in process)', ms(median(load)), 'goal ≤ 200 ms');
const workshop100 = engine.syntheticWorkshop(100);
report('kubelab list on a 100-lesson workshop (whole process)', ms(median(timeCommand(['list', '--workshop', workshop100], RUNS))));

const state = mkdtempSync(join(tmpdir(), 'kubelab-bench-state-'));
const env = { ...process.env, KUBELAB_STATE_DIR: state };
try {
  execFileSync(process.execPath, [CLI, 'cluster', 'up', '--name', 'bench', '--nodes', '3'], { env, stdio: 'ignore' });
  const kubeconfig = join(state, 'clusters', 'local-bench', 'kubeconfig');
  const latency = await engine.benchCheckLatency(kubeconfig, Math.max(RUNS, 10));
  report('check latency: Deployment Available → checker pass', `p50 ${ms(median(latency))}, p90 ${ms(percentile(latency, 90))}`, 'goal p50 ≤ 100 ms (1 s polling: ~500 ms)');
  console.log('\n--- verdict times on mutation cases (bench/verdicts.mjs) ---');
  const { reportVerdicts } = await import('./verdicts.mjs');
  await reportVerdicts(kubeconfig);
} finally {
  spawnSync(process.execPath, [CLI, 'cluster', 'down', '--name', 'bench'], { env, stdio: 'ignore' });
  rmSync(state, { recursive: true, force: true });
}

if (!values['skip-app']) {
  console.log('\n--- the interactive app (bench/app.mjs) ---');
  spawnSync(process.execPath, [join(ROOT, 'bench', 'app.mjs')], { stdio: 'inherit' });
}
if (!values['skip-class']) {
  console.log('\n--- the class server (bench/class.mjs: 200 learners, 60 s, 3 runs; CLASS_BENCH_SECONDS to shorten) ---');
  spawnSync(process.execPath, [join(ROOT, 'bench', 'class.mjs')], { stdio: 'inherit', env: process.env });
}
