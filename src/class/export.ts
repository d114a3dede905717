/**
 * The session's record, for after the workshop: who came, how far each got, how long each step
 * took them, which checks failed most, what help they used. Computed from the stored event log
 * (not the live state, which keeps only where each learner is now). Pure: the store is read by the
 * caller, the clock is an argument.
 */
import { buildClassView, median } from './class-view.js';
import { safeText } from './safe-text.js';
import type { LearnerLog } from './store.js';

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'caught-up' | 'in progress';

export interface LearnerSummary {
  seat: number;
  name: string;
  joinedAt: string;
  lessonsPassed: number;
  stepsReached: number;
  stepsPassed: number;
  stepsFailed: number;
  stepsSkipped: number;
  /** Steps jumped over with `kubelab catch-up`, not done by the learner. */
  stepsCaughtUp: number;
  hintsUsed: number;
  solutionsShown: number;
  handsRaised: number;
  checksFailed: number;
  /** `lesson/step` the learner was last on. */
  lastStep?: string;
}

export interface LearnerStep {
  seat: number;
  name: string;
  lessonId: string;
  stepId: string;
  title: string;
  status: StepStatus;
  startedAt?: string;
  /** The engine's time on the step when it ended. */
  seconds?: number;
  checksFailed: number;
  hints: number;
  solutionShown: boolean;
}

export interface StepSummary {
  lessonId: string;
  stepId: string;
  title: string;
  reached: number;
  passed: number;
  failed: number;
  skipped: number;
  caughtUp: number;
  medianPassSeconds?: number;
}

export interface FailedCheck {
  lessonId: string;
  stepId: string;
  checkId: string;
  failures: number;
  learners: number;
  lastMessage: string;
}

export interface SessionRecord {
  className: string;
  openedAt: string;
  exportedAt: string;
  learners: LearnerSummary[];
  steps: StepSummary[];
  learnerSteps: LearnerStep[];
  /** Most failures first. */
  checksFailedMost: FailedCheck[];
}

export function buildSessionRecord(className: string, logs: LearnerLog[], options: { now: number; openedAt: number }): SessionRecord {
  // Names as the instructor saw them: cleaned, cut, and numbered when repeated.
  const view = buildClassView({ className, learners: logs.map((l) => l.learner) }, { now: options.now, stuckAfterMs: Infinity });
  const shown = new Map(view.learners.map((row) => [row.id, row]));
  const { compare } = new Intl.Collator(undefined, { numeric: true });

  const learners: LearnerSummary[] = [];
  const learnerSteps: LearnerStep[] = [];
  const checks = new Map<string, FailedCheck & { who: Set<string> }>();
  for (const { learner, events } of logs) {
    const { seat, name } = shown.get(learner.id)!;
    const steps = new Map<string, LearnerStep>();
    const step = (lessonId: string, stepId: string): LearnerStep => {
      const key = `${lessonId}/${stepId}`;
      let entry = steps.get(key);
      if (!entry) {
        entry = { seat, name, lessonId: safeText(lessonId, 128), stepId: safeText(stepId, 128), title: safeText(stepId, 120), status: 'in progress', checksFailed: 0, hints: 0, solutionShown: false };
        steps.set(key, entry);
      }
      return entry;
    };
    let handsRaised = 0;
    let lastStep: string | undefined;
    // The learner's own order (a queue sent late arrives after newer events).
    const ordered = [...events].sort((a, b) => a.event.at - b.event.at);
    for (const { event, at } of ordered) {
      switch (event.type) {
        case 'step-started': {
          const entry = step(event.lessonId, event.stepId);
          entry.title = safeText(event.title, 120);
          entry.startedAt ??= new Date(at).toISOString();
          lastStep = `${entry.lessonId}/${entry.stepId}`;
          break;
        }
        case 'step-finished': {
          const entry = step(event.lessonId, event.stepId);
          entry.status = event.status;
          entry.seconds = Math.round(event.durationMs / 100) / 10;
          break;
        }
        case 'check': {
          if (event.outcome === 'passed') break;
          step(event.lessonId, event.stepId).checksFailed++;
          const key = JSON.stringify([event.lessonId, event.stepId, event.checkId]);
          let tally = checks.get(key);
          if (!tally) {
            tally = { lessonId: safeText(event.lessonId, 128), stepId: safeText(event.stepId, 128), checkId: safeText(event.checkId, 128), failures: 0, learners: 0, lastMessage: '', who: new Set() };
            checks.set(key, tally);
          }
          tally.failures++;
          tally.who.add(learner.id);
          tally.lastMessage = safeText(event.message, 200);
          break;
        }
        case 'hint-revealed': {
          const entry = step(event.lessonId, event.stepId);
          entry.hints = Math.max(entry.hints, event.index + 1);
          break;
        }
        case 'solution-shown':
          step(event.lessonId, event.stepId).solutionShown = true;
          break;
        case 'hand-raised':
          handsRaised++;
          break;
        default:
          break;
      }
    }
    const mine = [...steps.values()];
    const count = (status: StepStatus) => mine.filter((s) => s.status === status).length;
    learners.push({
      seat,
      name,
      joinedAt: new Date(learner.joinedAt).toISOString(),
      lessonsPassed: Object.values(learner.state.lessons).filter((o) => o === 'passed').length,
      stepsReached: mine.length,
      stepsPassed: count('passed'),
      stepsFailed: count('failed'),
      stepsSkipped: count('skipped'),
      stepsCaughtUp: count('caught-up'),
      hintsUsed: mine.reduce((sum, s) => sum + s.hints, 0),
      solutionsShown: mine.filter((s) => s.solutionShown).length,
      handsRaised,
      checksFailed: mine.reduce((sum, s) => sum + s.checksFailed, 0),
      lastStep,
    });
    learnerSteps.push(...mine);
  }
  // A step caught up over was never started by that learner: its title comes from those who did.
  const titles = new Map(learnerSteps.filter((s) => s.title !== s.stepId).map((s) => [`${s.lessonId}/${s.stepId}`, s.title]));
  for (const s of learnerSteps) s.title = titles.get(`${s.lessonId}/${s.stepId}`) ?? s.title;
  learners.sort((a, b) => a.seat - b.seat);
  learnerSteps.sort((a, b) => a.seat - b.seat || compare(a.lessonId, b.lessonId) || compare(a.stepId, b.stepId));

  return {
    className: view.className,
    openedAt: new Date(options.openedAt).toISOString(),
    exportedAt: new Date(options.now).toISOString(),
    learners,
    steps: summariseSteps(learnerSteps, compare),
    learnerSteps,
    checksFailedMost: [...checks.values()]
      .map(({ who, ...tally }) => ({ ...tally, learners: who.size }))
      .sort((a, b) => b.failures - a.failures || b.learners - a.learners || compare(a.checkId, b.checkId)),
  };
}

