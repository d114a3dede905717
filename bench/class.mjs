#!/usr/bin/env node
/**
 * Class server benchmark: N learners each send one event per second to a loopback class server
 * for S seconds, while V instructor web views follow the class's live event stream. Reports
 * request latency (as the learner sees it, and inside the server), server CPU and memory, how
 * long the instructor view takes to compute, and what the web views received; medians over R
 * runs. Numbers are reported, not asserted (goal: learners' p99 ≤ 20 ms).
 *
 * The web views are server-sent-event clients signed in through one-time links, as a browser
 * is: the server does the same work for them (a view built and sent on every change, at most
 * once a second), without three Chromiums competing for the machine's two cores.
 *
 *   node bench/class.mjs                                  # 200 learners, 3 web views, 60 s, 3 runs
 *   CLASS_BENCH_SECONDS=10 CLASS_BENCH_RUNS=1 CLASS_BENCH_VIEWERS=0 node bench/class.mjs
 *
 * It builds what it needs from src/ with esbuild into node_modules/.cache (so better-sqlite3
 * resolves), independent of `npm run build`.
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDecoder } from 'node:util';
import { bundleForNode } from '../scripts/bundle-for-node.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const learners = Number(process.env.CLASS_BENCH_LEARNERS ?? 200);
const seconds = Number(process.env.CLASS_BENCH_SECONDS ?? 60);
const runs = Number(process.env.CLASS_BENCH_RUNS ?? 3);
const viewers = Number(process.env.CLASS_BENCH_VIEWERS ?? 3);
const out = join(repo, 'node_modules', '.cache', 'kubelab-bench-class');

await bundleForNode({ server: join(repo, 'bench', 'class-server.ts'), client: join(repo, 'src', 'class', 'client.ts') }, out);
const { postEvents } = await import(pathToFileURL(join(out, 'client.mjs')).href);

const percentile = (values, p) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values) => percentile(values, 50);
const round = (n) => Math.round(n * 100) / 100;

/** One learner's walk through a workshop, endlessly: every kind of event, valid each time. */
function nextEvent(learner, n) {
  const step = `step-${Math.floor(n / 5)}`;
  const base = { id: `${learner}-${String(n).padStart(8, '0')}`, at: Date.now(), lessonId: `lesson-${Math.floor(n / 50)}`, stepId: step };
  switch (n % 5) {
    case 0:
      return { type: 'step-started', ...base, title: `Step ${step}` };
    case 1:
      return { type: 'check', ...base, checkId: 'ready', outcome: 'failed', message: 'deployment web: 1/3 replicas ready' };
    case 2:
      return { type: 'hint-revealed', ...base, index: 0 };
    case 3:
      return { type: 'check', ...base, checkId: 'ready', outcome: 'passed', message: 'deployment web: 3/3 replicas ready' };
    default:
      return { type: 'step-finished', ...base, status: 'passed', durationMs: 4000 };
  }
}

/** A web view: signs in with its one-time link, then reads the event stream and counts views. */
async function openWebView(url, link, signal) {
  const login = await fetch(link, { redirect: 'manual' });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const response = await fetch(`${url}/class/stream`, { headers: { cookie }, signal });
  const stats = { views: 0, bytes: 0, lastBytes: 0 };
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!frame.startsWith('event: view')) continue;
          stats.views++;
          stats.bytes += frame.length;
          stats.lastBytes = frame.length;
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  return { stats, done };
}

