/**
 * The app's state and the one reducer that changes it. Pure: engine events and the controller's
 * decisions come in as actions, a new state goes out. No ink, no react, no I/O, no clock.
 * What the screens read of it is in selectors.ts.
 */
import type { Progress } from '../engine/running/progress.js';
import { lessonState, stepProgress } from '../engine/running/progress.js';
import type { BlockOutcome, CheckResult, EngineEvent, ProviderName, StepStatus, Workshop } from '../engine/types.js';
import { renderBlocks, type MdBlock } from './markdown.js';
import { mapSegmentText } from '../engine/loading/render.js';
import { targetOf } from '../engine/plan.js';
import { blockShown, renderOf } from '../engine/standard-plan.js';
import { withClusterName } from '../engine/running/cluster-name.js';
import { createTranslator, type Language, type Translator } from '../engine/i18n/translate.js';
import { workshopIn } from '../engine/i18n/lesson-translation.js';
import { learnerWords } from './learner-words.js';
import { currentLesson, currentStep, matchingLessons, outputViewHeight, outputViewLines, solutionShown, stepHeading } from './selectors.js';

// Screens and tests read the state through this module too: the selectors keep this address.
export {
  currentLesson,
  currentStep,
  entryStep,
  hintsRevealed,
  isBusy,
  lessonRows,
  matchingLessons,
  outputViewHeight,
  outputViewLines,
  resumePoint,
  scopeOf,
  solutionShown,
  stepHeading,
  workshopDone,
  workshopRecap,
  type LessonRow,
  type WorkshopRecap,
} from './selectors.js';

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
  /** The workshop as the learner reads it: lessons in their language where translated. */
  workshop: Workshop;
  /** The workshop as written, which every language switch starts from. */
  sourceWorkshop: Workshop;
  language: Language;
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
  | { type: 'quitting' }
  | { type: 'language'; language: Language };

export interface InitialStateOptions {
  workshop: Workshop;
  progress: Progress;
  provider: ProviderName;
  size: { columns: number; rows: number };
  color: boolean;
  notice?: { tone: Tone; text: string };
  providerMissing?: Partial<Record<ProviderName, string[]>>;
  clusterName?: string;
  language?: Language;
}

export function initialState(options: InitialStateOptions): AppState {
  const current = options.progress.current;
  const lessonIndex = Math.max(0, options.workshop.lessons.findIndex((l) => l.id === current?.lessonId));
  return {
    workshop: workshopIn(options.workshop, options.language ?? 'en'),
    sourceWorkshop: options.workshop,
    language: options.language ?? 'en',
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

/** Texts in the learner's language, for the reducer and the controller (components use the context). */
export const textFor = (s: Pick<AppState, 'language'>): Translator => createTranslator(s.language);

// ── The reducer ──────────────────────────────────────────────────────────────────────────────

function append(s: AppState, entry: TranscriptEntry): AppState {
  return { ...s, transcript: [...s.transcript, { ...entry, id: s.nextId } as TranscriptItem], nextId: s.nextId + 1 };
}

function stepIntro(s: AppState): TranscriptEntry {
  const lesson = currentLesson(s);
  const step = currentStep(s);
  const hidden = step.challenge && !solutionShown(s, lesson, step);
  // The lesson's introduction (what it is about, the concepts) comes before its first step.
  const intro = step.index === 0 ? (lesson.render ?? (lesson.intro ? [{ kind: 'prose' as const, markdown: lesson.intro }] : [])) : [];
  const segments = mapSegmentText([...intro, ...renderOf(step)], (text) => withClusterName(text, s.clusterName));
  const target = targetOf(s.cluster.provider);
  return { kind: 'step', heading: stepHeading(lesson, s.lessonIndex, step, textFor(s)), challenge: step.challenge, blocks: renderBlocks(segments, { hideCommands: hidden, shown: (i) => blockShown(step, i, target) }) };
}

const PAST_STATUS: Record<string, { tone: Tone; key: 'past.passed' | 'past.skipped' | 'past.caught-up' | 'past.failed' }> = {
  passed: { tone: 'ok', key: 'past.passed' },
  skipped: { tone: 'info', key: 'past.skipped' },
  'caught-up': { tone: 'info', key: 'past.caught-up' },
  failed: { tone: 'warn', key: 'past.failed' },
};

/** Coming back to a step already done: say so under its heading, or it reads as new. */
function pastStatus(s: AppState): TranscriptEntry | undefined {
  const recorded = stepProgress(s.progress, currentLesson(s).id, currentStep(s).id);
  const said = recorded && PAST_STATUS[recorded.status];
  if (!said) return undefined;
  const when = recorded.updatedAt ? ` (${recorded.updatedAt.slice(0, 16).replace('T', ' ')} UTC)` : '';
  const t = textFor(s);
  return { kind: 'note', tone: said.tone, text: t.t('past.again', { status: t.t(said.key), when }) };
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
      return append(s, { kind: 'note', tone: 'warn', text: textFor(s).t('note.notRunHere', { reason: learnerWords(learnerSkipText(event.reason), textFor(s)), command: withClusterName(event.code, s.clusterName).split('\n')[0] }) });
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
      const t = textFor(s);
      const buildsOn = missing.length ? { tone: 'warn' as const, text: t.t('notice.buildsOn', { lessons: missing.map((l) => `"${l!.title}"`).join(', ') }) } : undefined;
      // A lesson not translated into the learner's language says so once, as it opens.
      const notice = buildsOn ?? (lesson.untranslated && action.stepIndex === 0 ? { tone: 'info' as const, text: t.t('language.untranslated') } : undefined);
      const moved: AppState = { ...s, ...cleared, screen: 'step', overlay: { kind: 'none' }, lessonIndex: action.lessonIndex, stepIndex: action.stepIndex, homeCursor: action.lessonIndex, notice, lessonEndShown: undefined };
      const past = pastStatus(moved);
      const opened = append(moved, stepIntro(moved));
      return past ? append(opened, past) : opened;
    }
    case 'language':
      // Same lessons and steps (ids are shared across languages), their text in the new language.
      return { ...s, language: action.language, workshop: workshopIn(s.sourceWorkshop, action.language), notice: undefined };
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
      return { ...s, interruptArmed: action.armed, notice: action.armed ? { tone: 'warn', text: textFor(s).t('notice.interruptArmed') } : s.interruptArmed ? undefined : s.notice };
    case 'reset-step': {
      const reset: AppState = { ...s, ...cleared, notice: { tone: 'info', text: textFor(s).t('notice.stepReset') } };
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
