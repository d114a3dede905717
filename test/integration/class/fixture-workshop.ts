/**
 * A small workshop as the engine would report it: two lessons, five steps. Each step runs a
 * command whose output carries a marker that must never reach the class server.
 */
import type { EngineEvent } from '../../../src/engine/types.js';

export const OUTPUT_MARKER = 'OUTPUT-MUST-NOT-LEAVE-THE-LAPTOP';

export const STEPS = [
  { lessonId: '01-basics', lessonTitle: 'Basics', stepId: 'namespace', title: 'Create a namespace' },
  { lessonId: '01-basics', lessonTitle: 'Basics', stepId: 'pod', title: 'Run a pod' },
  { lessonId: '01-basics', lessonTitle: 'Basics', stepId: 'logs', title: 'Read the logs' },
  { lessonId: '02-deploy', lessonTitle: 'Deploy', stepId: 'deployment', title: 'Create a deployment' },
  { lessonId: '02-deploy', lessonTitle: 'Deploy', stepId: 'service', title: 'Expose it' },
] as const;

/**
 * The events of a learner who finished `finished` steps and is now on the next one (started, not
 * finished). Lessons are started and ended as the engine does.
 */
export function walk(finished: number): EngineEvent[] {
  const events: EngineEvent[] = [];
  const reach = Math.min(finished, STEPS.length - 1);
  for (let i = 0; i <= reach; i++) {
    const step = STEPS[i]!;
    const at = { lessonId: step.lessonId, stepId: step.stepId };
    if (i === 0 || STEPS[i - 1]!.lessonId !== step.lessonId) events.push({ type: 'lesson-start', lessonId: step.lessonId, title: step.lessonTitle });
    events.push({ type: 'step-start', title: step.title, ...at });
    if (i === reach && i >= finished) break; // the step the learner is on now
    events.push(
      { type: 'block-start', blockIndex: 0, code: `kubectl apply -f ${step.stepId}.yaml`, expect: 'success', ...at },
      { type: 'output', blockIndex: 0, stream: 'stdout', line: `${OUTPUT_MARKER} ${step.stepId} created`, ...at },
      { type: 'block-end', blockIndex: 0, exitCode: 0, outcome: 'ok', durationMs: 800, ...at },
      { type: 'check-start', checkId: 'ready', checker: 'resource-ready', ...at },
      { type: 'check-progress', checkId: 'ready', result: { status: 'pending', message: `${OUTPUT_MARKER} waiting` }, remainingMs: 1000, ...at },
      { type: 'check-end', checkId: 'ready', result: { status: 'pass', message: `${step.stepId} is ready` }, durationMs: 1200, ...at },
      { type: 'step-end', status: 'passed', durationMs: 30_000, ...at },
    );
    const last = i === STEPS.length - 1 || STEPS[i + 1]!.lessonId !== step.lessonId;
    if (last) events.push({ type: 'lesson-end', lessonId: step.lessonId, status: 'passed', durationMs: 90_000 });
  }
  return events;
}

/** A failing check on the step the learner is on, as the engine reports it when they press "check". */
export function failingCheck(stepIndex: number, message = 'deployment web: 0/3 replicas ready'): EngineEvent {
  const step = STEPS[stepIndex]!;
  return {
    type: 'check-end',
    lessonId: step.lessonId,
    stepId: step.stepId,
    checkId: 'replicas',
    result: { status: 'fail', message, expected: '3', actual: '0' },
    durationMs: 5000,
  };
}
