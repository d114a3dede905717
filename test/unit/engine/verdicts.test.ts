import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { converging, defineChecker, fail, missing, pass, wrong, type Checker } from '../../../src/engine/checker.js';
import { runLessons } from '../../../src/engine/running/run-lessons.js';
import { WorkshopSession } from '../../../src/engine/running/session.js';
import type { CheckResult, CheckSpec, EngineEvent, Lesson, Step, Workshop } from '../../../src/engine/types.js';
import { prettyProgress, plain, UNPROVABLE_MARK } from '../../../src/reporters/pretty.js';
import { renderJunit } from '../../../src/reporters/junit.js';
import { CONNECTION } from '../../support/ui-app.js';

const SLOW = { timeout: 60_000 };
const location = { file: '/w/lessons/x/lesson.md', line: 1, column: 1 };

/** A checker whose answer is fixed, asked again every 20 ms (so "settled" is judged by its answers). */
const fixed = (id: string, result: CheckResult): Checker<any> =>
  defineChecker({ id, description: 'test', args: z.object({}).passthrough(), pollIntervalMs: 20, run: async () => result });

function workshopWith(checks: { id: string; checker: string; unprovable?: string; timeoutSeconds?: number }[], blocks = 1): Workshop {
  const specs: CheckSpec[] = checks.map((c) => ({ id: c.id, checker: c.checker, args: {}, timeoutSeconds: c.timeoutSeconds ?? 60, ...(c.unprovable && { unprovable: c.unprovable }), location: { ...location, line: 10 } }));
  const step: Step = {
    id: 'the-step',
    title: 'The step',
    index: 0,
    markdown: '',
    blocks: Array.from({ length: blocks }, (_, i) => ({ code: `echo block ${i}`, run: true, timeoutSeconds: 30, expect: 'success' as const, location: { ...location, line: 5 + i } })),
    checks: specs,
    hints: [],
    challenge: false,
    location,
  };
  const lesson: Lesson = { id: 'x', title: 'X', minutes: 1, requires: [], tools: [], providers: ['local'], dir: '/w/lessons/x', file: location.file, intro: '', steps: [step] };
  return { id: 'w', title: 'W', description: '', dir: '/w', variables: {}, providers: ['local'], lessons: [lesson] };
}

