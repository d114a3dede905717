/**
 * What the instructor sees, computed from the stored class: one row per learner, stuck learners
 * first, and a per-lesson summary. Pure (the clock is an argument), so it is tested without a
 * terminal; the Ink view, `class status` and the status endpoint all render this.
 */
import { displayName, nameSkeleton } from './names.js';
import type { LearnerRecord, ClassSnapshot } from './store.js';
import type { StepState } from './learner-state.js';
import stringWidth from 'string-width';
import { fitColumns, safeText } from './safe-text.js';

export interface ClassViewOptions {
  now: number;
  /** On one step longer than this (and not finished): stuck. */
  stuckAfterMs: number;
  /** The same check failing this many times in a row: stuck. */
  failuresToStuck?: number;
}

export const DEFAULT_STUCK_MINUTES = 5;
export const DEFAULT_FAILURES_TO_STUCK = 3;

export interface LearnerRow {
  id: string;
  /** 1 for the first learner to join, 2 for the next…: how projector mode tells learners apart without names. */
  seat: number;
  /** Unique in the class: a second "alice" to join is "alice (2)". */
  name: string;
  /** The part of `name` that tells same-named learners apart (" (2)"), kept when the name is cut. */
  nameSuffix: string;
  lessonId?: string;
  lessonTitle?: string;
  stepId?: string;
  stepTitle?: string;
  stepState?: StepState;
  timeOnStepMs?: number;
  hintsUsed: number;
  solutionShown: boolean;
  lastCheck?: { checkId: string; outcome: 'passed' | 'failed' | 'error'; message: string };
  sameCheckFailures: number;
  stuck: boolean;
  stuckReason?: string;
  lessonsPassed: number;
  /** Steps the learner jumped over with `kubelab catch-up` rather than doing them. */
  caughtUpSteps: number;
  /** Up since `raisedAt` (server clock), for `upMs`. */
  hand?: { raisedAt: number; upMs: number };
  events: number;
  lastSeenAt?: number;
}

export interface LessonSummary {
  lessonId: string;
  title: string;
  /** Learners who passed the lesson. */
  finished: number;
  total: number;
  steps: { stepId: string; title: string; learners: number; stuck: number }[];
  /** How each step ended across the class, with the median time of those who passed it. */
  results: StepResults[];
}

export interface StepResults {
  stepId: string;
  title: string;
  passed: number;
  failed: number;
  skipped: number;
  caughtUp: number;
  medianPassMs?: number;
}

export interface ClassView {
  className: string;
  generatedAt: number;
  stuckAfterMs: number;
  learners: LearnerRow[];
  lessons: LessonSummary[];
}

export function buildClassView(snapshot: ClassSnapshot, options: ClassViewOptions): ClassView {
  const suffixes = nameSuffixes(snapshot.learners);
  const seats = joinOrder(snapshot.learners);
  const rows = snapshot.learners.map((learner) => learnerRow(learner, options, suffixes.get(learner.id) ?? '', seats.get(learner.id)!));
  const { compare } = new Intl.Collator(undefined, { numeric: true });
  rows.sort(
    (a, b) =>
      // A raised hand is someone waiting for the instructor: longest waiting first, above the stuck.
      (a.hand?.raisedAt ?? Infinity) - (b.hand?.raisedAt ?? Infinity) ||
      Number(b.stuck) - Number(a.stuck) ||
      (a.stuck ? (b.timeOnStepMs ?? 0) - (a.timeOnStepMs ?? 0) : 0) ||
      compare(a.name, b.name) ||
      compare(a.id, b.id),
  );
  return {
    className: safeText(snapshot.className, 64),
    generatedAt: options.now,
    stuckAfterMs: options.stuckAfterMs,
    learners: rows,
    lessons: lessonSummaries(snapshot.learners, rows, compare),
  };
}

/**
 * Twenty learners who all typed "alice" must still be twenty tellable rows: in the order they
 * joined, the first keeps the name and the others get " (2)", " (3)"…. Names compare as shown
 * (after cleaning and cutting), ignoring case, spacing, invisible characters and look-alike
 * letters (names.ts).
 */
