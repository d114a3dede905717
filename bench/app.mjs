// Benchmarks the interactive app as a learner meets it: the built CLI in a real pseudo-terminal
// (util-linux `script`), 100×30.
//
//   npm run build && node bench/app.mjs [--runs N]
//
// 1. Time to first frame: from spawning `kubelab` to the workshop title on the terminal. Goal ≤ 350 ms.
// 2. Heavy output: a step prints 100 000 lines. Peak memory (RSS of the kubelab process, from
//    /proc) and the longest gap between two frames written to the terminal while it prints.
//    Goals: ≤ 150 MiB, no gap over 100 ms.
// No cluster is needed: an "existing" provider with an unreachable server still runs commands.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const WORKSHOP = join(ROOT, 'bench', 'fixtures', 'flood-workshop');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, 'flood-runs': { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const FLOOD_RUNS = Number(values['flood-runs']);

const state = mkdtempSync(join(tmpdir(), 'kubelab-bench-'));
const kubeconfig = join(state, 'kubeconfig');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters: [{ name: bench, cluster: { server: "https://127.0.0.1:9" } }]
users: [{ name: bench, user: { token: bench } }]
contexts: [{ name: bench, context: { cluster: bench, user: bench } }]
current-context: bench
`,
);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Starts kubelab in a pty; `$$` is printed first so we know the node process's pid after exec. */
function start() {
  const command = `stty cols 100 rows 30; echo "KUBELAB_PID=$$"; exec node ${JSON.stringify(join(ROOT, 'bin', 'kubelab.js'))} --workshop ${JSON.stringify(WORKSHOP)} --provider existing --kubeconfig ${JSON.stringify(kubeconfig)}`;
  const started = performance.now();
  // CI must be absent, not empty: Ink treats any CI variable as "draw only the last frame".
  const { CI: _ci, ...env } = process.env;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...env, KUBELAB_STATE_DIR: state, TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const app = { child, started, text: '', chunks: [], pid: undefined, waiters: [] };
  child.stdout.on('data', (data) => {
    const now = performance.now();
    app.text += data.toString();
    app.chunks.push(now);
    app.pid ??= Number(/KUBELAB_PID=(\d+)/.exec(app.text)?.[1]) || undefined;
    app.waiters = app.waiters.filter((w) => !(app.text.includes(w.needle, w.from) && (w.resolve(now), true)));
  });
  app.exited = new Promise((r) => child.on('exit', r));
  app.waitFor = (needle, from = 0, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      if (app.text.includes(needle, from)) return resolve(performance.now());
      const timer = setTimeout(() => reject(new Error(`timed out waiting for "${needle}"`)), timeoutMs);
      app.waiters.push({ needle, from, resolve: (t) => (clearTimeout(timer), resolve(t)) });
    });
  app.keys = (keys) => child.stdin.write(keys);
  return app;
}

function rssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  } catch {
    return 0;
  }
}

async function firstFrame() {
  const app = start();
  const at = await app.waitFor('Benchmark workshop');
  app.keys('q');
  await app.exited;
  return at - app.started;
}

async function flood() {
  const app = start();
  await app.waitFor('Benchmark workshop');
  // Keys typed before Ink switches the terminal to raw mode arrive cooked ("\n" for Enter).
  await new Promise((r) => setTimeout(r, 300));
  app.keys('\r');
  await app.waitFor('Step 1/2');
  // Commands run once the app knows its cluster (here: found, but not answering).
  await app.waitFor('not reachable');
  await new Promise((r) => setTimeout(r, 300));
  const idleMiB = rssMiB(app.pid);
  let peak = idleMiB;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(app.pid))), 20);
  const from = app.text.length;
  const chunkFrom = app.chunks.length;
  const t0 = performance.now();
  app.keys('r');
  await app.waitFor('running, Ctrl-C stops it', from);
  const firstOutput = performance.now();
  const end = await app.waitFor('done (exit 0', from, 120_000);
  clearInterval(sampler);
  const times = app.chunks.slice(chunkFrom).filter((t) => t >= firstOutput && t <= end);
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
  const frames = times.length;
  app.keys('q');
  await app.exited;
  return { seconds: (end - t0) / 1000, idleMiB, peakMiB: peak, longestGapMs: longest, frames };
}

try {
  const ttff = [];
  for (let i = 0; i < RUNS; i++) ttff.push(await firstFrame());
  const floods = [];
  for (let i = 0; i < FLOOD_RUNS; i++) floods.push(await flood());
  const fmt = (n) => n.toFixed(0);
  console.log(`time to first frame: median ${fmt(median(ttff))} ms over ${RUNS} runs (min ${fmt(Math.min(...ttff))}, max ${fmt(Math.max(...ttff))}) — goal ≤ 350 ms`);
  console.log(`100 000 lines: median ${median(floods.map((f) => f.seconds)).toFixed(1)} s to print, ${fmt(median(floods.map((f) => f.frames)))} frames written`);
  console.log(`  peak memory (RSS): median ${fmt(median(floods.map((f) => f.peakMiB)))} MiB, ${fmt(median(floods.map((f) => f.idleMiB)))} MiB before the command (max ${fmt(Math.max(...floods.map((f) => f.peakMiB)))}) — goal ≤ 150 MiB`);
  console.log(`  longest gap between frames: median ${fmt(median(floods.map((f) => f.longestGapMs)))} ms (max ${fmt(Math.max(...floods.map((f) => f.longestGapMs)))}) — goal ≤ 100 ms`);
} finally {
  rmSync(state, { recursive: true, force: true });
}
