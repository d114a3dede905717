import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineChecker, pass } from '../../../src/engine/checker.js';
import { runLessons } from '../../../src/engine/running/run-lessons.js';
import { WorkshopSession } from '../../../src/engine/running/session.js';
import type { EngineEvent, Lesson, Workshop } from '../../../src/engine/types.js';
import { CONNECTION, fixtureWorkshop, scriptedSession, testApp, until, type Script } from '../../support/ui-app.js';

/** The sequence a reader of events sees, without timings (they differ run to run). */
const shape = (events: EngineEvent[]) =>
  events.map((e) => {
    const { durationMs: _d, remainingMs: _r, ...rest } = e as EngineEvent & { durationMs?: number; remainingMs?: number };
    return rest;
  });

async function headless(script: Script = {}, options: { prove?: boolean } = {}) {
  const workshop = await fixtureWorkshop();
  const events: EngineEvent[] = [];
  const { session, ports } = scriptedSession(workshop, script, (e) => events.push(e));
  const report = await runLessons(session, workshop.lessons, { bail: false, prove: options.prove ?? false, signal: new AbortController().signal });
  return { workshop, events, report, session, ports };
}

// Generous: these must pass on a loaded 2-core machine too.
const SLOW = { timeout: 60_000 };

describe('the step protocol (one engine path)', () => {
  it('Given one lesson, when it runs headless (validate) and through the app, then both emit the same events in the same order', SLOW, async () => {
    const script: Script = { output: { 0: ['namespace/tui-e2e created', 'deployment.apps/web created'] } };
    const { events: viaValidate } = await headless(script);

    const app = await testApp({ script });
    const viaApp: EngineEvent[] = [];
    // The class reporter's place: it hears every engine event the app sees.
    (app.controller as unknown as { deps: { listeners: ((e: EngineEvent) => void)[] } }).deps.listeners = [(e) => viaApp.push(e)];
    await app.controller.start();
    app.controller.handle('open');
    const steps = app.store.getState().workshop.lessons[0].steps.length;
    for (let i = 0; i < steps; i++) {
      app.controller.handle('run');
      // r on a challenge asks before it runs the hidden solution.
      if (app.store.getState().overlay.kind === 'confirm') app.controller.handle('confirm-yes');
      await until(() => app.store.getState().outcome?.status === 'passed', `step ${i + 1} passed`, 30_000);
      if (i < steps - 1) app.controller.handle('next-step');
    }

    expect(viaValidate.map((e) => e.type)).toContain('lesson-end');
    expect(shape(viaApp)).toEqual(shape(viaValidate));
  });

  it('Given a step whose check already passes before its commands, when proved, then the step fails naming that check, and its commands still ran', SLOW, async () => {
    const { report, events } = await headless({}, { prove: true });
    const first = report.lessons[0].steps[0];
    expect(first.status).toBe('failed');
    expect(first.passedEarly).toEqual(['deployment-ready']);
    expect(first.error).toBe('passed before the step ran, so it cannot fail: deployment-ready');
    expect(events.filter((e) => e.type === 'block-end' && e.stepId === first.id)).toHaveLength(2);
    expect(events.find((e) => e.type === 'check-end' && e.probe)).toBeDefined();
  });

  it('Given a failing command, when the lesson runs, then its checks are not evaluated (and listed as such) and later steps are skipped', SLOW, async () => {
    const { report, events } = await headless({ blockOutcome: (step, index) => (step.index === 0 && index === 0 ? { exitCode: 1, outcome: 'failed' } : { exitCode: 0, outcome: 'ok' }) });
    const [first, ...rest] = report.lessons[0].steps;
    expect(first.status).toBe('failed');
    expect(first.error).toMatch(/^`kubectl create namespace .*` failed with exit code 1 \(.*lesson\.md:\d+\)/);
    expect(first.checks.length).toBeGreaterThan(0);
    expect(first.checks.every((c) => c.status === 'skip' && c.message.startsWith("not evaluated: the step's commands did not succeed"))).toBe(true);
    expect(rest.every((s) => s.status === 'skipped')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'lesson-end', status: 'failed' });
  });

  it('Given two checks in a step, when checked, then both start before either ends (side by side, not one after the other)', SLOW, async () => {
    const workshop = await fixtureWorkshop();
    const step = workshop.lessons[0].steps[0];
    step.checks.push({ ...step.checks[0], id: 'second' });
    let release!: () => void;
    const events: EngineEvent[] = [];
    const { session } = scriptedSession(workshop, { holdChecks: new Promise<void>((r) => (release = r)) }, (e) => events.push(e));
    const running = session.runStep(workshop.lessons[0], step, { signal: new AbortController().signal, mode: 'checks' });
    await until(() => events.filter((e) => e.type === 'check-start').length === 2, 'both checks started', 30_000);
    expect(events.some((e) => e.type === 'check-end')).toBe(false);
    release();
    const result = await running;
    expect(result.checks.map((c) => c.spec.id)).toEqual(['deployment-ready', 'second']);
    expect(result.status).toBe('passed');
  });

  it('Given a command that never ends, when interrupted, then the step is neither passed nor failed and no step-end is emitted', SLOW, async () => {
    const workshop = await fixtureWorkshop();
    const events: EngineEvent[] = [];
    const { session } = scriptedSession(workshop, { hang: true }, (e) => events.push(e));
    const abort = new AbortController();
    const running = session.runStep(workshop.lessons[0], workshop.lessons[0].steps[0], { signal: abort.signal });
    await until(() => events.some((e) => e.type === 'block-start'), 'block started', 30_000);
    abort.abort();
    const result = await running;
    expect(result.interrupted).toBe(true);
    expect(events.some((e) => e.type === 'step-end')).toBe(false);
  });

  it('Given a lesson not offered on this provider, when run headless, then every step is skipped with the reason and the lesson fails', SLOW, async () => {
    const workshop = await fixtureWorkshop();
    workshop.lessons[0].providers = ['eks'];
    const { session } = scriptedSession(workshop, {}, () => undefined);
    const report = await runLessons(session, workshop.lessons, { bail: false, prove: false, signal: new AbortController().signal });
    expect(report.lessons[0]).toMatchObject({ status: 'failed', error: 'not available on provider local (it runs on eks)' });
    expect(report.summary).toMatchObject({ passed: 0, skipped: workshop.lessons[0].steps.length });
  });

  it('Given a command failing with AlreadyExists (the lesson done before), when the step fails, then its reason says how to start the lesson over', SLOW, async () => {
    const workshop = await fixtureWorkshop();
    const lesson = workshop.lessons[0];
    const failFirst = (step: { index: number }, index: number) => (step.index === 0 && index === 0 ? { exitCode: 1, outcome: 'failed' as const } : { exitCode: 0, outcome: 'ok' as const });
    const script = { output: { 0: ['Error from server (AlreadyExists): namespaces "tui-e2e" already exists'] }, blockOutcome: failFirst };
    lesson.cleanup = 'cleanup.mjs';
    const withCleanup = await runLessons(scriptedSession(workshop, script, () => undefined).session, workshop.lessons, { bail: false, prove: false, signal: new AbortController().signal });
    expect(withCleanup.lessons[0].steps[0].error).toMatch(/already exists — left from an earlier try\? `kubelab reset \S+ --cleanup` removes what this lesson made; then run it again$/);
    lesson.cleanup = undefined;
    const without = await runLessons(scriptedSession(workshop, script, () => undefined).session, workshop.lessons, { bail: false, prove: false, signal: new AbortController().signal });
    expect(without.lessons[0].steps[0].error).toMatch(/ — left from an earlier try\? Delete it, then run the step again$/);
    const other = await runLessons(scriptedSession(workshop, { ...script, output: { 0: ['error: unknown flag'] } }, () => undefined).session, workshop.lessons, { bail: false, prove: false, signal: new AbortController().signal });
    expect(other.lessons[0].steps[0].error).not.toContain('earlier try');
  });

  it('Given a negated check (expect: fail), when the lesson runs headless, then its entry in the report says so', SLOW, async () => {
    const workshop = await fixtureWorkshop();
    const step = workshop.lessons[0].steps[0];
    step.checks = [{ ...step.checks[0], expect: 'fail' }, ...step.checks.slice(1)];
    const { session } = scriptedSession(workshop, {}, () => undefined);
    const report = await runLessons(session, workshop.lessons, { bail: false, prove: false, signal: new AbortController().signal });
    const [negated, ...plain] = report.lessons[0].steps[0].checks;
    expect(negated).toMatchObject({ id: step.checks[0].id, expect: 'fail' });
    expect(plain.every((c) => c.expect === undefined)).toBe(true);
  });
});

