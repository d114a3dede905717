/**
 * Turns the learner's intents into engine calls and the engine's events into actions. The only
 * place in the app that runs commands, checks, saves progress or aborts; components never do.
 * Here: the keys (what each intent does, the one busy guard, moving between steps, quitting).
 * Beside it, one job each: the store (store.ts), the cluster and its session (cluster-tracker.ts),
 * what is done to a step (step-actions.ts, with output-batcher.ts), progress saves (progress-keeper.ts).
 * No ink or react here, so it is tested with a fake step runner and a plain store.
 */
import { ExitCode } from '../errors.js';
import type { Progress } from '../engine/running/progress.js';
import { isStepDone, type ProviderName } from '../engine/types.js';
import type { Intent } from './keymap.js';
import { currentLesson, currentStep, entryStep, isBusy, resumePoint } from './selectors.js';
import { nextLanguage } from '../engine/i18n/language.js';
import type { MessageKey, MessageParams } from '../engine/i18n/translate.js';
import { textFor } from './state.js';
import type { AppAction, AppState, Tone } from './state.js';
import { ClusterTracker, type ClusterTrackerDeps } from './cluster-tracker.js';
import { ProgressKeeper, type ProgressFile } from './progress-keeper.js';
import { StepActions, type StepActionsDeps } from './step-actions.js';

// The controller's public face stays whole: App.tsx, run.ts and the tests import these from here.
export { createStore, type Store } from './store.js';
export type { Connected, StepRunner } from './cluster-tracker.js';
export { startingNotice, type CatchUpRunner } from './step-actions.js';

export interface ControllerDeps extends ClusterTrackerDeps, ProgressFile, StepActionsDeps {
  /** The progress of another provider's cluster, when the learner picks that provider. */
  progressFor?(provider: ProviderName): Promise<Progress>;
  /** Raises or lowers the learner's hand in their class: the new state, undefined when not in a class. */
  toggleHand?(): boolean | undefined;
  /** Called once, when the app should end, with the exit code. */
  exit(code: number): void;
}

const STOP_WAIT_MS = 5000;

/** The one answer while a command runs, whatever was pressed (its text in the learner's language). */
export const BUSY_NOTICE: MessageKey = 'notice.busyWait';

/**
 * What waits while a command runs: each would start another, or take the learner away from the
 * step it runs in. Everything else (hints, the output view, help, Ctrl-C) works meanwhile.
 */
const WAITS_FOR_COMMAND: ReadonlySet<Intent> = new Set<Intent>(['run', 'check', 'catch-up', 'confirm-yes', 'skip', 'reset-step', 'previous-step', 'next-step', 'lessons']);

export class AppController {
  private readonly cluster: ClusterTracker;
  private readonly progress: ProgressKeeper;
  private readonly steps: StepActions;
  /** Once the learner pressed a key, the app no longer moves on its own (no late auto-resume). */
  private touched = false;
  private ended = false;

  constructor(private readonly deps: ControllerDeps) {
    const notice = (tone: Tone, text: string) => this.notice(tone, text);
    this.progress = new ProgressKeeper(deps.store, deps, (message) => notice('error', message));
    this.cluster = new ClusterTracker(deps, { onEngineEvent: (e) => this.steps.onEngineEvent(e), beforeLook: () => this.progress.reload() });
    this.steps = new StepActions(deps, { cluster: this.cluster, progress: this.progress, notice });
  }

  private get state(): AppState {
    return this.deps.store.getState();
  }

  private dispatch(action: AppAction): void {
    this.deps.store.dispatch(action);
  }

  /**
   * After the first frame: open where the learner left off (unless they already pressed a key:
   * the app must not jump away from what they are doing), then find the cluster and keep watching it.
   */
  async start(): Promise<void> {
    const resume = resumePoint(this.state);
    if (resume && !this.touched && this.state.screen === 'home') this.dispatch({ type: 'open-step', ...resume });
    await this.cluster.connect(this.state.cluster.provider);
    this.cluster.watch();
  }

  connect(provider: ProviderName): Promise<void> {
    return this.cluster.connect(provider);
  }

  /** A key typed while finding a lesson: a character to add, or 'erase' for the last one. */
  filterTyped(input: string | 'erase'): void {
    const text = this.state.homeFilter ?? '';
    this.dispatch({ type: 'filter', text: input === 'erase' ? text.slice(0, -1) : text + input });
  }

  resized(columns: number, rows: number): void {
    this.dispatch({ type: 'resize', columns, rows });
  }

