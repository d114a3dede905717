/**
 * Where one learner is, folded from their class events. The server keeps this per learner (the
 * events themselves are kept too, as a log); the instructor view and `class status` read it.
 */
import type { ClassEvent } from './protocol.js';

export type StepState = 'active' | 'passed' | 'failed' | 'skipped' | 'caught-up';
export type LessonOutcome = 'passed' | 'failed' | 'skipped';

export interface LearnerState {
  lesson?: { id: string; title: string };
  step?: {
    lessonId: string;
    id: string;
    title: string;
    /** Server clock, ms. */
    startedAt: number;
    state: StepState;
    /** The engine's own measure of time on the step, once it ended. */
    durationMs?: number;
  };
  lastCheck?: { checkId: string; outcome: 'passed' | 'failed' | 'error'; message: string; at: number };
  /** How many times in a row the last check did not pass on this step. */
  sameCheckFailures: number;
  hintsOnStep: number;
  hintsTotal: number;
  solutionShown: boolean;
  lessons: Record<string, LessonOutcome>;
  /** The learner's clock of the newest applied event: older ones (a late queue) only go to the log. */
  lastClientAt: number;
  lastSeenAt: number;
  events: number;
}

export function emptyLearnerState(): LearnerState {
  return { sameCheckFailures: 0, hintsOnStep: 0, hintsTotal: 0, solutionShown: false, lessons: {}, lastClientAt: 0, lastSeenAt: 0, events: 0 };
}

/**
 * Applies one stored event. `serverAt` is the event's time on the server clock. An event older than
 * the newest one applied (learner clock) is counted but does not move the learner backwards.
 */
export function applyClassEvent(state: LearnerState, event: ClassEvent, serverAt: number): LearnerState {
  const next: LearnerState = { ...state, events: state.events + 1, lastSeenAt: Math.max(state.lastSeenAt, serverAt) };
  if (event.at < state.lastClientAt) return next;
  next.lastClientAt = event.at;

  switch (event.type) {
    case 'lesson-started':
      return { ...next, lesson: { id: event.lessonId, title: event.title } };
    case 'lesson-finished':
      return { ...next, lessons: { ...next.lessons, [event.lessonId]: event.status } };
    case 'step-started': {
      const lesson = next.lesson?.id === event.lessonId ? next.lesson : { id: event.lessonId, title: event.lessonId };
      return {
        ...next,
        lesson,
        step: { lessonId: event.lessonId, id: event.stepId, title: event.title, startedAt: serverAt, state: 'active' },
        lastCheck: undefined,
        sameCheckFailures: 0,
        hintsOnStep: 0,
        solutionShown: false,
      };
    }
    case 'step-finished':
      if (!isCurrentStep(next, event)) return next;
      return { ...next, step: { ...next.step!, state: event.status, durationMs: event.durationMs } };
    case 'check': {
      const again = next.lastCheck?.checkId === event.checkId && next.lastCheck.outcome !== 'passed';
      const sameCheckFailures = event.outcome === 'passed' ? 0 : again ? next.sameCheckFailures + 1 : 1;
      return {
        ...next,
        lastCheck: { checkId: event.checkId, outcome: event.outcome, message: event.message, at: serverAt },
        sameCheckFailures,
      };
    }
    case 'hint-revealed': {
      if (!isCurrentStep(next, event)) return next;
      const hintsOnStep = Math.max(next.hintsOnStep, event.index + 1);
      return { ...next, hintsOnStep, hintsTotal: next.hintsTotal + (hintsOnStep - next.hintsOnStep) };
    }
    case 'solution-shown':
      return isCurrentStep(next, event) ? { ...next, solutionShown: true } : next;
  }
}

function isCurrentStep(state: LearnerState, event: { lessonId: string; stepId: string }): boolean {
  return state.step?.lessonId === event.lessonId && state.step.id === event.stepId;
}
