import type { CheckOutcome, WorkshopSession } from './session.js';
import { checkSatisfied } from './session.js';
import type { EngineListener, Lesson, StepStatus } from './types.js';

export interface CheckReport {
  id: string;
  checker: string;
  status: string;
  message: string;
  expected?: string;
  actual?: string;
}

export interface StepReport {
  id: string;
  title: string;
  status: StepStatus;
  durationMs: number;
  checks: CheckReport[];
  error?: string;
  /** --prove: checks that already passed before the step's commands ran (they cannot fail). */
  passedEarly?: string[];
  /** --prove: checks the lesson marks as unprovable, with the reason it gives. */
  unprovable?: string[];
}

export interface LessonReport {
  id: string;
  title: string;
  status: StepStatus;
  durationMs: number;
  steps: StepReport[];
  error?: string;
}

export interface ValidateReport {
  lessons: LessonReport[];
  summary: { passed: number; failed: number; skipped: number; durationMs: number };
}

export interface ValidateOptions {
  bail: boolean;
  prove: boolean;
  signal: AbortSignal;
  emit: EngineListener;
}

const toReport = (c: CheckOutcome): CheckReport => ({
  id: c.spec.id,
  checker: c.spec.checker,
  status: c.result.status,
  message: c.result.message,
  ...(c.result.expected !== undefined && { expected: c.result.expected }),
  ...(c.result.actual !== undefined && { actual: c.result.actual }),
});

/**
 * Headless run: for each lesson, its setup, then each step's commands and checks in order.
 * With `prove`, each step's checks are first evaluated once before its commands: any that already
 * passes is reported, since a check that cannot fail proves nothing.
 */
export async function validateLessons(session: WorkshopSession, lessons: Lesson[], options: ValidateOptions): Promise<ValidateReport> {
  const started = performance.now();
  const reports: LessonReport[] = [];
  let stop = false;
  for (const lesson of lessons) {
    const lessonStarted = performance.now();
    const steps: StepReport[] = [];
    const skipRest = (from: number, why: string) => {
      for (const step of lesson.steps.slice(from)) steps.push({ id: step.id, title: step.title, status: 'skipped', durationMs: 0, checks: [], error: why });
    };
    if (stop || options.signal.aborted) {
      skipRest(0, options.signal.aborted ? 'interrupted' : 'skipped after an earlier failure (--bail)');
      reports.push({ id: lesson.id, title: lesson.title, status: 'skipped', durationMs: 0, steps });
      continue;
    }
    options.emit({ type: 'lesson-start', lessonId: lesson.id, title: lesson.title });
    let lessonError: string | undefined;
    if (!lesson.providers.includes(session.connection.provider)) {
      lessonError = `not available on provider ${session.connection.provider}`;
    }
    const missing = lessonError ? [] : session.missingTools(lesson);
    if (missing.length) lessonError = `missing tools: ${missing.join('; ')}`;
    if (!lessonError && lesson.setup) {
      const setup = await session.runScript(lesson, undefined, lesson.setup, options.signal);
      if (!setup.ok) lessonError = setup.error;
    }
    if (lessonError) {
      skipRest(0, lessonError);
    } else {
      for (const [index, step] of lesson.steps.entries()) {
        if (options.signal.aborted) {
          skipRest(index, 'interrupted');
          break;
        }
        const at = { lessonId: lesson.id, stepId: step.id };
        const stepStarted = performance.now();
        options.emit({ type: 'step-start', ...at, title: step.title });
        let passedEarly: string[] | undefined;
        let unprovable: string[] | undefined;
        let error: string | undefined;
        if (options.prove && session.checksFor(step).length > 0) {
          const before = await session.runChecks(lesson, step, options.signal, 0, { probe: true });
          unprovable = before.filter((c) => c.spec.unprovable).map((c) => `${c.spec.id}: ${c.spec.unprovable}`);
          passedEarly = before.filter((c) => c.result.status === 'pass' && !c.spec.unprovable).map((c) => c.spec.id);
          if (passedEarly.length) error = `passed before the step ran, so it cannot fail: ${passedEarly.join(', ')}`;
        }
        if (step.setup) {
          const setup = await session.runScript(lesson, step, step.setup, options.signal);
          if (!setup.ok) error ??= setup.error;
        }
        const commands = error && !options.prove ? { ok: false, error } : await session.runCommands(lesson, step, options.signal);
        const checks = commands.ok ? await session.runChecks(lesson, step, options.signal) : [];
        let status = session.stepStatus(commands, checks);
        if (passedEarly?.length) status = 'failed';
        error ??= commands.error ?? checks.find((c) => !checkSatisfied(c.result))?.result.message;
        const durationMs = Math.round(performance.now() - stepStarted);
        options.emit({ type: 'step-end', ...at, status, durationMs });
        steps.push({ id: step.id, title: step.title, status, durationMs, checks: checks.map(toReport), ...(error && status === 'failed' && { error }), ...(passedEarly && { passedEarly }), ...(unprovable?.length && { unprovable }) });
        if (status === 'failed') {
          // Later steps build on this one: running them would only repeat the same failure.
          skipRest(index + 1, `skipped: step "${step.id}" failed`);
          if (options.bail) stop = true;
          break;
        }
      }
    }
    const status: StepStatus = lessonError || steps.some((s) => s.status === 'failed') ? 'failed' : steps.every((s) => s.status === 'skipped') ? 'skipped' : 'passed';
    if (lessonError && options.bail) stop = true;
    const durationMs = Math.round(performance.now() - lessonStarted);
    options.emit({ type: 'lesson-end', lessonId: lesson.id, status, durationMs });
    reports.push({ id: lesson.id, title: lesson.title, status, durationMs, steps, ...(lessonError && { error: lessonError }) });
  }
  const all = reports.flatMap((l) => l.steps);
  return {
    lessons: reports,
    summary: {
      passed: all.filter((s) => s.status === 'passed').length,
      failed: all.filter((s) => s.status === 'failed').length,
      skipped: all.filter((s) => s.status === 'skipped').length,
      durationMs: Math.round(performance.now() - started),
    },
  };
}