  /** Every key the learner presses ends here, already translated by the keymap. */
  handle(intent: Intent): void {
    if (this.state.quitting) return;
    this.touched = true;
    if (intent !== 'interrupt' && this.state.interruptArmed) this.dispatch({ type: 'interrupt-armed', armed: false });
    if (this.waitsForCommand(intent)) return;
    const overlay = this.state.overlay;
    switch (intent) {
      case 'interrupt':
        return this.interrupt();
      case 'quit':
        return void this.quit(ExitCode.ok);
      case 'help':
        return this.dispatch({ type: 'overlay', overlay: { kind: 'help' } });
      case 'close':
        if (overlay.kind === 'recap') return this.dispatch({ type: 'show-home' });
        return this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
      case 'output':
        if (this.state.stepOutput.length === 0) return this.notice('info', this.t('notice.noOutput'));
        return this.dispatch({ type: 'overlay', overlay: { kind: 'output' } });
      case 'scroll-up':
        return this.dispatch({ type: 'scroll-output', to: 'up' });
      case 'scroll-down':
        return this.dispatch({ type: 'scroll-output', to: 'down' });
      case 'page-up':
        return this.dispatch({ type: 'scroll-output', to: 'page-up' });
      case 'page-down':
        return this.dispatch({ type: 'scroll-output', to: 'page-down' });
      case 'scroll-top':
        return this.dispatch({ type: 'scroll-output', to: 'top' });
      case 'scroll-bottom':
        return this.dispatch({ type: 'scroll-output', to: 'bottom' });
      case 'filter':
        return this.dispatch({ type: 'filter', text: '' });
      case 'filter-close':
        return this.dispatch({ type: 'filter', text: undefined });
      case 'cursor-up':
        return this.dispatch({ type: 'move-cursor', delta: -1 });
      case 'cursor-down':
        return this.dispatch({ type: 'move-cursor', delta: 1 });
      case 'open':
        if (overlay.kind === 'provider') return void this.pickProvider(this.state.providers[overlay.cursor]);
        return this.openLesson(this.state.homeCursor);
      case 'pick-provider': {
        const cursor = Math.max(0, this.state.providers.indexOf(this.state.cluster.provider));
        return this.dispatch({ type: 'overlay', overlay: { kind: 'provider', cursor } });
      }
      case 'confirm-yes':
        this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
        return void this.steps.run(true);
      case 'confirm-no':
        this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
        return this.notice('info', this.t('notice.notRun'));
      case 'run':
        return void this.steps.run(false);
      case 'check':
        return void this.steps.check();
      case 'hint':
        return this.steps.revealHint();
      case 'solution':
        return this.steps.showSolution();
      case 'skip':
        this.steps.skip();
        return this.move(1);
      case 'reset-step':
        return void this.steps.reset();
      case 'catch-up':
        return void this.steps.catchUp();
      case 'bundle':
        return void this.steps.bundle();
      case 'previous-step':
        return this.move(-1);
      case 'next-step':
        return void this.next();
      case 'raise-hand':
        return this.toggleHand();
      case 'switch-language':
        return this.switchLanguage();
      case 'lessons':
        return this.dispatch({ type: 'show-home' });
    }
  }

  /**
   * The busy guard, the only one: while a command runs, an intent that would start another or
   * leave its step is answered with BUSY_NOTICE (and a picker it came from is closed) instead.
   */
  private waitsForCommand(intent: Intent): boolean {
    if (!isBusy(this.state)) return false;
    const picking = intent === 'open' && this.state.overlay.kind === 'provider';
    if (!picking && !WAITS_FOR_COMMAND.has(intent)) return false;
    if (this.state.overlay.kind !== 'none') this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
    this.notice('warn', this.t(BUSY_NOTICE));
    return true;
  }

  private toggleHand(): void {
    const raised = this.deps.toggleHand?.();
    if (raised === undefined) return this.notice('info', this.t('notice.handNoClass'));
    this.notice(raised ? 'ok' : 'info', this.t(raised ? 'notice.handRaised' : 'notice.handLowered'));
  }

  /** A text in the learner's language (the one the state holds now). */
  private t(key: MessageKey, params?: MessageParams): string {
    return textFor(this.state).t(key, params);
  }

  /** The other language: the same lessons and steps, their text and the app's in it; remembered with progress. */
  private switchLanguage(): void {
    const language = nextLanguage(this.state.language);
    this.dispatch({ type: 'language', language });
    this.progress.set({ ...this.state.progress, language });
    // The step on screen is shown again, in the new language, below what was already printed.
    if (this.state.screen === 'step' && !isBusy(this.state)) this.dispatch({ type: 'open-step', lessonIndex: this.state.lessonIndex, stepIndex: this.state.stepIndex });
    this.notice('info', this.t('language.switched'));
  }

