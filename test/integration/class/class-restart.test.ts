import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClassReporter, fetchClassStatus, joinClass, type ClassReporter } from '../../../src/class/client.js';
import { readMembership } from '../../../src/class/membership.js';
import { ClassStore } from '../../../src/class/store.js';
import type { EngineEvent } from '../../../src/engine/types.js';
import { buildServeEntry, startServeProcess, stopServeProcess, type RunningServer } from './child-server.js';
import { STEPS, failingCheck, walk } from './fixture-workshop.js';

let root: string;
let entry: string;
const running: RunningServer[] = [];
const signal = new AbortController().signal;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubelab-class-restart-'));
  entry = await buildServeEntry();
}, 60_000);

afterAll(async () => {
  for (const server of running) await stopServeProcess(server, 'SIGKILL');
  await rm(root, { recursive: true, force: true });
});

const quickRetries = { requestTimeoutMs: 1000, retryMs: { min: 100, max: 400 }, closeTimeoutMs: 800 };

function report(reporter: ClassReporter, events: EngineEvent[]): number {
  for (const event of events) reporter.listener(event);
  // Only these engine events become class events (no output, blocks or check progress).
  return events.filter((e) => ['lesson-start', 'lesson-end', 'step-start', 'step-end', 'check-end', 'hint-revealed', 'solution-shown'].includes(e.type)).length;
}

async function waitUntilShared(reporter: ClassReporter): Promise<void> {
  await vi.waitFor(() => expect(reporter.statusLine()).toMatch(/progress shared$/), { timeout: 10_000, interval: 50 });
}

describe('class server crash and restart', () => {
  it('Given acknowledged events and a server killed with -9, when the learner keeps working, restarts the app and the server comes back, then nothing is lost and the queue arrives', async () => {
    const serverDir = join(root, 'server');
    const first = await startServeProcess(entry, serverDir, ['--name', 'crashy', '--port', '0']);
    running.push(first);
    const port = new URL(first.url).port;
    const env = { KUBELAB_STATE_DIR: join(root, 'learner') };
    await joinClass({ url: first.url, token: first.classToken, name: 'ada', env, signal });
    const learnerId = readMembership(env)!.learnerId;

    // Phase 1: acknowledged by the server, then the server dies at once.
    const app = createClassReporter({ env, ...quickRetries })!;
    const acknowledged = report(app, walk(2));
    await waitUntilShared(app);
    await stopServeProcess(first, 'SIGKILL');

    // Phase 2: the server is down; the app queues, then the learner quits it.
    const whileDown = report(app, [failingCheck(2), failingCheck(2), { type: 'hint-revealed', lessonId: STEPS[2].lessonId, stepId: STEPS[2].stepId, index: 0 }]);
    await vi.waitFor(() => expect(app.statusLine()).toMatch(/server unreachable, 3 queued/), { timeout: 5_000, interval: 50 });
    await app.close();

    // Phase 3: a new app start adopts the queue and adds to it, still without a server.
    const restartedApp = createClassReporter({ env, ...quickRetries })!;
    const afterRestart = report(restartedApp, walk(3).slice(walk(2).length));

    const second = await startServeProcess(entry, serverDir, ['--name', 'crashy', '--port', port]);
    running.push(second);
    expect([second.url, second.classToken, second.instructorToken]).toEqual([first.url, first.classToken, first.instructorToken]);
    await waitUntilShared(restartedApp);
    await restartedApp.close();

    const view = await fetchClassStatus({ url: second.url, token: second.instructorToken, signal });
    expect(view.learners).toHaveLength(1);
    expect(view.learners[0]).toMatchObject({ name: 'ada', lessonId: '02-deploy', stepId: 'deployment', stepState: 'active' });
    await stopServeProcess(second, 'SIGTERM');

    const store = ClassStore.open(join(serverDir, 'classes', 'crashy.sqlite'), 'crashy');
    try {
      const log = store.eventLog(learnerId);
      expect(new Set(log.map((e) => e.event.id)).size).toBe(log.length);
      expect(log).toHaveLength(acknowledged + whileDown + afterRestart);
      expect(log.map((e) => e.event.type)).toEqual([
        'lesson-started',
        'step-started', 'check', 'step-finished',
        'step-started', 'check', 'step-finished',
        'step-started', // acknowledged before the kill
        'check', 'check', 'hint-revealed', // queued while down, carried over an app restart
        'check', 'step-finished', 'lesson-finished', 'lesson-started', 'step-started', // queued after the app restart
      ]);
      expect(store.learner(learnerId)!.state).toMatchObject({ hintsTotal: 1, lessons: { '01-basics': 'passed' } });
    } finally {
      store.close();
    }
  }, 60_000);

  it('Given a server that is not running, when a learner app reports and closes, then nothing throws or blocks and close gives up quickly', async () => {
    const env = { KUBELAB_STATE_DIR: join(root, 'offline') };
    const server = await startServeProcess(entry, join(root, 'offline-server'), ['--name', 'gone', '--port', '0']);
    running.push(server);
    await joinClass({ url: server.url, token: server.classToken, name: 'grace', env, signal });
    await stopServeProcess(server, 'SIGKILL');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const reporter = createClassReporter({ env, closeTimeoutMs: 500 })!;
      const started = performance.now();
      report(reporter, walk(4));
      const listenerMs = performance.now() - started;
      await vi.waitFor(() => expect(reporter.statusLine()).toMatch(/server unreachable/), { timeout: 5_000, interval: 50 });
      const closing = performance.now();
      await reporter.close();

      // Bounds far above a quiet machine's few ms (a busy CI runner pauses too), far below a
      // reporter that waited on the network: close gives up after closeTimeoutMs (500 ms).
      expect(listenerMs).toBeLessThan(1000);
      expect(performance.now() - closing).toBeLessThan(4000);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 30_000);
});
