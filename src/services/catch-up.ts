/**
 * `kubelab catch-up` and the app's catch-up key share this: open the learner's progress and the
 * session, run what comes before the target step, record it as caught up.
 */
import { catchUp, catchUpPlan, type CatchUpOptions, type CatchUpResult } from '../engine/running/catch-up.js';
import type { Progress } from '../engine/running/progress.js';
import type { WorkshopSession } from '../engine/running/session.js';
import type { Lesson, Step, Workshop } from '../engine/types.js';

export interface CatchUpRun extends CatchUpResult {
  /** Steps that were to run, in order. */
  planned: number;
}

/** Runs the plan for `target` and returns the progress with the target as the place to resume. */
export async function catchUpTo(session: WorkshopSession, workshop: Workshop, lesson: Lesson, target: Step, progress: Progress, options: Omit<CatchUpOptions, 'progress'>): Promise<CatchUpRun> {
  const plan = catchUpPlan(workshop, lesson, target, progress);
  const result = await catchUp(session, plan, { ...options, progress });
  const at = result.ok ? { lessonId: lesson.id, stepId: target.id } : result.failed ? { lessonId: result.failed.step.lesson.id, stepId: result.failed.step.step.id } : result.progress.current;
  return { ...result, planned: plan.length, progress: { ...result.progress, ...(at && { current: at }) } };
}