  private notice(tone: Tone, text: string): void {
    this.dispatch({ type: 'notice', notice: { tone, text } });
  }

  private interrupt(): void {
    if (this.state.overlay.kind !== 'none') {
      this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
    }
    if (this.steps.stop()) {
      this.dispatch({ type: 'stopping' });
      this.dispatch({ type: 'interrupt-armed', armed: true });
      return;
    }
    if (this.state.interruptArmed) return void this.quit(ExitCode.interrupted);
    this.dispatch({ type: 'interrupt-armed', armed: true });
  }

  private openLesson(lessonIndex: number): void {
    this.goTo(lessonIndex, entryStep(this.state, lessonIndex));
  }

  /**
   * Opens a step. Looking is not working: where the learner resumes moves only when they do
   * something in a step (run, check, hint, skip), so a look at lesson 1 does not lose lesson 3.
   */
  private goTo(lessonIndex: number, stepIndex: number): void {
    this.dispatch({ type: 'open-step', lessonIndex, stepIndex });
  }

  private move(delta: 1 | -1): void {
    const lessons = this.state.workshop.lessons;
    let { lessonIndex, stepIndex } = this.state;
    // Moving on from a finished step is progress: resume there next time. Going back, or looking, is not.
    const finished = delta === 1 && isStepDone(this.state.progress.steps[currentLesson(this.state).id]?.[currentStep(this.state).id]?.status);
    stepIndex += delta;
    if (stepIndex >= lessons[lessonIndex].steps.length) {
      if (lessonIndex + 1 >= lessons.length) {
        // The end: what was done, and the cluster that is still running (and may cost money).
        return this.dispatch({ type: 'overlay', overlay: { kind: 'recap' } });
      }
      // The end of a lesson is said once before the next begins: the learner sees they finished it.
      if (this.state.lessonEndShown !== lessonIndex) return this.announceLessonEnd(lessonIndex);
      lessonIndex++;
      stepIndex = 0;
    } else if (stepIndex < 0) {
      if (lessonIndex === 0) return this.notice('info', this.t('notice.firstStep'));
      lessonIndex--;
      stepIndex = lessons[lessonIndex].steps.length - 1;
    }
    this.goTo(lessonIndex, stepIndex);
    if (finished) this.progress.set({ ...this.state.progress, current: { lessonId: currentLesson(this.state).id, stepId: currentStep(this.state).id } });
  }

  private announceLessonEnd(lessonIndex: number): void {
    const lessons = this.state.workshop.lessons;
    const lesson = lessons[lessonIndex];
    const next = lessons[lessonIndex + 1];
    const steps = this.state.progress.steps[lesson.id] ?? {};
    const open = lesson.steps.filter((st) => !isStepDone(steps[st.id]?.status));
    const about = { number: lessonIndex + 1, title: lesson.title, total: lesson.steps.length, nextNumber: lessonIndex + 2, next: next.title };
    const text = open.length
      ? this.t('lessonEnd.open', { ...about, done: lesson.steps.length - open.length, open: open.map((st) => st.title).join(', ') })
      : this.t('lessonEnd.done', about);
    this.dispatch({ type: 'transcript', entry: { kind: 'note', tone: open.length ? 'warn' : 'ok', text } });
    this.dispatch({ type: 'lesson-end-shown', lessonIndex });
  }

  /** n: a step that is only read passes first (see StepActions.passIfOnlyRead). */
  private async next(): Promise<void> {
    const passed = this.steps.passIfOnlyRead();
    if (passed === true || (await passed)) this.move(1);
  }

  private async pickProvider(provider: ProviderName | undefined): Promise<void> {
    this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
    if (!provider) return;
    // Progress belongs to a cluster: another provider's cluster has its own.
    const progress = this.deps.progressFor ? await this.deps.progressFor(provider).catch(() => undefined) : undefined;
    this.progress.set({ ...(progress ?? this.state.progress), provider });
    await this.cluster.connect(provider);
  }

  /** Stops what runs (waiting a moment for it to end), saves, and ends the app. */
  async quit(code: number): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.dispatch({ type: 'quitting' });
    this.cluster.stop();
    await this.steps.stopAndWait(STOP_WAIT_MS);
    await this.progress.settled();
    this.deps.exit(code);
  }
}
