import { checkSatisfied, type CheckOutcome, type WorkshopSession } from './session.js';
import type { Lesson, StepStatus } from '../types.js';
import { hintsForFailedChecks } from './hints.js';

export interface CheckReport {
  id: string;
  checker: string;
  status: string;
  message: string;
  /** 'fail': a negated check (the lesson asserts it must not pass); its status is after negation. */
  expect?: 'fail';
  /** --prove: the lesson says this check cannot fail before its step, and why (not a problem). */
  unprovable?: string;
  expected?: string;
  actual?: string;
  /** How long the check took, waiting included: a slow check is seen in the report. */
  durationMs?: number;
  /** The check's own hint, when it did not pass. */
  hint?: string;
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
  /** Blocks shown but not run on this cluster, each with its line and why. */
  notRun?: { line: number; reason: string }[];
  /** The lesson's hints tied to the checks that failed (`hints: [{ text, check }]`). */
  hints?: string[];
  /**
   * A step that did not fail yet proved nothing here: why (no command ran and no check was
   * evaluated — then the step is reported skipped, as read —, or commands ran and nothing checked them).
   */
  unverified?: string;
}

export interface LessonReport {
  id: string;
  title: string;
  status: StepStatus;
  durationMs: number;
  steps: StepReport[];
  error?: string;
}

export interface LessonsReport {
  lessons: LessonReport[];
  /** blocksNotRun: command blocks shown but not run (test=false, needs a real node…), from every step that ran. */
  summary: {
    passed: number;
    failed: number;
    skipped: number;
    blocksNotRun?: number;
    /** Passed steps at least one check was evaluated for: the rest of `passed` ran commands nothing checked. */
    verified?: number;
    /** Steps where nothing ran and nothing was checked (prose, or all of it not runnable here): counted in `skipped`. */
    read?: number;
    durationMs: number;
  };
}

export interface RunLessonsOptions {
  /** Stop after the first lesson that fails. */
  bail: boolean;
  /** Evaluate every check before its step too: one that already passes cannot fail. */
  prove: boolean;
  signal: AbortSignal;
}

const toReport = (c: CheckOutcome, prove = false): CheckReport => ({
  id: c.spec.id,
  checker: c.spec.checker,
  status: c.result.status,
  message: c.result.message,
  ...(c.spec.expect === 'fail' && { expect: 'fail' as const }),
  ...(prove && c.spec.unprovable && { unprovable: c.spec.unprovable }),
  ...(c.result.expected !== undefined && { expected: c.result.expected }),
  ...(c.result.actual !== undefined && { actual: c.result.actual }),
  durationMs: c.durationMs,
  ...(c.result.hint && !checkSatisfied(c.result) && { hint: c.result.hint }),
});

const skipped = (lesson: Lesson, from: number, why: string): StepReport[] =>
  lesson.steps.slice(from).map((step) => ({ id: step.id, title: step.title, status: 'skipped', durationMs: 0, checks: [], error: why }));

/**
 * One lesson, headless: its steps in order through the session's step protocol, stopping at the
 * first failure (later steps build on it, so they are reported skipped, not run).
 */