function sessionFor(workshop: Workshop, checkers: Checker<any>[], block: { exitCode: number; tail?: string[]; failedCommand?: string } = { exitCode: 0 }) {
  const events: EngineEvent[] = [];
  const session = new WorkshopSession({
    workshop,
    connection: CONNECTION,
    checkers: new Map(checkers.map((c) => [c.id, c])),
    env: { PATH: process.env.PATH, KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-verdicts-')) },
    emit: (e) => events.push(e),
    ports: {
      loadKubeConfig: async () => ({}) as KubeConfig,
      runBlock: async () => ({ exitCode: block.exitCode, outcome: block.exitCode === 0 ? 'ok' : 'failed', durationMs: 1, tail: block.tail ?? [], ...(block.failedCommand && { failedCommand: block.failedCommand }) }),
    },
  });
  return { session, events, lesson: workshop.lessons[0], step: workshop.lessons[0].steps[0] };
}

describe('settle, then say (a step’s verdict)', () => {
  it('Given one check that fails at once and one that would wait a minute, when the step runs, then the verdict comes at once and the other says it was not decided', SLOW, async () => {
    const { session, lesson, step } = sessionFor(workshopWith([{ id: 'slow', checker: 'slow' }, { id: 'wrong-image', checker: 'wrong-image' }]), [
      fixed('slow', converging('web: 1/2 ready', 'rollout of web')),
      fixed('wrong-image', fail('web runs nginx:1.26, not nginx:1.27')),
    ]);
    const started = performance.now();
    const result = await session.runStep(lesson, step, { signal: new AbortController().signal });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('wrong-image: web runs nginx:1.26, not nginx:1.27');
    expect(result.checks.find((c) => c.spec.id === 'slow')?.result).toMatchObject({ status: 'pending', message: 'not decided: the step already failed on wrong-image' });
  });

  it('Given a wrong value nothing changes, when checked with a minute to wait, then it fails within seconds, in the words of what differs', SLOW, async () => {
    const { session, lesson, step } = sessionFor(workshopWith([{ id: 'greeting', checker: 'greeting' }]), [fixed('greeting', wrong('ConfigMap app-config: data.GREETING is "hello", expected "bonjour"'))]);
    const started = performance.now();
    const result = await session.runStep(lesson, step, { signal: new AbortController().signal });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(result.checks[0].result).toEqual({ status: 'fail', message: 'ConfigMap app-config: data.GREETING is "hello", expected "bonjour"' });
  });

  it('Given c before the step ran (nothing exists), when its checks are asked, then they say so at once instead of waiting out their timeout', SLOW, async () => {
    const { session, lesson, step } = sessionFor(workshopWith([{ id: 'a', checker: 'a' }, { id: 'b', checker: 'b' }]), [fixed('a', missing('ConfigMap app-config does not exist')), fixed('b', missing('no Deployment web yet'))]);
    const started = performance.now();
    const result = await session.runStep(lesson, step, { signal: new AbortController().signal, mode: 'checks' });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.checks.map((c) => c.result.message)).toEqual([
      'nothing created yet — did you run the step? (ConfigMap app-config does not exist)',
      'nothing created yet — did you run the step? (no Deployment web yet)',
    ]);
  });

  it('Given one of the objects exists, when c asks, then the checks are waited on as usual (not "nothing created")', SLOW, async () => {
    const { session, lesson, step } = sessionFor(workshopWith([{ id: 'a', checker: 'a' }, { id: 'b', checker: 'b' }]), [fixed('a', pass('there')), fixed('b', missing('no Deployment web yet'))]);
    const result = await session.runStep(lesson, step, { signal: new AbortController().signal, mode: 'checks', checkTimeoutMs: 300 });
    expect(result.checks[1].result.message).toBe('still not there after 0 s: no Deployment web yet');
  });

  it('Given a command that fails, when the step runs, then the failure names the command, its exit code and last output, and every check is listed as not evaluated', SLOW, async () => {
    const { session, lesson, step, events } = sessionFor(workshopWith([{ id: 'a', checker: 'a' }, { id: 'b', checker: 'b' }]), [fixed('a', pass('ok')), fixed('b', pass('ok'))], {
      exitCode: 2,
      tail: ['deployment.apps/web scaled', '', '2 2'],
      failedCommand: '[ "$(kubectl get deploy web -o jsonpath={.status.readyReplicas})" = 3 ]',
    });
    const result = await session.runStep(lesson, step, { signal: new AbortController().signal });
    expect(result.error).toBe('`[ "$(kubectl get deploy web -o jsonpath={.status.readyReplicas})" = 3 ]` failed with exit code 2 (/w/lessons/x/lesson.md:5); its last output: deployment.apps/web scaled ⏎ 2 2');
    expect(result.checks.map((c) => [c.spec.id, c.result.status, c.result.message])).toEqual([
      ['a', 'skip', expect.stringMatching(/^not evaluated: the step's commands did not succeed/)],
      ['b', 'skip', expect.stringMatching(/^not evaluated: the step's commands did not succeed/)],
    ]);
    expect(events.filter((e) => e.type === 'check-end')).toHaveLength(2);
  });

  it('Given twelve checks in a step, when they wait together, then Node gives no listener warning', SLOW, async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
      const { session, lesson, step } = sessionFor(workshopWith(ids.map((id) => ({ id, checker: id, timeoutSeconds: 1 }))), ids.map((id) => fixed(id, converging('not yet', 'rollout'))));
      await session.runStep(lesson, step, { signal: new AbortController().signal });
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('--prove and unprovable checks', () => {
  it('Given a check the lesson marks unprovable, when proved, then the pretty view, the JSON report and JUnit mark it apart from a real problem', SLOW, async () => {
    const workshop = workshopWith([{ id: 'no-extra-pod', checker: 'absent', unprovable: 'the refused pod never exists, before or after the step' }, { id: 'made', checker: 'made' }]);
    let made = false;
    const { session, events } = sessionFor(workshop, [fixed('absent', pass('Pod extra does not exist')), defineChecker({ id: 'made', description: 'test', args: z.object({}).passthrough(), run: async () => (made ? pass('made') : missing('not made')) })]);
    (session as unknown as { ports: { runBlock: () => Promise<unknown> } }).ports.runBlock = async () => {
      made = true;
      return { exitCode: 0, outcome: 'ok', durationMs: 1, tail: [] };
    };
    const report = await runLessons(session, workshop.lessons, { bail: false, prove: true, signal: new AbortController().signal });
    const lines: string[] = [];
    const show = prettyProgress((l) => lines.push(l), plain, false);
    for (const e of events) show(e);
    expect(lines).toContain(`    ${UNPROVABLE_MARK} before the step, no-extra-pod: unprovable (the refused pod never exists, before or after the step), already passes`);
    expect(lines.some((l) => l.includes('no-extra-pod') && l.trimStart().startsWith('!'))).toBe(false);
    expect(report.lessons[0].steps[0].checks.find((c) => c.id === 'no-extra-pod')).toMatchObject({ unprovable: 'the refused pod never exists, before or after the step' });
    expect(renderJunit(report)).toContain('pass no-extra-pod: Pod extra does not exist [unprovable before its step: the refused pod never exists, before or after the step]');
  });
});