async function runOnce(run) {
  const dir = await mkdtemp(join(tmpdir(), 'kubelab-bench-class-'));
  const server = fork(join(out, 'server.mjs'), [dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, CLASS_BENCH_VIEWERS: String(viewers) } });
  const [ready] = await once(server, 'message');
  const signal = new AbortController().signal;

  const members = [];
  for (let i = 0; i < learners; i++) {
    const response = await fetch(`${ready.url}/v1/join`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ready.classToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `learner ${i}` }),
    });
    const joined = await response.json();
    members.push({ url: ready.url, classToken: ready.classToken, learnerId: joined.learnerId, learnerSecret: joined.learnerSecret });
  }

  const viewing = new AbortController();
  const views = await Promise.all(ready.webLinks.map((link) => openWebView(ready.url, link, viewing.signal)));

  server.send({ type: 'start' });
  // The load generator shares the machine: when its own event loop stalls, what learners "see" is late.
  const clientLoop = monitorEventLoopDelay({ resolution: 10 });
  clientLoop.enable();
  const latencies = [];
  let errors = 0;
  const timers = [];
  const inFlight = new Set();
  const started = performance.now();
  members.forEach((member, i) => {
    let n = 0;
    const send = () => {
      const event = nextEvent(i, n++);
      const t0 = performance.now();
      const request = postEvents(member, { sentAt: Date.now(), events: [event] }, AbortSignal.any([signal, AbortSignal.timeout(5000)]))
        .then(() => latencies.push(performance.now() - t0))
        .catch(() => errors++)
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    };
    // Spread the learners evenly over each second.
    timers.push(
      setTimeout(() => {
        send();
        timers.push(setInterval(send, 1000));
      }, (i * 1000) / learners),
    );
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  for (const timer of timers) clearInterval(timer);
  await Promise.allSettled([...inFlight]);
  const elapsed = (performance.now() - started) / 1000;
  clientLoop.disable();
  viewing.abort();
  await Promise.all(views.map((v) => v.done));

  server.send({ type: 'stop' });
  const [stats] = await once(server, 'message');
  server.send({ type: 'exit' });
  await once(server, 'exit');
  await rm(dir, { recursive: true, force: true });

  const result = {
    requests: latencies.length,
    errors,
    perSecond: round(latencies.length / elapsed),
    clientP50Ms: round(percentile(latencies, 50)),
    clientP99Ms: round(percentile(latencies, 99)),
    serverP50Ms: round(percentile(stats.eventMs, 50)),
    serverP99Ms: round(percentile(stats.eventMs, 99)),
    serverCpuPercent: round(stats.cpuPercent),
    serverRssMb: round(stats.rssMb),
    serverMaxRssMb: round(stats.maxRssMb),
    serverLoopDelayP99Ms: round(stats.loopDelayP99Ms),
    viewP99Ms: round(percentile(stats.viewMs, 99)),
    clientLoopDelayP99Ms: round(clientLoop.percentile(99) / 1e6),
    webViews: views.length,
    webViewsPerSecond: round(views.reduce((sum, v) => sum + v.stats.views, 0) / Math.max(1, views.length) / elapsed),
    webViewKb: round((views[0]?.stats.lastBytes ?? 0) / 1024),
  };
  process.stderr.write(`run ${run}: ${JSON.stringify(result)}\n`);
  return result;
}

process.stderr.write(`class bench: ${learners} learners × 1 event/s × ${seconds} s, ${viewers} web view(s), ${runs} run(s)\n`);
const results = [];
for (let run = 1; run <= runs; run++) results.push(await runOnce(run));
const medians = Object.fromEntries(Object.keys(results[0]).map((key) => [key, median(results.map((r) => r[key]))]));

console.log(`Class server, ${learners} learners × 1 event/s × ${seconds} s, ${viewers} web view(s) following live, median of ${runs} run(s):`);
console.log(`  latency seen by learners  p50 ${medians.clientP50Ms} ms   p99 ${medians.clientP99Ms} ms   (goal p99 ≤ 20 ms)`);
console.log(`  handling inside server    p50 ${medians.serverP50Ms} ms   p99 ${medians.serverP99Ms} ms`);
console.log(`  throughput ${medians.perSecond} req/s, errors ${medians.errors}; load generator event-loop delay p99 ${medians.clientLoopDelayP99Ms} ms`);
console.log(`  server CPU ${medians.serverCpuPercent}% of one core, RSS ${medians.serverRssMb} MB (peak ${medians.serverMaxRssMb} MB), event-loop delay p99 ${medians.serverLoopDelayP99Ms} ms`);
console.log(`  instructor view (${learners} rows) computed in p99 ${medians.viewP99Ms} ms`);
console.log(`  each web view received ${medians.webViewsPerSecond} views/s of ${medians.webViewKb} KiB (server-sent events)`);
console.log(JSON.stringify({ bench: 'class', learners, viewers, seconds, runs, medians, results }));
