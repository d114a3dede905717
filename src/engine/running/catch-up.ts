/**
 * Catch-up: a late arrival (or a learner whose cluster broke) is brought to the state a step
 * expects by running what comes before it — the lessons it builds on, then its lesson's earlier
 * steps, commands and challenge solutions alike — each checked as it goes, as `validate` would.
 * Steps it runs are recorded as caught up, not passed: the learner did not do them.
 */
import { updateStep, type Progress } from './progress.js';
import { checkSatisfied, type StepResult, type WorkshopSession } from './session.js';
import { isStepDone, type Lesson, type Step, type Workshop } from '../types.js';

export interface CatchUpStep {
  lesson: Lesson;
  step: Step;
}

/** The lessons `lesson` builds on (transitively, each once, in workshop order). */
function requiredLessons(workshop: Workshop, lesson: Lesson, seen = new Set<string>()): Lesson[] {
  for (const id of lesson.requires) {
    const required = workshop.lessons.find((l) => l.id === id);
    if (!required || seen.has(id)) continue;
    seen.add(id);
    requiredLessons(workshop, required, seen);
  }
  return workshop.lessons.filter((l) => seen.has(l.id));
}

/**
 * What runs before `target`: every step of the lessons it builds on that the learner has not done,
 * then the earlier steps of its own lesson. A step already done may still run (see catchUp).
 */
export function catchUpPlan(workshop: Workshop, lesson: Lesson, target: Step, progress: Progress): CatchUpStep[] {
  const before = requiredLessons(workshop, lesson).flatMap((l) => {
    const steps = progress.steps[l.id] ?? {};
    // A lesson the learner finished is the groundwork already (its checks say if it still holds).
    return l.steps.every((st) => isStepDone(steps[st.id]?.status)) ? [] : l.steps.map((step) => ({ lesson: l, step }));
  });
  return [...before, ...lesson.steps.slice(0, target.index).map((step) => ({ lesson, step }))];
}

export type CatchUpEntry = CatchUpStep & ({ outcome: 'already-there' } | { outcome: 'ran'; result: StepResult });

export interface CatchUpResult {
  ok: boolean;
  entries: CatchUpEntry[];
  /** The step that did not pass, with why; catch-up stops there. */
  failed?: { step: CatchUpStep; error: string };
  interrupted: boolean;
  progress: Progress;
}

export interface CatchUpOptions {
  signal: AbortSignal;
  progress: Progress;
  /** Before each step: the CLI prints a line, the app a note. */
  onStep?(step: CatchUpStep, index: number, total: number): void;
}

/**
 * Runs the plan in order. A step whose checks already pass on the cluster is not run again (its
 * work is there); any other step runs in full and must pass. Stops at the first that does not.
 */
export async function catchUp(session: WorkshopSession, plan: CatchUpStep[], options: CatchUpOptions): Promise<CatchUpResult> {
  let progress = options.progress;
  const entries: CatchUpEntry[] = [];
  const done = (fields: Omit<CatchUpResult, 'entries' | 'progress'>): CatchUpResult => ({ ...fields, entries, progress });
  for (const [index, planned] of plan.entries()) {
    const { lesson, step } = planned;
    options.onStep?.(planned, index, plan.length);
    const recorded = progress.steps[lesson.id]?.[step.id]?.status;
    if (session.checksFor(step).length > 0 && isStepDone(recorded)) {
      const now = await session.runChecks(lesson, step, options.signal, 0);
      if (options.signal.aborted) return done({ ok: false, interrupted: true });
      if (now.every((c) => checkSatisfied(c.result))) {
        entries.push({ ...planned, outcome: 'already-there' });
        continue;
      }
    }
    const result = await session.runStep(lesson, step, { signal: options.signal, caughtUp: true });
    entries.push({ ...planned, outcome: 'ran', result });
    if (result.interrupted) return done({ ok: false, interrupted: true });
    if (result.status !== 'passed') return done({ ok: false, interrupted: false, failed: { step: planned, error: result.error ?? 'it did not pass' } });
    // Passed by the learner before stays passed; anything else is now caught up.
    if (recorded !== 'passed') progress = updateStep(progress, lesson.id, step.id, { status: 'caught-up' });
  }
  return done({ ok: true, interrupted: false });
}