describe('checks before a cluster exists', () => {
  function sessionWithoutCluster(workshop: Workshop, events: EngineEvent[]) {
    const offline = defineChecker({ id: 'offline', description: 'needs no cluster', args: z.object({}), needsCluster: false, run: async () => pass('tools are there') });
    const online = defineChecker({ id: 'online', description: 'needs the cluster', args: z.object({}), run: async () => pass('never reached') });
    const missing = Object.assign(new Error('ENOENT: no such file or directory, open /state/clusters/local-kubelab/kubeconfig'), { code: 'ENOENT' });
    return new WorkshopSession({
      workshop,
      connection: CONNECTION,
      checkers: new Map([
        ['offline', offline],
        ['online', online],
      ]),
      env: { PATH: process.env.PATH, KUBELAB_STATE_DIR: '/tmp/kubelab-protocol-test' },
      emit: (e) => events.push(e),
      ports: { loadKubeConfig: () => Promise.reject(missing) },
    });
  }

  it('Given no kubeconfig yet, when a step has a check that needs no cluster and one that does, then the first passes and the second says so in words, without a path', SLOW, async () => {
    const workshop = await fixtureWorkshop();
    const lesson: Lesson = workshop.lessons[0];
    const step = { ...lesson.steps[0], checks: ['offline', 'online'].map((id) => ({ ...lesson.steps[0].checks[0], id, checker: id, args: {} })) };
    const events: EngineEvent[] = [];
    const outcomes = await sessionWithoutCluster(workshop, events).runChecks(lesson, step, new AbortController().signal, 0);
    expect(outcomes[0].result).toMatchObject({ status: 'pass', message: 'tools are there' });
    expect(outcomes[1].result.status).toBe('error');
    expect(outcomes[1].result.message).toBe('there is no cluster yet: it is created by the lesson step that starts it (or by kubelab cluster up)');
    expect(outcomes[1].result.message).not.toContain('ENOENT');
  });
});
