/**
 * Turns the learner's intents into engine calls and the engine's events into actions. The only
 * place in the app that runs commands, checks, saves progress or aborts; components never do.
 * No ink or react here, so it is tested with a fake step runner and a plain store.
 */
import { ExitCode } from '../errors.js';
import { updateStep, type Progress } from '../engine/progress.js';
// Types only: the session module pulls in the process runner, which the first frame must not wait for.
import type { StepResult, WorkshopSession } from '../engine/session.js';
import type { ClusterConnection } from '../engine/connection.js';
import { isStepDone, type EngineEvent, type EngineListener, type Lesson, type ProviderName, type Step } from '../engine/types.js';
import type { Intent } from './keymap.js';
import { hintsFor } from '../engine/hints.js';
import type { LastStepRecord } from '../services/last-step.js';
import {
  currentLesson,
  currentStep,
  entryStep,
  hintsRevealed,
  isBusy,
  reduce,
  resumePoint,
  solutionShown,
  FULL_OUTPUT_LIMIT,
  type AppAction,
  type AppState,
  type ClusterView,
  type OutputLine,
  type StepOutcome,
} from './state.js';

/** What the app needs of a WorkshopSession: the step protocol itself lives there. */
export type StepRunner = Pick<WorkshopSession, 'runStep' | 'runScript' | 'blocksFor' | 'checksFor' | 'lessonBlocker' | 'needsCluster' | 'reloadCredentials'>;

/** What the app asks for when the learner catches up (kubelab catch-up's service, with the app's session). */
export type CatchUpRunner = (target: { lesson: Lesson; step: Step }, progress: Progress, options: { signal: AbortSignal; onStep(step: { lesson: Lesson; step: Step }, index: number, total: number): void }) => Promise<{ ok: boolean; interrupted: boolean; progress: Progress; failed?: { step: { lesson: Lesson; step: Step }; error: string }; ran: number }>;

export interface Store {
  getState(): AppState;
  dispatch(action: AppAction): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: AppState): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface Connected {
  cluster: ClusterView;
  connection?: ClusterConnection;
  /**
   * What the credentials say (server, CA): a new `cluster up` writes a new port and CA into the
   * same kubeconfig file, and a session holding the old ones would fail every check.
   */
  fingerprint?: string;
}

export interface ControllerDeps {
  store: Store;
  /** Finds the provider's cluster and asks its API server whether it answers. Never throws. */
  connect(provider: ProviderName, signal: AbortSignal): Promise<Connected>;
  createRunner(connection: ClusterConnection, emit: EngineListener): StepRunner;
  /**
   * Saves progress; may return what was written when another writer's changes were merged in (a
   * `kubelab reset` in another terminal), which the screen then shows.
   */
  saveProgress(progress: Progress): Promise<Progress | void>;
  /** The progress file as another terminal left it, merged with the app's; undefined when unchanged. */
  reloadProgress?(progress: Progress): Promise<Progress | undefined>;
  /** The progress of another provider's cluster, when the learner picks that provider. */
  progressFor?(provider: ProviderName): Promise<Progress>;
  /** Runs the steps before the current one with the app's session (see src/engine/catch-up.ts). */
  catchUp?(runner: StepRunner): CatchUpRunner | undefined;
  /** Writes a support bundle; resolves to its path. */
  writeBundle?(): Promise<string>;
  /** Keeps the last step's commands, output and checks for `kubelab bundle`. */
  recordStep?(record: LastStepRecord): void;
  /** Others who watch the engine (the class reporter). */
  listeners?: EngineListener[];
  /** Raises or lowers the learner's hand in their class: the new state, undefined when not in a class. */
  toggleHand?(): boolean | undefined;
  /** Called once, when the app should end, with the exit code. */
  exit(code: number): void;
  /** How long output is gathered before the screen hears of it. */
  outputFlushMs?: number;
  /** How often the cluster is looked at again while nothing runs (0: never). */
  watchIntervalMs?: number;
  /**
   * Brings the provider's cluster up (building it first if need be), for providers the app may
   * start by itself (the default, offline `local`). Progress lines go to `onProgress`.
   */
  startCluster?(provider: ProviderName, signal: AbortSignal, onProgress: (line: string) => void): Promise<void>;
}