function nameSuffixes(learners: LearnerRecord[]): Map<string, string> {
  const byJoin = [...learners].sort(byJoinTime);
  const seen = new Map<string, number>();
  const suffixes = new Map<string, string>();
  for (const learner of byJoin) {
    const key = nameSkeleton(learner.name, 40);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count > 1) suffixes.set(learner.id, ` (${count})`);
  }
  return suffixes;
}

const byJoinTime = (a: LearnerRecord, b: LearnerRecord) => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function joinOrder(learners: LearnerRecord[]): Map<string, number> {
  return new Map([...learners].sort(byJoinTime).map((learner, index) => [learner.id, index + 1]));
}

/**
 * The view for a projector: every name becomes "learner <seat>", the same for the session, so
 * the room sees where people are and who asked for help without seeing who.
 */
export function withoutNames(view: ClassView): ClassView {
  return { ...view, learners: view.learners.map((row) => ({ ...row, name: `learner ${row.seat}`, nameSuffix: '' })) };
}

/** A learner's name in `columns` terminal columns, cut before its " (2)" so rows stay tellable apart. */
export function fitName(row: Pick<LearnerRow, 'name' | 'nameSuffix'>, columns: number): string {
  if (stringWidth(row.name) <= columns) return row.name;
  const base = row.name.slice(0, row.name.length - row.nameSuffix.length);
  return `${fitColumns(base, Math.max(1, columns - stringWidth(row.nameSuffix)))}${row.nameSuffix}`;
}

function learnerRow({ id, name, state }: LearnerRecord, options: ClassViewOptions, nameSuffix: string, seat: number): LearnerRow {
  const step = state.step;
  const active = step?.state === 'active';
  const timeOnStepMs = step ? (active ? Math.max(0, options.now - step.startedAt) : step.durationMs) : undefined;
  const failuresToStuck = options.failuresToStuck ?? DEFAULT_FAILURES_TO_STUCK;

  let stuckReason: string | undefined;
  if (active && state.lastCheck && state.lastCheck.outcome !== 'passed' && state.sameCheckFailures >= failuresToStuck) {
    stuckReason = `check ${safeText(state.lastCheck.checkId, 40)} failed ${state.sameCheckFailures}× in a row`;
  } else if (active && timeOnStepMs !== undefined && timeOnStepMs >= options.stuckAfterMs) {
    stuckReason = `on this step for ${formatDuration(timeOnStepMs)}`;
  }

  return {
    id,
    seat,
    name: `${displayName(name, 40)}${nameSuffix}`,
    nameSuffix,
    lessonId: state.lesson && safeText(state.lesson.id, 64),
    lessonTitle: state.lesson && safeText(state.lesson.title, 80),
    stepId: step && safeText(step.id, 64),
    stepTitle: step && safeText(step.title, 80),
    stepState: step?.state,
    timeOnStepMs,
    hintsUsed: state.hintsOnStep,
    solutionShown: state.solutionShown,
    lastCheck: state.lastCheck && {
      checkId: safeText(state.lastCheck.checkId, 64),
      outcome: state.lastCheck.outcome,
      message: safeText(state.lastCheck.message, 200),
    },
    sameCheckFailures: state.sameCheckFailures,
    stuck: stuckReason !== undefined,
    stuckReason,
    lessonsPassed: Object.values(state.lessons).filter((o) => o === 'passed').length,
    caughtUpSteps: Object.values(state.finished ?? {}).filter((f) => f.status === 'caught-up').length,
    hand: state.hand && { raisedAt: state.hand.raisedAt, upMs: Math.max(0, options.now - state.hand.raisedAt) },
    events: state.events,
    lastSeenAt: state.lastSeenAt || undefined,
  };
}

