/**
 * The app's state and the one reducer that changes it. Pure: engine events and the controller's
 * decisions come in as actions, a new state goes out. No ink, no react, no I/O, no clock.
 */
import type { Progress } from '../engine/progress.js';
import { lessonState, stepProgress } from '../engine/progress.js';
import type { BlockOutcome, CheckResult, EngineEvent, Lesson, ProviderName, Step, StepStatus, Workshop } from '../engine/types.js';
import { isStepDone } from '../engine/types.js';
import type { KeyScope } from './keymap.js';
import { markdownBlocks, type MdBlock } from './markdown.js';
import { withClusterName } from '../engine/cluster-name.js';
import { outputRows } from './code-lines.js';

/** Lines of live output kept while a command runs; older ones are dropped (and counted). */
export const OUTPUT_RING = 200;
/** Lines of a finished command kept in the transcript (the output view, o, has the rest). */
export const TAIL_IN_TRANSCRIPT = 6;
/** Lines of each block of the current step kept for the output view; older ones are counted. */
export const FULL_OUTPUT_LIMIT = 10_000;

export type ClusterView =
  | { state: 'checking'; provider: ProviderName }
  | { state: 'reachable'; provider: ProviderName; name: string; context: string; detail: string }
  | { state: 'unreachable'; provider: ProviderName; name: string; context: string; detail: string; next: string }
  /** The API server answers but a part of the cluster is down (a dead controller manager). */
  | { state: 'unhealthy'; provider: ProviderName; name: string; context: string; detail: string; next: string }
  | { state: 'down'; provider: ProviderName; detail: string; next: string };

export interface OutputLine {
  /** 'command': the `$ command` a multi-command block is starting, between the outputs. */
  stream: 'stdout' | 'stderr' | 'command';
  text: string;
}

export interface LiveOutput {
  /** The newest lines, at most OUTPUT_RING. */
  lines: OutputLine[];
  /** Every line the running command printed, including those dropped. */
  total: number;
}

/** Everything one block of the current step printed, for the output view (bounded). */
export interface BlockOutput {
  code: string;
  lines: OutputLine[];
  /** Lines older than FULL_OUTPUT_LIMIT that were let go. */
  dropped: number;
}

export interface BlockView {
  index: number;
  code: string;
  expect: 'success' | 'fail';
  state: 'running' | BlockOutcome;
  exitCode?: number;
  durationMs?: number;
}

export interface CheckView {
  id: string;
  checker: string;
  done: boolean;
  result?: CheckResult;
  remainingMs?: number;
}

export type Task = 'commands' | 'checks' | 'reset';
export type Activity = { kind: 'idle' } | { kind: 'busy'; task: Task; stopping: boolean };

export interface ConfirmItem {
  /** What the lesson says the command does ("creates an EKS cluster, about $0.30/hour"). */
  reason: string;
  /** The command, when the learner may see it (a challenge's solution stays hidden). */
  code?: string;
}

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'confirm'; items: ConfirmItem[] }
  | { kind: 'provider'; cursor: number }
  /** The step's whole output; `top` is the first line shown, undefined follows the newest. */
  | { kind: 'output'; top?: number }
  /** The end of the workshop: what was done, and the cluster to delete. */
  | { kind: 'recap' };

export type Tone = 'info' | 'ok' | 'warn' | 'error';

interface Item<K extends string> {
  id: number;
  kind: K;
}

/** Finished output: written once above the live region (Ink's <Static>) and never redrawn. */
export type TranscriptItem =
  | (Item<'step'> & { heading: string; challenge: boolean; blocks: MdBlock[] })
  | (Item<'block'> & { code: string; expect: 'success' | 'fail'; outcome: BlockOutcome; exitCode?: number; durationMs: number; tail: OutputLine[]; dropped: number })
  | (Item<'checks'> & { checks: { id: string; result: CheckResult }[] })
  | (Item<'hint'> & { index: number; total: number; text: string })
  | (Item<'solution'> & { commands: string[] })
  | (Item<'note'> & { tone: Tone; text: string });