const STOP_WAIT_MS = 5000;
/** A probe is a couple of local requests: every few seconds notices a stopped cluster soon enough. */
const WATCH_INTERVAL_MS = 5000;

/** Same cluster, same credentials: the session may stay. */
const sameConnection = (a: Connected, b: { connection?: ClusterConnection; fingerprint?: string }): boolean =>
  a.connection?.kubeconfig === b.connection?.kubeconfig &&
  a.connection?.context === b.connection?.context &&
  a.connection?.name === b.connection?.name &&
  a.connection?.provider === b.connection?.provider &&
  a.fingerprint === b.fingerprint;

export class AppController {
  private runner?: StepRunner;
  private connection?: ClusterConnection;
  private fingerprint?: string;
  private watchTimer?: NodeJS.Timeout;
  private watching?: AbortController;
  /** Once the learner pressed a key, the app no longer moves on its own (no late auto-resume). */
  private touched = false;
  private running?: { abort: AbortController; done: Promise<void> };
  private connecting?: AbortController;
  /** The app's own start of the cluster, while it runs. */
  private starting?: AbortController;
  private readonly startAttempted = new Set<ProviderName>();
  private pendingLines: OutputLine[] = [];
  private pendingTotal = 0;
  private flushTimer?: NodeJS.Timeout;
  private saving: Promise<void> = Promise.resolve();
  private ended = false;
  /** Set when a step's checks failed and a hint is left: it is shown right after the results. */
  private hintAfterFinish = false;

