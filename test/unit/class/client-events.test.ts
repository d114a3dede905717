import { describe, expect, it } from 'vitest';
import { toClassEvent } from '../../../src/class/client.js';
import { LIMITS } from '../../../src/class/protocol.js';
import { Redactor } from '../../../src/engine/running/redact.js';
import type { EngineEvent } from '../../../src/engine/types.js';

const at = { lessonId: '02-deploy', stepId: 'service' };
const redactor = Redactor.fromEnv({ AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });

describe('engine events to class events', () => {
  it.each<EngineEvent>([
    { type: 'output', blockIndex: 0, stream: 'stdout', line: 'token: abc', ...at },
    { type: 'block-start', blockIndex: 0, code: 'kubectl create secret generic db --from-literal=p=hunter2', expect: 'success', ...at },
    { type: 'block-end', blockIndex: 0, exitCode: 0, outcome: 'ok', durationMs: 5, ...at },
    { type: 'check-start', checkId: 'ready', checker: 'resource-ready', ...at },
    { type: 'check-progress', checkId: 'ready', result: { status: 'pending', message: 'waiting' }, remainingMs: 5, ...at },
    { type: 'check-end', checkId: 'ready', result: { status: 'skip', message: 'not on this provider' }, durationMs: 5, ...at },
  ])('Given a $type event, when mapped, then nothing is sent', (event) => {
    expect(toClassEvent(event, redactor)).toBeUndefined();
  });

  it('Given a failed check with a multi-line message holding a secret, when mapped, then only its first line is sent, redacted', () => {
    const event: EngineEvent = {
      type: 'check-end',
      checkId: 'iam',
      result: { status: 'fail', message: 'AccessDenied for wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nstack trace…', expected: 'allowed', actual: 'denied' },
      durationMs: 10,
      ...at,
    };
    const mapped = toClassEvent(event, redactor, 42);
    expect(mapped).toMatchObject({ type: 'check', at: 42, checkId: 'iam', outcome: 'failed', message: 'AccessDenied for [REDACTED]' });
    expect(Object.keys(mapped!).sort()).toEqual(['at', 'checkId', 'id', 'lessonId', 'message', 'outcome', 'stepId', 'type']);
  });

  it('Given a check message far over the limit, when mapped, then it is cut to the limit', () => {
    const event: EngineEvent = { type: 'check-end', checkId: 'c', result: { status: 'error', message: 'x'.repeat(5000) }, durationMs: 1, ...at };
    const mapped = toClassEvent(event, redactor);
    expect(mapped).toMatchObject({ outcome: 'error' });
    expect((mapped as { message: string }).message).toHaveLength(LIMITS.message);
  });

  it('Given the engine events a learner sees on a step, when mapped, then each becomes its class event', () => {
    const events: EngineEvent[] = [
      { type: 'lesson-start', lessonId: '02-deploy', title: 'Deploy' },
      { type: 'step-start', title: 'Expose it', ...at },
      { type: 'hint-revealed', index: 1, ...at },
      { type: 'solution-shown', ...at },
      { type: 'check-end', checkId: 'svc', result: { status: 'pass', message: 'svc has 3 endpoints' }, durationMs: 1, ...at },
      { type: 'step-end', status: 'passed', durationMs: 61_000, ...at },
      { type: 'lesson-end', lessonId: '02-deploy', status: 'passed', durationMs: 1 },
    ];
    expect(events.map((e) => toClassEvent(e, redactor)?.type)).toEqual([
      'lesson-started',
      'step-started',
      'hint-revealed',
      'solution-shown',
      'check',
      'step-finished',
      'lesson-finished',
    ]);
  });
});