export type TranscriptEntry = TranscriptItem extends infer T ? (T extends TranscriptItem ? Omit<T, 'id'> : never) : never;

export interface StepOutcome {
  status: StepStatus | 'stopped';
  message?: string;
}

export interface AppState {
  workshop: Workshop;
  progress: Progress;
  screen: 'home' | 'step';
  homeCursor: number;
  /** What the learner typed to find a lesson on the home screen; undefined when not filtering. */
  homeFilter?: string;
  lessonIndex: number;
  stepIndex: number;
  overlay: Overlay;
  cluster: ClusterView;
  /** The app is building or starting the local cluster itself: its latest progress line. */
  clusterStart?: string;
  /** The kubeconfig lessons use, for commands the learner types in another terminal. */
  kubeconfig?: string;
  /** Providers the learner may pick (the workshop's). */
  providers: ProviderName[];
  /** Tools each provider needs that this machine lacks: the picker says so before the learner picks. */
  providerMissing: Partial<Record<ProviderName, string[]>>;
  /** The cluster's name when it is not the provider's usual one (--name): lesson commands name it. */
  clusterName?: string;
  /**
   * Bumped when the terminal's width changes: the transcript is drawn again at the new width, so
   * prose wraps between words instead of where the terminal cut the old lines.
   */
  transcriptEpoch: number;
  /** The lesson whose end was announced (n on its last step); the next n moves on. */
  lessonEndShown?: number;
  /** Running kubelab-created EKS clusters, one reminder line each. */
  eksReminders: string[];
  activity: Activity;
  output: LiveOutput;
  /** Every block's output in the current step, for the output view. */
  stepOutput: BlockOutput[];
  blocks: BlockView[];
  checks: CheckView[];
  outcome?: StepOutcome;
  transcript: TranscriptItem[];
  nextId: number;
  notice?: { tone: Tone; text: string };
  /** The first Ctrl-C while nothing runs arms this; the second quits. */
  interruptArmed: boolean;
  size: { columns: number; rows: number };
  classStatus?: string;
  color: boolean;
  quitting: boolean;
}