  constructor(private readonly deps: ControllerDeps) {}

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
    await this.connect(this.state.cluster.provider);
    this.scheduleWatch();
  }

  async connect(provider: ProviderName): Promise<void> {
    this.connecting?.abort();
    this.watching?.abort();
    const controller = new AbortController();
    this.connecting = controller;
    this.dispatch({ type: 'cluster', cluster: { state: 'checking', provider } });
    const connected = await this.deps.connect(provider, controller.signal);
    if (controller.signal.aborted) return;
    this.connecting = undefined;
    this.useConnection(connected);
    this.dispatch({ type: 'cluster', cluster: connected.cluster, kubeconfig: connected.connection?.kubeconfig });
    if (connected.cluster.state === 'down') void this.startCluster(provider);
  }

  /**
   * No cluster yet: start it in the background, once per app run, while the learner reads. When it
   * is up the app connects to it; steps wait for it instead of failing.
   */
  private async startCluster(provider: ProviderName): Promise<void> {
    if (!this.deps.startCluster || this.starting || this.startAttempted.has(provider) || this.ended) return;
    this.startAttempted.add(provider);
    const abort = new AbortController();
    this.starting = abort;
    this.dispatch({ type: 'cluster-start', text: `starting the ${provider} cluster…` });
    try {
      await this.deps.startCluster(provider, abort.signal, (line) => this.dispatch({ type: 'cluster-start', text: line.replace(/^\s+/, '') }));
      this.dispatch({ type: 'cluster-start' });
      if (!abort.signal.aborted && !this.ended && this.state.cluster.provider === provider) await this.connect(provider);
    } catch (error) {
      this.dispatch({ type: 'cluster-start' });
      if (!abort.signal.aborted) this.notice('error', `The ${provider} cluster did not start: ${(error as Error).message}`);
    } finally {
      this.starting = undefined;
    }
  }

  /** A new session for a new cluster or new credentials; none when there is no connection. */
  private useConnection(connected: Connected): void {
    this.connection = connected.connection;
    this.fingerprint = connected.fingerprint;
    this.runner = connected.connection ? this.deps.createRunner(connected.connection, (e) => this.onEngineEvent(e)) : undefined;
  }

  /**
   * Looks at the cluster again and follows what changed: the cluster line, and a new session
   * when the cluster was recreated (new port and CA in the kubeconfig) or first appeared.
   * While a step runs the session is kept (its shell carries on); the next look replaces it.
   */
  private async refreshCluster(signal = new AbortController().signal): Promise<void> {
    const provider = this.state.cluster.provider;
    const connected = await this.deps.connect(provider, signal);
    if (signal.aborted || this.ended || provider !== this.state.cluster.provider || this.connecting) return;
    const changed = !sameConnection(connected, { connection: this.connection, fingerprint: this.fingerprint });
    const sameFile = connected.connection && connected.connection.kubeconfig === this.connection?.kubeconfig && connected.connection.context === this.connection?.context;
    if (changed && sameFile && this.runner) {
      // Recreated under the same name: the session (its shell, the lesson's state) stays, the
      // credentials are read again before the next check.
      this.fingerprint = connected.fingerprint;
      this.runner.reloadCredentials();
    } else if (changed && (!isBusy(this.state) || !this.connection)) {
      this.useConnection(connected);
    }
    if (JSON.stringify(connected.cluster) !== JSON.stringify(this.state.cluster) || connected.connection?.kubeconfig !== this.state.kubeconfig) {
      this.dispatch({ type: 'cluster', cluster: connected.cluster, kubeconfig: connected.connection?.kubeconfig });
    }
  }

  /** The next look at the cluster, a few seconds from now; looks only while nothing runs. */
  private scheduleWatch(): void {
    const interval = this.deps.watchIntervalMs ?? WATCH_INTERVAL_MS;
    if (interval <= 0 || this.ended) return;
    clearTimeout(this.watchTimer);
    this.watchTimer = setTimeout(() => void this.watchOnce(), interval);
    this.watchTimer.unref?.();
  }

  private async watchOnce(): Promise<void> {
    if (this.ended) return;
    if (!isBusy(this.state)) await this.reloadProgress();
    if (!isBusy(this.state) && !this.connecting) {
      const watch = new AbortController();
      this.watching = watch;
      try {
        await this.refreshCluster(watch.signal);
      } catch {
        // A failed look is not news: the next one will tell.
      } finally {
        if (this.watching === watch) this.watching = undefined;
      }
    }
    this.scheduleWatch();
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
        if (this.state.stepOutput.length === 0) return this.notice('info', 'No output yet: press r to run the step’s commands.');
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
        return void this.runStep(true);
      case 'confirm-no':
        this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
        return this.notice('info', 'Not run. Nothing was created or deleted.');
      case 'run':
        return void this.runStep(false);
      case 'check':
        return void this.checkStep();
      case 'hint':
        return this.revealHint();
      case 'solution':
        return this.showSolution();
      case 'skip':
        return void this.skipStep();
      case 'reset-step':
        return void this.resetStep();
      case 'catch-up':
        return void this.catchUpToStep();
      case 'bundle':
        return void this.bundle();
      case 'previous-step':
        return this.move(-1);
      case 'next-step':
        return void this.next();
      case 'raise-hand':
        return this.toggleHand();
      case 'lessons':
        if (isBusy(this.state)) return this.notice('warn', 'A command is running: Ctrl-C stops it first.');
        return this.dispatch({ type: 'show-home' });
    }
  }

  private toggleHand(): void {
    const raised = this.deps.toggleHand?.();
    if (raised === undefined) return this.notice('info', 'A raised hand asks a class’s instructor for help: join a class first (kubelab class join).');
    this.notice(raised ? 'ok' : 'info', raised ? 'Hand raised: your instructor sees it. Press a again to lower it.' : 'Hand lowered.');
  }

  private notice(tone: 'info' | 'ok' | 'warn' | 'error', text: string): void {
    this.dispatch({ type: 'notice', notice: { tone, text } });
  }

  private interrupt(): void {
    if (this.state.overlay.kind !== 'none') {
      this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
    }
    if (this.running && !this.running.abort.signal.aborted) {
      this.running.abort.abort();
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
    if (isBusy(this.state)) return this.notice('warn', 'A command is running: wait for it or press Ctrl-C to stop it.');
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
      if (lessonIndex === 0) return this.notice('info', 'This is the first step.');
      lessonIndex--;
      stepIndex = lessons[lessonIndex].steps.length - 1;
    }
    this.goTo(lessonIndex, stepIndex);
    if (finished) this.setProgress({ ...this.state.progress, current: { lessonId: currentLesson(this.state).id, stepId: currentStep(this.state).id } });
  }

  private announceLessonEnd(lessonIndex: number): void {
    const lessons = this.state.workshop.lessons;
    const lesson = lessons[lessonIndex];
    const next = lessons[lessonIndex + 1];
    const steps = this.state.progress.steps[lesson.id] ?? {};
    const open = lesson.steps.filter((st) => !isStepDone(steps[st.id]?.status));
    const text = open.length
      ? `End of lesson ${lessonIndex + 1} "${lesson.title}": ${lesson.steps.length - open.length} of ${lesson.steps.length} steps done (not yet: ${open.map((st) => st.title).join(', ')}). Press n for lesson ${lessonIndex + 2} "${next.title}" anyway, or p to go back.`
      : `✔ Lesson ${lessonIndex + 1} "${lesson.title}" is done: all ${lesson.steps.length} steps. Press n for lesson ${lessonIndex + 2} "${next.title}", or b for the lessons.`;
    this.dispatch({ type: 'transcript', entry: { kind: 'note', tone: open.length ? 'warn' : 'ok', text } });
    this.dispatch({ type: 'lesson-end-shown', lessonIndex });
  }

  /**
   * n: a step with nothing to run and nothing to check (reading, or commands for another
   * provider) is done once read, so moving on records it as passed through the step protocol.
   */
  private async next(): Promise<void> {
    if (isBusy(this.state)) return this.notice('warn', 'A command is running: wait for it or press Ctrl-C to stop it.');
    if (this.state.screen === 'step' && this.nothingToDo()) {
      const lesson = currentLesson(this.state);
      const step = currentStep(this.state);
      if (this.runner) {
        await this.task('commands', async (signal) => this.finishStep(lesson, step, await this.runner!.runStep(lesson, step, { signal })));
        if (currentStep(this.state) !== step || this.state.outcome?.status !== 'passed') return;
      } else {
        this.updateCurrentStepAt(lesson, step, { status: 'passed' });
      }
    }
    this.move(1);
  }

  private nothingToDo(): boolean {
    const step = currentStep(this.state);
    const provider = this.state.cluster.provider;
    const applies = (item: { providers?: string[] }) => !item.providers || item.providers.includes(provider);
    return !step.blocks.some((b) => b.run && applies(b)) && !step.checks.some(applies) && !step.setup;
  }

  private async pickProvider(provider: ProviderName | undefined): Promise<void> {
    this.dispatch({ type: 'overlay', overlay: { kind: 'none' } });
    if (!provider) return;
    if (isBusy(this.state)) return this.notice('warn', 'A command is running: Ctrl-C stops it first.');
    // Progress belongs to a cluster: another provider's cluster has its own.
    const progress = this.deps.progressFor ? await this.deps.progressFor(provider).catch(() => undefined) : undefined;
    this.setProgress({ ...(progress ?? this.state.progress), provider });
    await this.connect(provider);
  }

  private setProgress(progress: Progress): void {
    this.dispatch({ type: 'progress', progress });
    // Saves are chained so an older state never lands after a newer one.
    this.saving = this.saving.then(async () => {
      try {
        this.adopt(progress, await this.deps.saveProgress(progress));
      } catch (error) {
        this.notice('error', `Could not save progress: ${(error as Error).message}`);
      }
    });
  }

  /**
   * Shows progress another writer changed (merged with the app's own): only while the app's state
   * is still the one that was merged, or a newer change of the learner's would be lost.
   */
  private adopt(mine: Progress, merged: Progress | void | undefined): void {
    if (!merged || this.state.progress !== mine) return;
    const { revision: _a, ...before } = mine;
    const { revision: _b, ...after } = merged;
    if (JSON.stringify(before) !== JSON.stringify(after)) this.dispatch({ type: 'progress', progress: merged });
  }

  /** Looks at the progress file: another terminal may have reset a lesson meanwhile. */
  private reloadProgress(): Promise<void> {
    const reload = this.deps.reloadProgress;
    if (!reload) return this.saving;
    this.saving = this.saving.then(async () => {
      const mine = this.state.progress;
      this.adopt(mine, await reload(mine).catch(() => undefined));
    });
    return this.saving;
  }

  private updateCurrentStep(change: Parameters<typeof updateStep>[3]): void {
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    this.setProgress(updateStep(this.state.progress, lesson.id, step.id, change));
  }

  /** Why the step cannot run right now, in one line, or undefined when it can. */
  private blocker(): string | undefined {
    if (isBusy(this.state)) return 'Already running: wait for it, or press Ctrl-C to stop it.';
    if (this.state.screen !== 'step') return 'Open a lesson first (Enter).';
    const starting = this.startingBlocker();
    if (starting) return starting;
    const cluster = this.state.cluster;
    if (!this.runner) {
      if (cluster.state === 'checking') return 'Still looking for the cluster… try again in a moment.';
      return cluster.state === 'down' || cluster.state === 'unreachable' ? `No cluster to run against: ${cluster.detail}. ${cluster.next}` : 'No cluster.';
    }
    const blocked = this.runner.lessonBlocker(currentLesson(this.state));
    return blocked && `This lesson cannot run here: ${blocked}.`;
  }

  /**
   * While the app starts the cluster itself, steps that need it wait (its progress is in the status
   * bar); a step whose checks all need no cluster ("check your tools") runs meanwhile.
   */
  private startingBlocker(): string | undefined {
    const text = this.state.clusterStart;
    if (!text || (this.runner && !this.runner.needsCluster(currentLesson(this.state), currentStep(this.state)))) return undefined;
    return startingNotice(this.state.cluster.provider, text);
  }

  private async runStep(confirmed: boolean): Promise<void> {
    const blocked = this.blocker();
    if (blocked) return this.notice('warn', blocked);
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    const blocks = this.runner!.blocksFor(step);
    const hidden = step.challenge && !solutionShown(this.state, lesson, step);
    const items = blocks.filter((b) => b.confirm).map((b) => ({ reason: b.confirm!, code: hidden ? undefined : b.code }));
    // A challenge's commands are its solution: r would give it away without asking.
    if (hidden && blocks.length) items.unshift({ reason: 'This runs the solution; to do it yourself, run the commands in another terminal and press c.', code: undefined });
    if (items.length && !confirmed) {
      this.dispatch({ type: 'overlay', overlay: { kind: 'confirm', items } });
      return;
    }
    await this.task('commands', async (signal) => {
      const result = await this.runner!.runStep(lesson, step, {
        signal,
        // The step may have created, recreated or deleted the cluster: look again before checking it.
        afterCommands: () => this.refreshCluster(signal).catch(() => undefined),
      });
      return this.finishStep(lesson, step, result);
    });
  }

  private async checkStep(): Promise<void> {
    const blocked = this.blocker();
    if (blocked) return this.notice('warn', blocked);
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    if (this.runner!.checksFor(step).length === 0) return this.notice('info', 'This step has no checks here: press n for the next step.');
    await this.task('checks', async (signal) => this.finishStep(lesson, step, await this.runner!.runStep(lesson, step, { signal, mode: 'checks' })));
  }

  /** Runs one piece of work with its own AbortController; Ctrl-C aborts it, never the app. */
  private async task(task: 'commands' | 'checks' | 'reset', work: (signal: AbortSignal) => Promise<StepOutcome | undefined>): Promise<void> {
    const abort = new AbortController();
    this.watching?.abort();
    let finish!: () => void;
    this.running = { abort, done: new Promise<void>((resolve) => (finish = resolve)) };
    this.dispatch({ type: 'busy', task });
    let outcome: StepOutcome | undefined;
    try {
      outcome = await work(abort.signal);
    } catch (error) {
      outcome = { status: 'failed', message: `kubelab could not run this: ${(error as Error).message}` };
    } finally {
      this.flushOutput();
      this.running = undefined;
      this.dispatch({ type: 'finished', outcome });
      if (this.hintAfterFinish) {
        this.hintAfterFinish = false;
        this.revealHint();
      }
      finish();
    }
  }

  private finishStep(lesson: Lesson, step: Step, result: StepResult): StepOutcome {
    this.record(lesson, step, result);
    if (result.interrupted) {
      this.updateCurrentStepAt(lesson, step, {});
      return { status: 'stopped', message: 'Stopped. Nothing was recorded as failed: press r to run it again.' };
    }
    this.updateCurrentStepAt(lesson, step, { status: result.status });
    if (result.status === 'passed') return { status: 'passed', message: 'Step passed. Press n for the next step.' };
    // On failure, the next hint comes without asking: that is when it helps, if it is about this failure.
    if (result.commands.ok && this.hintFollows(lesson, step, result)) this.hintAfterFinish = true;
    return { status: 'failed', message: result.error ?? 'not passed yet' };
  }

  /**
   * Whether the lesson's next hint speaks to the checks that failed. A check that gave its own hint
   * has said what is wrong already; a hint tied to another check would send the learner the wrong way.
   */
  private hintFollows(lesson: Lesson, step: Step, result: StepResult): boolean {
    // As session's checkSatisfied, which is not imported: the first frame must not wait for the session module.
    const failed = result.checks.filter((c) => c.result.status !== 'pass' && c.result.status !== 'skip');
    if (failed.length === 0 || failed.some((c) => c.result.hint)) return false;
    const next = hintsRevealed(this.state, lesson, step);
    const hints = hintsFor(step, this.state.cluster.provider);
    if (next >= hints.length) return false;
    const tiedTo = hints[next].check;
    // A check that broke ('error') has not said the learner's work is wrong: its hint would mislead.
    return !tiedTo || failed.some((c) => c.spec.id === tiedTo && c.result.status !== 'error');
  }

  /** What `kubelab bundle` shows of the last step: its commands, their output, its checks. */
  private record(lesson: Lesson, step: Step, result: StepResult): void {
    if (!this.deps.recordStep) return;
    this.flushOutput();
    try {
      this.deps.recordStep({
        at: new Date().toISOString(),
        lessonId: lesson.id,
        stepId: step.id,
        title: step.title,
        status: result.interrupted ? 'stopped' : result.status,
        ...(result.error && { message: result.error }),
        blocks: this.state.stepOutput.map((b) => ({ code: b.code, output: b.lines.map((l) => l.text) })),
        checks: result.checks.map((c) => ({ id: c.spec.id, durationMs: c.durationMs, ...c.result })),
      });
    } catch {
      // A record for a support bundle must never break the learner's step.
    }
  }

  /**
   * C: the steps before this one (and the lessons it builds on) are run for the learner, checked
   * as they go, and recorded as caught up — for a late arrival, or a cluster that broke.
   */
  private async catchUpToStep(): Promise<void> {
    const blocked = this.blocker();
    if (blocked) return this.notice('warn', blocked);
    const catchUp = this.deps.catchUp?.(this.runner!);
    if (!catchUp) return this.notice('info', 'Catch-up is not available here: run kubelab catch-up in another terminal.');
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    await this.task('commands', async (signal) => {
      const result = await catchUp({ lesson, step }, this.state.progress, {
        signal,
        onStep: (s, i, total) => this.dispatch({ type: 'transcript', entry: { kind: 'note', tone: 'info', text: `↻ Catching up [${i + 1}/${total}]: ${s.lesson.title} › ${s.step.title}` } }),
      });
      this.setProgress(result.progress);
      if (result.interrupted) return { status: 'stopped', message: 'Catch-up stopped. The steps that finished are recorded as caught up.' };
      if (!result.ok) return { status: 'failed', message: `Catch-up stopped at "${result.failed!.step.step.title}": ${result.failed!.error}` };
      return { status: 'passed', message: `Caught up: ${result.ran} step(s) run for you. This step is yours: press r to run it.` };
    });
  }

  private async bundle(): Promise<void> {
    if (!this.deps.writeBundle) return this.notice('info', 'Run kubelab bundle in another terminal.');
    this.notice('info', 'Writing a support bundle…');
    try {
      const file = await this.deps.writeBundle();
      this.notice('ok', `Support bundle written (secrets redacted): ${file}`);
    } catch (error) {
      this.notice('error', `Could not write the support bundle: ${(error as Error).message}`);
    }
  }

  private updateCurrentStepAt(lesson: Lesson, step: Step, change: Parameters<typeof updateStep>[3]): void {
    this.setProgress(updateStep(this.state.progress, lesson.id, step.id, change));
  }

  private revealHint(): void {
    if (this.state.screen !== 'step') return;
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    const shown = hintsRevealed(this.state, lesson, step);
    const hints = hintsFor(step, this.state.cluster.provider);
    if (hints.length === 0) return this.notice('info', 'This step has no hints. Its commands are shown above.');
    if (shown >= hints.length) return this.notice('info', `No more hints (all ${hints.length} shown above).${step.challenge ? ' Press s for the solution.' : ''}`);
    this.dispatch({ type: 'transcript', entry: { kind: 'hint', index: shown, total: hints.length, text: hints[shown].text } });
    this.emitToListeners({ type: 'hint-revealed', lessonId: lesson.id, stepId: step.id, index: shown });
    this.updateCurrentStep({ hintsRevealed: shown + 1 });
  }

  private showSolution(): void {
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    if (!step.challenge) return this.notice('info', 'Not a challenge step: its commands are shown above.');
    if (solutionShown(this.state, lesson, step)) return this.notice('info', 'The solution is shown above.');
    const commands = step.blocks.filter((b) => b.run).map((b) => b.code);
    this.dispatch({ type: 'transcript', entry: { kind: 'solution', commands } });
    this.emitToListeners({ type: 'solution-shown', lessonId: lesson.id, stepId: step.id });
    this.updateCurrentStep({ solutionShown: true });
  }

  private async skipStep(): Promise<void> {
    if (isBusy(this.state)) return this.notice('warn', 'A command is running: Ctrl-C stops it first.');
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    this.emitToListeners({ type: 'step-end', lessonId: lesson.id, stepId: step.id, status: 'skipped', durationMs: 0 });
    this.updateCurrentStep({ status: 'skipped' });
    this.dispatch({ type: 'transcript', entry: { kind: 'note', tone: 'info', text: `Skipped: ${step.title}` } });
    this.move(1);
  }

  private async resetStep(): Promise<void> {
    if (isBusy(this.state)) return this.notice('warn', 'A command is running: Ctrl-C stops it first.');
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    if (step.cleanup && this.runner) {
      await this.task('reset', async (signal) => {
        const result = await this.runner!.runScript(lesson, step, step.cleanup!, signal);
        return result.ok ? undefined : { status: 'failed', message: `Cleanup failed: ${result.error}` };
      });
    }
    this.updateCurrentStep({ status: 'in-progress', hintsRevealed: 0, solutionShown: false });
    this.dispatch({ type: 'reset-step' });
  }

  /** Engine events: output is gathered and sent on a beat, everything else at once, in order. */
  private onEngineEvent(event: EngineEvent): void {
    this.emitToListeners(event);
    if (event.type === 'output') {
      this.pendingLines.push({ stream: event.stream, text: event.line });
      this.pendingTotal++;
      // The output view keeps up to FULL_OUTPUT_LIMIT lines a block; anything older is only counted.
      if (this.pendingLines.length > FULL_OUTPUT_LIMIT * 2) this.pendingLines = this.pendingLines.slice(-FULL_OUTPUT_LIMIT);
      this.flushTimer ??= setTimeout(() => this.flushOutput(), this.deps.outputFlushMs ?? 33);
      return;
    }
    this.flushOutput();
    this.dispatch({ type: 'engine', event });
  }

  private flushOutput(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingTotal === 0) return;
    const lines = this.pendingLines.slice(-FULL_OUTPUT_LIMIT);
    const total = this.pendingTotal;
    this.pendingLines = [];
    this.pendingTotal = 0;
    this.dispatch({ type: 'output', lines, total });
  }

  private emitToListeners(event: EngineEvent): void {
    for (const listener of this.deps.listeners ?? []) {
      try {
        listener(event);
      } catch {
        // A watcher (the class reporter) must never break the learner's run.
      }
    }
  }

  /** Stops what runs (waiting a moment for it to end), saves, and ends the app. */
  async quit(code: number): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.dispatch({ type: 'quitting' });
    this.connecting?.abort();
    this.watching?.abort();
    // A build stopped here resumes from Go's build cache next time.
    this.starting?.abort();
    clearTimeout(this.watchTimer);
    const running = this.running;
    if (running) {
      running.abort.abort();
      await Promise.race([running.done, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    }
    await this.saving;
    this.deps.exit(code);
  }
}

/**
 * What a step that needs the cluster says while the app is still starting it, time left first:
 * "Needs the local cluster, being built: 44%, about 3 min left. Read on; press r when it is up."
 */
export function startingNotice(provider: ProviderName, progress: string): string {
  const brief = progress.replace(/\s*\(.*\)$/, '');
  const building = /^building the \S+ cluster: (.*)$/.exec(brief);
  const what = building ? `being built: ${building[1]}` : `still starting (${brief.replace(/…$/, '')})`;
  return `Needs the ${provider} cluster, ${what}. Read on; press r when it is up.`;
}