export async function runLesson(session: WorkshopSession, lesson: Lesson, options: Pick<RunLessonsOptions, 'prove' | 'signal'>): Promise<LessonReport> {
  const started = performance.now();
  const prepared = await session.prepareLesson(lesson, options.signal);
  const steps: StepReport[] = [];
  // The session ends a lesson itself when its last step passes: it is not ended twice.
  let endedBySession = false;
  if (!prepared.ok) steps.push(...skipped(lesson, 0, prepared.error ?? 'lesson setup failed'));
  else {
    for (const [index, step] of lesson.steps.entries()) {
      if (options.signal.aborted) {
        steps.push(...skipped(lesson, index, 'interrupted'));
        break;
      }
      const run = await session.runStep(lesson, step, { signal: options.signal, prove: options.prove });
      if (run.interrupted) {
        steps.push(...skipped(lesson, index, 'interrupted'));
        break;
      }
      endedBySession = run.status === 'passed' && step === lesson.steps.at(-1);
      const evaluated = run.checks.filter((c) => c.result.status !== 'skip').length;
      const ranCommands = session.blocksFor(step).length > 0 || Boolean(step.setup);
      let status = run.status;
      let unverified: string | undefined;
      // Nothing run, nothing checked: read, not passed (a green run for content never exercised is a lie).
      const skippedChecks = run.checks.filter((c) => c.result.status === 'skip');
      if (status === 'passed' && evaluated === 0 && skippedChecks.length > 0) {
        // Its checks cannot be evaluated here (they need a real node…): not provable, neither passed nor failed.
        status = 'skipped';
        const why = [...new Set(skippedChecks.map((c) => c.result.message.replace(/^not provable here: /, '')))].join('; ');
        unverified = `not provable here: ${why}`;
      } else if (status === 'passed' && !ranCommands && evaluated === 0) {
        status = 'skipped';
        const why = [...(run.notRun ?? []).map((n) => n.reason), ...run.checks.map((c) => c.result.message)];
        unverified = why.length ? `not run here: ${[...new Set(why)].join('; ')}` : 'read: nothing to run or check';
      } else if (status === 'passed' && evaluated === 0) unverified = step.unchecked ? `not checked: ${step.unchecked}` : 'not checked: its commands ran, nothing verified what they did';
      const hints = hintsForFailedChecks(step, session.connection.provider, run.checks.filter((c) => !checkSatisfied(c.result)).map((c) => c.spec.id));
      steps.push({
        id: step.id,
        title: step.title,
        status,
        durationMs: run.durationMs,
        checks: run.checks.map((c) => toReport(c, options.prove)),
        ...(run.error && { error: run.error }),
        ...(run.passedEarly && { passedEarly: run.passedEarly }),
        ...(run.unprovable && { unprovable: run.unprovable }),
        ...(run.notRun && { notRun: run.notRun }),
        ...(hints.length && { hints }),
        ...(unverified && { unverified, ...(status === 'skipped' && { error: unverified }) }),
      });
      if (run.status === 'failed') {
        steps.push(...skipped(lesson, index + 1, `skipped: step "${step.id}" failed`));
        break;
      }
    }
  }
  // A folder's suite after-hook runs even when its last page stopped early or could not run here.
  const last = steps.filter((s) => s.status !== 'skipped').at(-1) ?? steps[0];
  const lastStep = lesson.steps.find((s) => s.id === last?.id);
  if (last && lastStep) {
    const suite = await session.finishSuites(lesson, lastStep, options.signal);
    last.checks.push(...suite.map((c) => toReport(c)));
    if (suite.some((c) => !checkSatisfied(c.result)) && last.status !== 'failed') {
      last.status = 'failed';
      last.error ??= suite.find((c) => !checkSatisfied(c.result))!.result.message;
    }
  }
  // A page the content itself rules out here (it calls AWS) is skipped with that reason, not failed.
  const ruledOut = !prepared.ok && lesson.unavailableReason !== undefined && !lesson.providers.includes(session.connection.provider);
  const status: StepStatus = ruledOut ? 'skipped' : !prepared.ok || steps.some((s) => s.status === 'failed') ? 'failed' : steps.every((s) => s.status === 'skipped') ? 'skipped' : 'passed';
  // A lesson whose last step passed was ended by the session already.
  if (status !== 'passed' && !endedBySession && !options.signal.aborted) session.endLesson(lesson, status);
  return { id: lesson.id, title: lesson.title, status, durationMs: Math.round(performance.now() - started), steps, ...(!prepared.ok && { error: prepared.error }) };
}

/** Headless run of several lessons (`kubelab validate`): one report for all of them. */
export async function runLessons(session: WorkshopSession, lessons: Lesson[], options: RunLessonsOptions): Promise<LessonsReport> {
  const started = performance.now();
  const reports: LessonReport[] = [];
  let stop = false;
  for (const lesson of lessons) {
    if (stop || options.signal.aborted) {
      const why = options.signal.aborted ? 'interrupted' : 'skipped after an earlier failure (--bail)';
      reports.push({ id: lesson.id, title: lesson.title, status: 'skipped', durationMs: 0, steps: skipped(lesson, 0, why) });
      continue;
    }
    const report = await runLesson(session, lesson, options);
    reports.push(report);
    if (report.status === 'failed' && options.bail) stop = true;
  }
  const all = reports.flatMap((l) => l.steps);
  return {
    lessons: reports,
    summary: {
      passed: all.filter((s) => s.status === 'passed').length,
      failed: all.filter((s) => s.status === 'failed').length,
      skipped: all.filter((s) => s.status === 'skipped').length,
      blocksNotRun: all.reduce((n, s) => n + (s.notRun?.length ?? 0), 0),
      verified: all.filter((s) => s.status === 'passed' && !s.unverified).length,
      read: all.filter((s) => s.status === 'skipped' && s.unverified).length,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/**
 * Why a run proved nothing, when it did not: every step was read or not run here (no command ran,
 * no check was evaluated). `validate` fails on it rather than report a green run of nothing.
 */
export function nothingExercised(report: LessonsReport, took: string): string | undefined {
  const steps = report.lessons.flatMap((l) => l.steps);
  // An empty part of a sharded run (more jobs than lessons) proves nothing and claims nothing.
  if (report.lessons.length === 0 || steps.some((s) => s.status !== 'skipped')) return undefined;
  const reasons = [...new Set(steps.map((s) => s.error ?? s.unverified).filter(Boolean))].slice(0, 3);
  return `nothing could be run or checked: kubelab took this content for ${took} and found ${report.lessons.length} lesson(s) with ${steps.length} step(s), none of which ran a command or evaluated a check here${reasons.length ? ` (${reasons.join('; ')})` : ''}`;
}