export type AppAction =
  | { type: 'engine'; event: Exclude<EngineEvent, { type: 'output' }> }
  | { type: 'output'; lines: OutputLine[]; total: number }
  | { type: 'open-step'; lessonIndex: number; stepIndex: number }
  | { type: 'show-home' }
  | { type: 'move-cursor'; delta: 1 | -1 }
  | { type: 'filter'; text?: string }
  | { type: 'overlay'; overlay: Overlay }
  | { type: 'busy'; task: Task }
  | { type: 'stopping' }
  | { type: 'finished'; outcome?: StepOutcome }
  | { type: 'progress'; progress: Progress }
  | { type: 'cluster'; cluster: ClusterView; kubeconfig?: string }
  | { type: 'cluster-start'; text?: string }
  | { type: 'eks-reminders'; lines: string[] }
  | { type: 'transcript'; entry: TranscriptEntry }
  | { type: 'notice'; notice?: { tone: Tone; text: string } }
  | { type: 'interrupt-armed'; armed: boolean }
  | { type: 'reset-step' }
  | { type: 'lesson-end-shown'; lessonIndex: number }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'class-status'; text?: string }
  | { type: 'scroll-output'; to: 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom' }
  | { type: 'quitting' };

export interface InitialStateOptions {
  workshop: Workshop;
  progress: Progress;
  provider: ProviderName;
  size: { columns: number; rows: number };
  color: boolean;
  notice?: { tone: Tone; text: string };
  providerMissing?: Partial<Record<ProviderName, string[]>>;
  clusterName?: string;
}

export function initialState(options: InitialStateOptions): AppState {
  const current = options.progress.current;
  const lessonIndex = Math.max(0, options.workshop.lessons.findIndex((l) => l.id === current?.lessonId));
  return {
    workshop: options.workshop,
    progress: options.progress,
    screen: 'home',
    homeCursor: lessonIndex,
    lessonIndex,
    stepIndex: 0,
    overlay: { kind: 'none' },
    cluster: { state: 'checking', provider: options.provider },
    providers: options.workshop.providers,
    providerMissing: options.providerMissing ?? {},
    ...(options.clusterName && { clusterName: options.clusterName }),
    transcriptEpoch: 0,
    eksReminders: [],
    activity: { kind: 'idle' },
    output: { lines: [], total: 0 },
    stepOutput: [],
    blocks: [],
    checks: [],
    transcript: [],
    nextId: 1,
    notice: options.notice,
    interruptArmed: false,
    size: options.size,
    color: options.color,
    quitting: false,
  };
}

// ── Selectors: what the screens and the controller read ──────────────────────────────────────

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

export function stepHeading(lesson: Lesson, lessonIndex: number, step: Step): string {
  return `Lesson ${lessonIndex + 1} · ${lesson.title} › Step ${step.index + 1}/${lesson.steps.length}: ${step.title}`;
}

// ── The reducer ──────────────────────────────────────────────────────────────────────────────

function append(s: AppState, entry: TranscriptEntry): AppState {
  return { ...s, transcript: [...s.transcript, { ...entry, id: s.nextId } as TranscriptItem], nextId: s.nextId + 1 };
}

function stepIntro(s: AppState): TranscriptEntry {
  const lesson = currentLesson(s);
  const step = currentStep(s);
  const hidden = step.challenge && !solutionShown(s, lesson, step);
  // The lesson's introduction (what it is about, the concepts) comes before its first step.
  const markdown = step.index === 0 && lesson.intro ? `${lesson.intro}\n\n${step.markdown}` : step.markdown;
  return { kind: 'step', heading: stepHeading(lesson, s.lessonIndex, step), challenge: step.challenge, blocks: markdownBlocks(withClusterName(markdown, s.clusterName), { hideCommands: hidden, provider: s.cluster.provider }) };
}

const PAST_STATUS: Record<string, { tone: Tone; text: string }> = {
  passed: { tone: 'ok', text: '✔ You passed this step' },
  skipped: { tone: 'info', text: '↷ You skipped this step' },
  'caught-up': { tone: 'info', text: '↻ Caught up: kubelab ran this step for you' },
  failed: { tone: 'warn', text: '✘ Last time this step did not pass' },
};

/** Coming back to a step already done: say so under its heading, or it reads as new. */
function pastStatus(s: AppState): TranscriptEntry | undefined {
  const recorded = stepProgress(s.progress, currentLesson(s).id, currentStep(s).id);
  const said = recorded && PAST_STATUS[recorded.status];
  if (!said) return undefined;
  const when = recorded.updatedAt ? ` (${recorded.updatedAt.slice(0, 16).replace('T', ' ')} UTC)` : '';
  return { kind: 'note', tone: said.tone, text: `${said.text}${when}. r runs it again, n moves on.` };
}

/** A block not run here, in the learner's words: no lesson-file line numbers or attribute names. */
export function learnerSkipText(reason: string): string {
  return reason.replace(/\s*\((norun|test=false|run=false)\)/g, '').replace(/^test=false: /, '');
}

const cleared = { output: { lines: [], total: 0 }, stepOutput: [], blocks: [], checks: [], outcome: undefined } satisfies Partial<AppState>;

/** Adds lines to the block that prints them (the newest), keeping at most FULL_OUTPUT_LIMIT. */
function keepOutput(blocks: BlockOutput[], lines: OutputLine[], total: number): BlockOutput[] {
  // Output before any block (a lesson's setup script) gets its own entry.
  const current = blocks.at(-1) ?? { code: '(setup)', lines: [], dropped: 0 };
  const all = current.lines.concat(lines);
  const over = Math.max(0, all.length - FULL_OUTPUT_LIMIT);
  // `total` may exceed the lines sent when the controller already let some go.
  const next = { ...current, lines: over ? all.slice(over) : all, dropped: current.dropped + over + (total - lines.length) };
  return blocks.length ? [...blocks.slice(0, -1), next] : [next];
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

function onEngine(s: AppState, event: Exclude<EngineEvent, { type: 'output' }>): AppState {
  switch (event.type) {
    case 'block-start':
      return { ...s, output: { lines: [], total: 0 }, stepOutput: [...s.stepOutput, { code: event.code, lines: [], dropped: 0 }], blocks: [...s.blocks.filter((b) => b.index !== event.blockIndex), { index: event.blockIndex, code: event.code, expect: event.expect, state: 'running' }] };
    case 'block-end': {
      const block = s.blocks.find((b) => b.index === event.blockIndex);
      const blocks = s.blocks.map((b) => (b.index === event.blockIndex ? { ...b, state: event.outcome, exitCode: event.exitCode, durationMs: event.durationMs } : b));
      const tail = s.output.lines.slice(-TAIL_IN_TRANSCRIPT);
      const next = append({ ...s, blocks, output: { lines: [], total: 0 } }, {
        kind: 'block',
        code: block?.code ?? '',
        expect: block?.expect ?? 'success',
        outcome: event.outcome,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
        tail,
        dropped: s.output.total - tail.length,
      });
      return next;
    }
    case 'block-skipped':
      // Shown where the block would have run, with why: a block is never silently left out.
      return append(s, { kind: 'note', tone: 'warn', text: `Not run by kubelab: ${learnerSkipText(event.reason)} — $ ${withClusterName(event.code, s.clusterName).split('\n')[0]}` });
    case 'command-start':
      return { ...s, output: { lines: [...s.output.lines, { stream: 'command' as const, text: `$ ${event.code}` }].slice(-OUTPUT_RING), total: s.output.total + 1 }, stepOutput: keepOutput(s.stepOutput, [{ stream: 'command', text: `$ ${event.code}` }], 1) };
    case 'check-start':
      return { ...s, checks: [...s.checks.filter((c) => c.id !== event.checkId), { id: event.checkId, checker: event.checker, done: false }] };
    case 'check-progress':
      return { ...s, checks: s.checks.map((c) => (c.id === event.checkId ? { ...c, result: event.result, remainingMs: event.remainingMs } : c)) };
    case 'check-end':
      return { ...s, checks: s.checks.map((c) => (c.id === event.checkId ? { ...c, result: event.result, remainingMs: undefined, done: true } : c)) };
    default:
      return s;
  }
}

export function reduce(s: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'engine':
      return onEngine(s, action.event);
    case 'output': {
      const lines = s.output.lines.concat(action.lines.slice(-OUTPUT_RING)).slice(-OUTPUT_RING);
      return { ...s, output: { lines, total: s.output.total + action.total }, stepOutput: keepOutput(s.stepOutput, action.lines, action.total) };
    }
    case 'open-step': {
      const lesson = s.workshop.lessons[action.lessonIndex];
      if (!lesson || !lesson.steps[action.stepIndex]) return s;
      // Opening a lesson whose groundwork is not done: say which lessons it builds on, don't block.
      const missing = action.stepIndex === 0
        ? lesson.requires.map((id) => s.workshop.lessons.find((l) => l.id === id)).filter((l) => l && lessonState(s.progress, l.id, l.steps.map((st) => st.id)) !== 'done')
        : [];
      const notice = missing.length ? { tone: 'warn' as const, text: `This lesson builds on ${missing.map((l) => `"${l!.title}"`).join(', ')}, not done yet.` } : undefined;
      const moved: AppState = { ...s, ...cleared, screen: 'step', overlay: { kind: 'none' }, lessonIndex: action.lessonIndex, stepIndex: action.stepIndex, homeCursor: action.lessonIndex, notice, lessonEndShown: undefined };
      const past = pastStatus(moved);
      const opened = append(moved, stepIntro(moved));
      return past ? append(opened, past) : opened;
    }
    case 'show-home':
      return { ...s, screen: 'home', overlay: { kind: 'none' }, homeCursor: s.lessonIndex, notice: undefined };
    case 'move-cursor': {
      if (s.overlay.kind === 'provider') {
        const cursor = (s.overlay.cursor + action.delta + s.providers.length) % s.providers.length;
        return { ...s, overlay: { kind: 'provider', cursor } };
      }
      const count = s.workshop.lessons.length;
      if (s.homeFilter === undefined) return { ...s, homeCursor: (s.homeCursor + action.delta + count) % count };
      const matching = matchingLessons(s);
      if (!matching.length) return s;
      const at = matching.indexOf(s.homeCursor);
      return { ...s, homeCursor: matching[(Math.max(0, at) + (at < 0 ? 0 : action.delta) + matching.length) % matching.length] };
    }
    case 'filter': {
      const filtered: AppState = { ...s, homeFilter: action.text };
      // The cursor stays on a lesson the filter shows: the first match when it was left out.
      const matching = matchingLessons(filtered);
      return matching.includes(s.homeCursor) || !matching.length ? filtered : { ...filtered, homeCursor: matching[0] };
    }
    case 'overlay':
      return { ...s, overlay: action.overlay };
    case 'busy':
      // Checking again keeps the output of the commands that ran: the output view still shows it.
      return { ...s, ...(action.task === 'commands' ? cleared : action.task === 'checks' ? { ...cleared, stepOutput: s.stepOutput } : {}), activity: { kind: 'busy', task: action.task, stopping: false }, notice: undefined, interruptArmed: false };
    case 'stopping':
      return s.activity.kind === 'busy' ? { ...s, activity: { ...s.activity, stopping: true } } : s;
    case 'finished': {
      const done = s.checks.filter((c) => c.done && c.result);
      let next: AppState = { ...s, activity: { kind: 'idle' }, outcome: action.outcome, checks: [] };
      // Finished checks move into the transcript: they will not change any more.
      if (done.length) next = append(next, { kind: 'checks', checks: done.map((c) => ({ id: c.id, result: c.result! })) });
      return next;
    }
    case 'progress':
      return { ...s, progress: action.progress };
    case 'cluster':
      return { ...s, cluster: action.cluster, kubeconfig: action.kubeconfig ?? (action.cluster.state === 'checking' ? s.kubeconfig : undefined) };
    case 'cluster-start':
      return { ...s, clusterStart: action.text };
    case 'eks-reminders':
      return { ...s, eksReminders: action.lines };
    case 'transcript':
      return append(s, action.entry);
    case 'notice':
      return { ...s, notice: action.notice };
    case 'interrupt-armed':
      return { ...s, interruptArmed: action.armed, notice: action.armed ? { tone: 'warn', text: 'Press Ctrl-C again (or q) to quit. Your progress is saved.' } : s.interruptArmed ? undefined : s.notice };
    case 'reset-step': {
      const reset: AppState = { ...s, ...cleared, notice: { tone: 'info', text: 'Step reset: results and hints cleared.' } };
      return append(reset, stepIntro(reset));
    }
    case 'resize':
      return { ...s, size: { columns: action.columns, rows: action.rows }, transcriptEpoch: s.transcriptEpoch + (action.columns !== s.size.columns ? 1 : 0) };
    case 'lesson-end-shown':
      return { ...s, lessonEndShown: action.lessonIndex };
    case 'class-status':
      return { ...s, classStatus: action.text };
    case 'scroll-output': {
      if (s.overlay.kind !== 'output') return s;
      const height = outputViewHeight(s);
      const last = Math.max(0, outputViewLines(s).length - height);
      const top = s.overlay.top ?? last;
      const step = { up: -1, down: 1, 'page-up': -height, 'page-down': height, top: -Infinity, bottom: Infinity }[action.to];
      const next = Math.min(last, Math.max(0, top + step));
      // Back at the bottom: follow new lines again.
      return { ...s, overlay: { kind: 'output', top: next >= last ? undefined : next } };
    }
    case 'quitting':
      return { ...s, quitting: true, overlay: { kind: 'none' } };
  }
}

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
