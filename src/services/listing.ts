import { relative, sep } from 'node:path';
import { lessonState, stepProgress, type LessonState, type Progress } from '../engine/running/progress.js';
import type { ProviderName, Workshop } from '../engine/types.js';

export interface StepListing {
  id: string;
  /** What `kubelab check` takes: LESSON/STEP. */
  target: string;
  title: string;
  /** Relative to the workshop folder, with forward slashes. */
  file: string;
  line: number;
  /** 'caught-up': `kubelab catch-up` ran it for the learner (done, not passed by them). */
  status: 'passed' | 'failed' | 'skipped' | 'in-progress' | 'caught-up' | 'not-started';
  checks: { id: string; checker: string }[];
}

export interface LessonListing {
  id: string;
  title: string;
  minutes: number;
  status: LessonState;
  /** After the core path ("go further" in workshop.yaml's `further:`). */
  optional: boolean;
  providers: ProviderName[];
  file: string;
  steps: StepListing[];
  /** --probe: the first step whose checks do not hold yet. */
  resumeAt?: string;
}

export interface WorkshopListing {
  workshop: string;
  title: string;
  dir: string;
  progress: { current?: { lessonId: string; stepId: string }; stepsPassed: number; steps: number };
  lessons: LessonListing[];
}

const portable = (path: string) => path.split(sep).join('/');

/**
 * The workshop as data for tools and scripts (`kubelab list --json`): every step with its place in
 * the lesson file and the exact `check` target, every check with its checker, and the learner's
 * progress, so nothing has to be guessed from headings.
 */
export function listWorkshop(workshop: Workshop, progress: Progress, resumeAt: ReadonlyMap<string, string> = new Map()): WorkshopListing {
  let stepsPassed = 0;
  let steps = 0;
  const lessons = workshop.lessons.map((lesson): LessonListing => ({
    id: lesson.id,
    title: lesson.title,
    minutes: lesson.minutes,
    status: lessonState(progress, lesson.id, lesson.steps.map((s) => s.id)),
    optional: lesson.optional === true,
    // The workshop declares where it runs: a lesson cannot run anywhere its workshop does not.
    providers: lesson.providers.filter((p) => workshop.providers.includes(p)),
    file: portable(relative(workshop.dir, lesson.file)),
    steps: lesson.steps.map((step) => {
      const status = stepProgress(progress, lesson.id, step.id)?.status ?? 'not-started';
      steps++;
      if (status === 'passed') stepsPassed++;
      return {
        id: step.id,
        target: `${lesson.id}/${step.id}`,
        title: step.title,
        file: portable(relative(workshop.dir, step.location.file)),
        line: step.location.line,
        status,
        checks: step.checks.map((c) => ({ id: c.id, checker: c.checker })),
      };
    }),
    ...(resumeAt.has(lesson.id) && { resumeAt: resumeAt.get(lesson.id) }),
  }));
  return {
    workshop: workshop.id,
    title: workshop.title,
    dir: workshop.dir,
    progress: { ...(progress.current && { current: progress.current }), stepsPassed, steps },
    lessons,
  };
}