function lessonSummaries(learners: LearnerRecord[], rows: LearnerRow[], compare: (a: string, b: string) => number): LessonSummary[] {
  const lessons = new Map<string, LessonSummary>();
  const lesson = (id: string, title?: string): LessonSummary => {
    let summary = lessons.get(id);
    if (!summary) {
      summary = { lessonId: safeText(id, 64), title: safeText(title ?? id, 80), finished: 0, total: learners.length, steps: [], results: [] };
      lessons.set(id, summary);
    }
    if (title && summary.title === summary.lessonId) summary.title = safeText(title, 80);
    return summary;
  };
  for (const { state } of learners) {
    for (const [id, outcome] of Object.entries(state.lessons)) {
      const summary = lesson(id);
      if (outcome === 'passed') summary.finished++;
    }
  }
  for (const row of rows) {
    if (!row.lessonId || !row.stepId) continue;
    const summary = lesson(row.lessonId, row.lessonTitle);
    let step = summary.steps.find((s) => s.stepId === row.stepId);
    if (!step) {
      step = { stepId: row.stepId, title: row.stepTitle ?? row.stepId, learners: 0, stuck: 0 };
      summary.steps.push(step);
    }
    step.learners++;
    if (row.stuck) step.stuck++;
  }
  const passTimes = new Map<StepResults, number[]>();
  for (const { state } of learners) {
    for (const end of Object.values(state.finished ?? {})) {
      const summary = lesson(end.lessonId);
      let results = summary.results.find((r) => r.stepId === end.stepId);
      if (!results) {
        results = { stepId: safeText(end.stepId, 64), title: safeText(end.title, 80), passed: 0, failed: 0, skipped: 0, caughtUp: 0 };
        summary.results.push(results);
        passTimes.set(results, []);
      }
      if (end.title !== end.stepId && results.title === results.stepId) results.title = safeText(end.title, 80);
      if (end.status === 'caught-up') results.caughtUp++;
      else results[end.status]++;
      if (end.status === 'passed') passTimes.get(results)!.push(end.durationMs);
    }
  }
  for (const [results, times] of passTimes) results.medianPassMs = median(times);
  for (const summary of lessons.values()) {
    summary.steps.sort((a, b) => compare(a.stepId, b.stepId));
    summary.results.sort((a, b) => compare(a.stepId, b.stepId));
  }
  return [...lessons.values()].sort((a, b) => compare(a.lessonId, b.lessonId));
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** "12/30 finished 02-deploy · on step: service 5 (2 stuck), ingress 3" */
export function describeLesson(summary: LessonSummary): string {
  const steps = summary.steps.filter((s) => s.learners > 0).map((s) => `${s.title} ${s.learners}${s.stuck > 0 ? ` (${s.stuck} stuck)` : ''}`);
  return `${summary.finished}/${summary.total} finished ${summary.title}${steps.length > 0 ? ` · now on: ${steps.join(', ')}` : ''}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function describeCheck(row: LearnerRow): string {
  if (!row.lastCheck) return '';
  const mark = row.lastCheck.outcome === 'passed' ? '✓' : row.lastCheck.outcome === 'error' ? '!' : '✗';
  return `${mark} ${row.lastCheck.message || row.lastCheck.checkId}`;
}

export function describePosition(row: LearnerRow): string {
  if (!row.stepId) return row.lessonTitle ?? '(not started)';
  const done = row.stepState && row.stepState !== 'active' ? ` [${row.stepState}]` : '';
  const caughtUp = row.caughtUpSteps > 0 ? ` (caught up ${row.caughtUpSteps} step${row.caughtUpSteps === 1 ? '' : 's'})` : '';
  return `${row.lessonTitle ?? row.lessonId} › ${row.stepTitle ?? row.stepId}${done}${caughtUp}`;
}

/** Plain text for `class status` without --json and for headless `class serve` logs. */
export function formatClassView(view: ClassView): string {
  const hands = view.learners.filter((l) => l.hand).length;
  const lines = [`Class ${view.className}: ${view.learners.length} learner(s), ${view.learners.filter((l) => l.stuck).length} stuck, ${hands} hand(s) up`];
  for (const summary of view.lessons) lines.push(`  ${describeLesson(summary)}`);
  for (const row of view.learners) {
    const time = row.timeOnStepMs === undefined ? '' : formatDuration(row.timeOnStepMs);
    const flag = `${row.hand ? `HAND UP ${formatDuration(row.hand.upMs)} ` : ''}${row.stuck ? `STUCK (${row.stuckReason}) ` : ''}`;
    lines.push(`  ${flag}${row.name} — ${describePosition(row)} ${time} · hints ${row.hintsUsed} ${describeCheck(row)}`.trimEnd());
  }
  return lines.join('\n');
}
