/**
 * What the screens and the controller read of the app's state: the current step, the lesson list,
 * where to resume, the output view's lines, the recap. Pure functions of the state; the state and
 * the reducer that changes it are in state.ts.
 */
import { lessonState, stepProgress } from '../engine/running/progress.js';
import { isStepDone, type Lesson, type Step } from '../engine/types.js';
import { outputRows } from './code-lines.js';
import type { KeyScope } from './keymap.js';
import type { AppState, OutputLine } from './state.js';
import { createTranslator, type Translator } from '../engine/i18n/translate.js';

export const currentLesson = (s: AppState): Lesson => s.workshop.lessons[s.lessonIndex];
export const currentStep = (s: AppState): Step => currentLesson(s).steps[s.stepIndex];
export const isBusy = (s: AppState): boolean => s.activity.kind === 'busy';

export function scopeOf(s: AppState): KeyScope {
  if (s.overlay.kind !== 'none') return s.overlay.kind;
  if (s.screen === 'home' && s.homeFilter !== undefined) return 'filter';
  return s.screen;
}

export function solutionShown(s: AppState, lesson = currentLesson(s), step = currentStep(s)): boolean {
  return stepProgress(s.progress, lesson.id, step.id)?.solutionShown ?? false;
}

export function hintsRevealed(s: AppState, lesson = currentLesson(s), step = currentStep(s)): number {
  return stepProgress(s.progress, lesson.id, step.id)?.hintsRevealed ?? 0;
}

export interface LessonRow {
  id: string;
  title: string;
  minutes: number;
  state: 'done' | 'in-progress' | 'not-started';
  finished: number;
  steps: number;
  /** After the core path: shown under "Go further". */
  optional: boolean;
}

/** Indexes of the lessons the home screen's filter keeps: every word in the title or id, any case. */
export function matchingLessons(s: AppState): number[] {
  const words = (s.homeFilter ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return s.workshop.lessons.flatMap((l, i) => (words.every((w) => `${l.title} ${l.id}`.toLowerCase().includes(w)) ? [i] : []));
}

export function lessonRows(s: AppState): LessonRow[] {
  return s.workshop.lessons.map((l) => {
    const steps = s.progress.steps[l.id] ?? {};
    const finished = l.steps.filter((st) => isStepDone(steps[st.id]?.status)).length;
    return { id: l.id, title: l.title, minutes: l.minutes, state: lessonState(s.progress, l.id, l.steps.map((st) => st.id)), finished, steps: l.steps.length, optional: l.optional === true };
  });
}

/** Every lesson is done: nothing to resume. */
export const workshopDone = (s: AppState): boolean => lessonRows(s).every((r) => r.state === 'done');

/** Where the learner left off, when that step still exists and the workshop is not finished. */
export function resumePoint(s: AppState): { lessonIndex: number; stepIndex: number } | undefined {
  const current = s.progress.current;
  if (!current || workshopDone(s)) return undefined;
  const lessonIndex = s.workshop.lessons.findIndex((l) => l.id === current.lessonId);
  if (lessonIndex < 0) return undefined;
  const stepIndex = s.workshop.lessons[lessonIndex].steps.findIndex((st) => st.id === current.stepId);
  return stepIndex < 0 ? undefined : { lessonIndex, stepIndex };
}

/** The step a lesson opens on: where the learner was, else its first unfinished step. */
export function entryStep(s: AppState, lessonIndex: number): number {
  const resume = resumePoint(s);
  if (resume?.lessonIndex === lessonIndex) return resume.stepIndex;
  const lesson = s.workshop.lessons[lessonIndex];
  const steps = s.progress.steps[lesson.id] ?? {};
  const open = lesson.steps.findIndex((st) => !isStepDone(steps[st.id]?.status));
  return open < 0 ? 0 : open;
}

export function stepHeading(lesson: Lesson, lessonIndex: number, step: Step, t: Translator = createTranslator('en')): string {
  return t.t('step.transcriptHeading', { lesson: lessonIndex + 1, lessonTitle: lesson.title, number: step.index + 1, total: lesson.steps.length, title: step.title });
}

/** Lines of the output view, headers included: what the overlay scrolls through. */
export function outputViewLines(s: AppState): { text: string; kind: 'command' | 'note' | OutputLine['stream'] }[] {
  // Long lines are wrapped into rows of the terminal's width: the view scrolls rows, nothing is cut.
  return outputViewEntries(s).flatMap((line) => (line.kind === 'note' ? [line] : outputRows({ stream: line.kind, text: line.text }, s.size.columns - 1).map((text) => ({ ...line, text }))));
}

function outputViewEntries(s: AppState): { text: string; kind: 'command' | 'note' | OutputLine['stream'] }[] {
  return s.stepOutput.flatMap((b) => {
    // A block of several commands says each one where its output starts (its own `$` lines).
    const perCommand = b.lines.some((l) => l.stream === 'command');
    return [
      ...(perCommand ? [] : [{ text: `$ ${b.code.split('\n')[0]}${b.code.includes('\n') ? ' …' : ''}`, kind: 'command' as const }]),
      ...(b.dropped ? [{ text: `… ${b.dropped.toLocaleString('en-US')} earlier line(s) dropped`, kind: 'note' as const }] : []),
      ...b.lines.map((l) => ({ text: l.text, kind: l.stream })),
    ];
  });
}

/** How many output lines the output view shows at once on this terminal. */
export const outputViewHeight = (s: AppState): number => Math.max(3, s.size.rows - 6);

export interface WorkshopRecap {
  lessonsDone: number;
  lessons: number;
  stepsPassed: number;
  stepsSkipped: number;
  hints: number;
  solutions: number;
  /** From the first recorded step to the last, when there are two. */
  minutes?: number;
}

/** What the learner did, from their progress: shown when the last step is behind them. */
export function workshopRecap(s: AppState): WorkshopRecap {
  const rows = lessonRows(s);
  const steps = Object.values(s.progress.steps).flatMap((l) => Object.values(l));
  const times = steps.map((st) => Date.parse(st.updatedAt)).filter((t) => Number.isFinite(t));
  const span = times.length > 1 ? Math.max(...times) - Math.min(...times) : undefined;
  return {
    lessonsDone: rows.filter((r) => r.state === 'done').length,
    lessons: rows.length,
    stepsPassed: steps.filter((st) => st.status === 'passed').length,
    stepsSkipped: steps.filter((st) => st.status === 'skipped').length,
    hints: steps.reduce((n, st) => n + st.hintsRevealed, 0),
    solutions: steps.filter((st) => st.solutionShown).length,
    minutes: span === undefined ? undefined : Math.max(1, Math.round(span / 60_000)),
  };
}
