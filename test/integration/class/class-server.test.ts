import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClassReporter, fetchClassStatus, joinClass, leaveClass } from '../../../src/class/client.js';
import type { ClassView } from '../../../src/class/class-view.js';
import { startClassServer, type ClassServer } from '../../../src/class/server.js';
import { ClassStore } from '../../../src/class/store.js';
import { readMembership } from '../../../src/class/membership.js';
import { runCommand } from '../../support/command.js';
import { classCommand } from '../../../src/commands/class.js';
import { OUTPUT_MARKER, STEPS, failingCheck, walk } from './fixture-workshop.js';

const LEARNERS = 30;

let root: string;
let store: ClassStore;
let server: ClassServer;
const signal = new AbortController().signal;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubelab-class-'));
  store = ClassStore.open(join(root, 'server', 'classes', 'workshop.sqlite'), 'workshop');
  server = await startClassServer({ store, port: 0, stuckAfterMs: 5 * 60_000 });
});

afterAll(async () => {
  await server?.close();
  store?.close();
  await rm(root, { recursive: true, force: true });
});

function learnerEnv(name: string): NodeJS.ProcessEnv {
  return { KUBELAB_STATE_DIR: join(root, 'learners', name), AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
}

async function joinAndWalk(name: string, events: Parameters<NonNullable<ReturnType<typeof createClassReporter>>['listener']>[0][]) {
  const env = learnerEnv(name);
  await joinClass({ url: server.url, token: store.classToken, name, env, signal });
  const reporter = createClassReporter({ env })!;
  for (const event of events) reporter.listener(event);
  await reporter.close();
  return { env, membership: readMembership(env)! };
}

async function status(): Promise<ClassView> {
  return fetchClassStatus({ url: server.url, token: store.instructorToken, signal });
}

function learnerHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  const m = readMembership(env)!;
  return { authorization: `Bearer ${m.classToken}`, 'x-kubelab-learner': `${m.learnerId}.${m.learnerSecret}`, 'content-type': 'application/json' };
}

describe('class server with 30 learners on loopback', () => {
  it('Given 30 learners walking the fixture workshop, when they report through the real client, then the status shows each at their step', async () => {
    await Promise.all(Array.from({ length: LEARNERS }, (_, i) => joinAndWalk(`learner-${String(i).padStart(2, '0')}`, walk(i % 6))));

    const view = await status();
    const rows = view.learners.filter((l) => l.name.startsWith('learner-'));
    expect(rows).toHaveLength(LEARNERS);
    for (const row of rows) {
      const finished = Number(row.name.slice('learner-'.length)) % 6;
      const expected = STEPS[Math.min(finished, STEPS.length - 1)]!;
      expect({ name: row.name, lesson: row.lessonId, step: row.stepId, state: row.stepState }).toEqual({
        name: row.name,
        lesson: expected.lessonId,
        step: expected.stepId,
        state: finished >= STEPS.length ? 'passed' : 'active',
      });
      expect(row.stuck).toBe(false);
    }
    // 0..29 % 6: finished >= 3 passes lesson 1 (15 learners), finished 5 passes lesson 2 (5 learners).
    const basics = view.lessons.find((l) => l.lessonId === '01-basics')!;
    const deploy = view.lessons.find((l) => l.lessonId === '02-deploy')!;
    expect([basics.finished, deploy.finished]).toEqual([15, 5]);
  });

  it('Given the 30 learners reported, when the database is searched, then no command output and no secret from the environment is in it', async () => {
    const bytes = await readFile(join(root, 'server', 'classes', 'workshop.sqlite'));
    const wal = await readFile(join(root, 'server', 'classes', 'workshop.sqlite-wal')).catch(() => Buffer.alloc(0));
    for (const file of [bytes, wal]) {
      expect(file.includes(OUTPUT_MARKER)).toBe(false);
      expect(file.includes('kubectl apply')).toBe(false);
    }
  });

  it('Given a learner whose check fails three times in a row, when the status is read, then that learner is flagged stuck and sorted first', async () => {
    await joinAndWalk('zz-stuck', [...walk(3), failingCheck(3), failingCheck(3), failingCheck(3, 'deployment web: 1/3 replicas ready')]);
    await joinAndWalk('zz-trying', [...walk(3), failingCheck(3), failingCheck(3)]);

    const view = await status();
    expect(view.learners[0]).toMatchObject({
      name: 'zz-stuck',
      stuck: true,
      sameCheckFailures: 3,
      lastCheck: { outcome: 'failed', message: 'deployment web: 1/3 replicas ready' },
    });
    expect(view.learners[0]!.stuckReason).toContain('3×');
    expect(view.learners.find((l) => l.name === 'zz-trying')).toMatchObject({ stuck: false, sameCheckFailures: 2 });
  });

  it('Given 150 queued checks with the longest multi-byte messages, when sent, then batches stay under the size limit and all arrive', async () => {
    const long = '€'.repeat(400);
    const { membership } = await joinAndWalk('verbose', [...walk(0), ...Array.from({ length: 150 }, () => failingCheck(0, long))]);
    const checks = store.eventLog(membership.learnerId).filter((e) => e.event.type === 'check');
    expect(checks).toHaveLength(150);
    expect((checks[0]!.event as { message: string }).message).toBe(`${'€'.repeat(199)}…`);
  });

  it('Given a check message with a secret, when it is reported, then the server only ever sees it redacted', async () => {
    const { membership } = await joinAndWalk('leaky', [...walk(0), failingCheck(0, 'denied for wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nsecond line')]);
    const log = store.eventLog(membership.learnerId);
    const check = log.find((e) => e.event.type === 'check')!.event;
    expect(check).toMatchObject({ message: 'denied for [REDACTED]' });
  });
});