function summariseSteps(learnerSteps: LearnerStep[], compare: (a: string, b: string) => number): StepSummary[] {
  const steps = new Map<string, StepSummary & { times: number[] }>();
  for (const s of learnerSteps) {
    const key = JSON.stringify([s.lessonId, s.stepId]);
    let summary = steps.get(key);
    if (!summary) {
      summary = { lessonId: s.lessonId, stepId: s.stepId, title: s.title, reached: 0, passed: 0, failed: 0, skipped: 0, caughtUp: 0, times: [] };
      steps.set(key, summary);
    }
    if (summary.title === summary.stepId) summary.title = s.title;
    summary.reached++;
    if (s.status === 'caught-up') summary.caughtUp++;
    else if (s.status !== 'in progress') summary[s.status]++;
    if (s.status === 'passed' && s.seconds !== undefined) summary.times.push(Math.round(s.seconds * 1000));
  }
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);
  return [...steps.values()]
    .map(({ times, ...summary }) => ({ ...summary, medianPassSeconds: seconds(median(times)) }))
    .sort((a, b) => compare(a.lessonId, b.lessonId) || compare(a.stepId, b.stepId));
}

/** The record's three tables as CSV files (name → content); the JSON holds all of it. */
export function sessionCsvFiles(record: SessionRecord): Record<'learners.csv' | 'steps.csv' | 'checks.csv', string> {
  return {
    'learners.csv': toCsv(
      ['seat', 'name', 'joined_at', 'lessons_passed', 'steps_reached', 'steps_passed', 'steps_failed', 'steps_skipped', 'steps_caught_up', 'hints_used', 'solutions_shown', 'hands_raised', 'checks_failed', 'last_step'],
      record.learners.map((l) => [l.seat, l.name, l.joinedAt, l.lessonsPassed, l.stepsReached, l.stepsPassed, l.stepsFailed, l.stepsSkipped, l.stepsCaughtUp, l.hintsUsed, l.solutionsShown, l.handsRaised, l.checksFailed, l.lastStep]),
    ),
    'steps.csv': toCsv(
      ['seat', 'name', 'lesson', 'step', 'title', 'status', 'started_at', 'seconds', 'checks_failed', 'hints', 'solution_shown'],
      record.learnerSteps.map((s) => [s.seat, s.name, s.lessonId, s.stepId, s.title, s.status, s.startedAt, s.seconds, s.checksFailed, s.hints, s.solutionShown]),
    ),
    'checks.csv': toCsv(
      ['lesson', 'step', 'check', 'failures', 'learners', 'last_message'],
      record.checksFailedMost.map((c) => [c.lessonId, c.stepId, c.checkId, c.failures, c.learners, c.lastMessage]),
    ),
  };
}

type Cell = string | number | boolean | undefined;

/** RFC 4180, plus a guard against formula injection: a learner named "=HYPERLINK(…)" stays text in a spreadsheet. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const cell = (value: Cell): string => {
    if (value === undefined) return '';
    if (typeof value !== 'string') return String(value);
    const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
