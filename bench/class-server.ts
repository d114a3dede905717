/**
 * The class server as the benchmark runs it: in its own process (so its CPU and memory are its
 * own), reporting per-request handling time and how long the instructor view takes to compute.
 * Driven over IPC by bench/class.mjs.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildClassView } from '../src/class/class-view.js';
import { startClassServer } from '../src/class/server.js';
import { ClassStore } from '../src/class/store.js';
import { ExitCode } from '../src/errors.js';

const dir = process.argv[2]!;
const store = ClassStore.open(join(dir, 'classes', 'bench.sqlite'), 'bench');
let measuring = false;
const eventMs: number[] = [];
const viewMs: number[] = [];
const server = await startClassServer({
  store,
  port: 0,
  stuckAfterMs: 5 * 60_000,
  // 200 learners join from one address within a second; the rest are the real limits.
  limits: { join: { burst: 10_000, perSecond: 10_000 } },
  observer: {
    request: ({ path, ms }) => {
      if (measuring && path === '/v1/events') eventMs.push(ms);
    },
  },
});

// What the instructor view does every second, in the same process as the server.
const viewTimer = setInterval(() => {
  const started = performance.now();
  buildClassView(store.snapshot(), { now: Date.now(), stuckAfterMs: 5 * 60_000 });
  if (measuring) viewMs.push(performance.now() - started);
}, 1000);

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let cpuAtStart = process.cpuUsage();
let wallAtStart = performance.now();

process.on('message', (message: { type: string }) => {
  if (message.type === 'start') {
    measuring = true;
    cpuAtStart = process.cpuUsage();
    wallAtStart = performance.now();
    loopDelay.enable();
  } else if (message.type === 'stop') {
    measuring = false;
    loopDelay.disable();
    const cpu = process.cpuUsage(cpuAtStart);
    const wallMs = performance.now() - wallAtStart;
    process.send!({
      type: 'stats',
      eventMs,
      viewMs,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      rssMb: process.memoryUsage().rss / 2 ** 20,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      learners: store.learnerCount(),
    });
  } else if (message.type === 'exit') {
    clearInterval(viewTimer);
    void server.close().then(() => {
      store.close();
      process.exit(ExitCode.ok);
    });
  }
});

// One-time links for the instructor's browsers the benchmark connects (CLASS_BENCH_VIEWERS).
const webLinks = Array.from({ length: Number(process.env.CLASS_BENCH_VIEWERS ?? 3) }, () => server.newWebLink());
process.send!({ type: 'ready', url: server.url, classToken: store.classToken, webLinks });