describe('class server security', () => {
  it('Given a wrong or missing class token, when any endpoint is called, then it answers 401 and stores nothing', async () => {
    const { env, membership } = await joinAndWalk('victim', walk(1));
    const before = store.learner(membership.learnerId)!.state.events;
    const headers = learnerHeaders(env);
    const batch = JSON.stringify({ sentAt: Date.now(), events: [{ type: 'solution-shown', id: 'aaaaaaaaaaaa', at: Date.now(), lessonId: 'x', stepId: 'y' }] });

    const wrong = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { ...headers, authorization: 'Bearer not-the-token' }, body: batch });
    const missing = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch });
    const join = await fetch(`${server.url}/v1/join`, { method: 'POST', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, body: '{"name":"x"}' });
    const learnerReadsStatus = await fetch(`${server.url}/v1/status`, { headers });

    expect([wrong.status, missing.status, join.status, learnerReadsStatus.status]).toEqual([401, 401, 401, 401]);
    expect(store.learner(membership.learnerId)!.state.events).toBe(before);
  });

  it('Given a body over the size limit or malformed, when it is posted, then it gets a 4xx with a reason and is never stored', async () => {
    const { env, membership } = await joinAndWalk('careless', walk(0));
    const before = store.eventLog(membership.learnerId).length;
    const post = (body: string, contentType = 'application/json') =>
      fetch(`${server.url}/v1/events`, { method: 'POST', headers: { ...learnerHeaders(env), 'content-type': contentType }, body });
    const event = { type: 'check', id: 'bbbbbbbbbbbb', at: Date.now(), lessonId: '01-basics', stepId: 'namespace', checkId: 'c', outcome: 'failed', message: 'm' };

    const oversize = await post(JSON.stringify({ sentAt: Date.now(), events: [{ ...event, message: 'x'.repeat(70_000) }] }));
    const notJson = await post('{"sentAt": 1, "events": [');
    const withOutput = await post(JSON.stringify({ sentAt: Date.now(), events: [{ ...event, output: `${OUTPUT_MARKER}` }] }));
    const tooLong = await post(JSON.stringify({ sentAt: Date.now(), events: [{ ...event, message: 'x'.repeat(500) }] }));
    const escapes = await post(JSON.stringify({ sentAt: Date.now(), events: [{ ...event, message: '\u001b[2J\u001b[31mowned' }] }));
    const unknownType = await post(JSON.stringify({ sentAt: Date.now(), events: [{ ...event, type: 'env' }] }));
    const wrongType = await post('{}', 'text/plain');

    expect(oversize.status).toBe(413);
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    expect(withOutput.status).toBe(400);
    expect(((await withOutput.json()) as { error: string }).error).toMatch(/unexpected field.*output/);
    expect(tooLong.status).toBe(400);
    expect(escapes.status).toBe(400);
    expect(unknownType.status).toBe(400);
    expect(wrongType.status).toBe(415);
    expect(store.eventLog(membership.learnerId)).toHaveLength(before);
  });

  it('Given two learners, when one presents the other id with its own secret or names the other in the body, then the other record is unchanged', async () => {
    const a = await joinAndWalk('alice', walk(2));
    const b = await joinAndWalk('bob', walk(0));
    const bobBefore = store.learner(b.membership.learnerId)!;
    const forged = { ...learnerHeaders(a.env), 'x-kubelab-learner': `${b.membership.learnerId}.${a.membership.learnerSecret}` };
    const event = { type: 'step-started', id: 'cccccccccccc', at: Date.now(), lessonId: '02-deploy', stepId: 'service', title: 'hijacked' };

    const asBob = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: forged, body: JSON.stringify({ sentAt: Date.now(), events: [event] }) });
    const naming = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: learnerHeaders(a.env),
      body: JSON.stringify({ sentAt: Date.now(), learnerId: b.membership.learnerId, events: [event] }),
    });
    const readBob = await fetch(`${server.url}/v1/me`, { headers: forged });

    expect([asBob.status, naming.status, readBob.status]).toEqual([401, 400, 401]);
    expect(store.learner(b.membership.learnerId)).toEqual(bobBefore);
    const me = (await (await fetch(`${server.url}/v1/me`, { headers: learnerHeaders(a.env) })).json()) as { name: string };
    expect(me.name).toBe('alice');
  });

  it('Given a learner sending far more than the rate limit, when they keep going, then the server answers 429', async () => {
    const { env } = await joinAndWalk('flood', walk(0));
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const event = { type: 'hint-revealed', id: `flood-${String(i).padStart(8, '0')}`, at: Date.now(), lessonId: '01-basics', stepId: 'namespace', index: 0 };
      const response = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: learnerHeaders(env), body: JSON.stringify({ sentAt: Date.now(), events: [event] }) });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses.slice(0, 15).every((s) => s === 200)).toBe(true);
    expect(statuses).toContain(429);
  });

  it('Given a running app, when the learner runs class leave, then the app stops sharing and the server gets nothing more', async () => {
    const env = learnerEnv('leaver');
    await joinClass({ url: server.url, token: store.classToken, name: 'leaver', env, signal });
    const { learnerId } = readMembership(env)!;
    const app = createClassReporter({ env })!;
    for (const event of walk(0)) app.listener(event);
    await vi.waitFor(() => expect(app.statusLine()).toMatch(/progress shared$/), { timeout: 5_000, interval: 20 });
    const before = store.eventLog(learnerId).length;

    await leaveClass(env);
    for (const event of walk(2)) app.listener(event);
    await vi.waitFor(() => expect(app.statusLine()).toBe('class: left, nothing is shared'), { timeout: 5_000, interval: 20 });
    await app.close();

    expect(store.eventLog(learnerId)).toHaveLength(before);
    expect(createClassReporter({ env })).toBeUndefined();
  });

});

describe('kubelab class commands against the server', () => {
  const run = (env: NodeJS.ProcessEnv, ...argv: string[]) => runCommand(classCommand, argv, { signal, env, cwd: root });

  it('Given the pasted join line, when a learner joins and the instructor asks for the status, then the learner is listed in text and JSON', async () => {
    const env = learnerEnv('cli');
    const joined = await run(env, 'join', server.url, '--token', store.classToken, '--name', 'Cli Learner');
    expect(joined).toMatchObject({ code: 0 });
    expect(joined.stderr).toContain('Never command output');

    const text = await run(env, 'status', server.url, '--token', store.instructorToken);
    const json = await run(env, 'status', server.url, '--token', store.instructorToken, '--json');
    expect(text.code, text.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    expect(text.stdout).toMatch(/Cli Learner — \(not started\)/);
    expect((JSON.parse(json.stdout) as ClassView).learners.some((l) => l.name === 'Cli Learner')).toBe(true);
  });

  it('Given the class token instead of the instructor token, when asking for the status, then it exits 2 saying the token was refused', async () => {
    const result = await run(learnerEnv('cli'), 'status', server.url, '--token', store.classToken);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused the token: the status needs the instructor token/);
  });
});
