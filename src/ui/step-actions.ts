/**
 * What the learner does to a step — run it, check it, catch up to it, reset, skip, a hint, the
 * solution — and the one piece of work that runs at a time, with its own AbortController. Where a
 * block or a check applies to the provider is the step plan's to say (engine/plan.ts), not this file's.
 */
import { updateStep, type Progress } from '../engine/running/progress.js';
import { hintsFor } from '../engine/running/hints.js';
import { planHere } from '../engine/standard-plan.js';
import { targetOf } from '../engine/plan.js';
// Types only: the session module pulls in the process runner, which the first frame must not wait for.
import type { StepResult } from '../engine/running/session.js';
import type { EngineEvent, EngineListener, Lesson, ProviderName, Step } from '../engine/types.js';
import type { LastStepRecord } from '../services/last-step.js';
import type { ClusterTracker, StepRunner } from './cluster-tracker.js';
import { OutputBatcher } from './output-batcher.js';
import type { ProgressKeeper } from './progress-keeper.js';
import { currentLesson, currentStep, hintsRevealed, solutionShown } from './selectors.js';
import { textFor, type AppAction, type AppState, type StepOutcome, type Task, type Tone } from './state.js';
import { createTranslator, type MessageKey, type MessageParams, type Translator } from '../engine/i18n/translate.js';
import type { Store } from './store.js';

/** What the app asks for when the learner catches up (kubelab catch-up's service, with the app's session). */
export type CatchUpRunner = (target: { lesson: Lesson; step: Step }, progress: Progress, options: { signal: AbortSignal; onStep(step: { lesson: Lesson; step: Step }, index: number, total: number): void }) => Promise<{ ok: boolean; interrupted: boolean; progress: Progress; failed?: { step: { lesson: Lesson; step: Step }; error: string }; ran: number }>;

export interface StepActionsDeps {
  store: Store;
  /** Runs the steps before the current one with the app's session (see src/engine/running/catch-up.ts). */
  catchUp?(runner: StepRunner): CatchUpRunner | undefined;
  /** Writes a support bundle; resolves to its path. */
  writeBundle?(): Promise<string>;
  /** Keeps the last step's commands, output and checks for `kubelab bundle`. */
  recordStep?(record: LastStepRecord): void;
  /** Others who watch the engine (the class reporter). */
  listeners?: EngineListener[];
  /** How long output is gathered before the screen hears of it. */
  outputFlushMs?: number;
}

/** What the step actions share with the rest of the controller. */
export interface StepActionsParts {
  cluster: ClusterTracker;
  progress: ProgressKeeper;
  notice(tone: Tone, text: string): void;
}

export class StepActions {
  private running?: { abort: AbortController; done: Promise<void> };
  /** Set when a step's checks failed and a hint is left: it is shown right after the results. */
  private hintAfterFinish = false;
  private readonly output: OutputBatcher;

  constructor(
    private readonly deps: StepActionsDeps,
    private readonly parts: StepActionsParts,
  ) {
    this.output = new OutputBatcher(({ lines, total }) => this.dispatch({ type: 'output', lines, total }), deps.outputFlushMs);
  }

  private get state(): AppState {
    return this.deps.store.getState();
  }

  private get runner(): StepRunner | undefined {
    return this.parts.cluster.runner;
  }

  private dispatch(action: AppAction): void {
    this.deps.store.dispatch(action);
  }

  /** A text in the learner's language (the one the state holds now). */
  private t(key: MessageKey, params?: MessageParams): string {
    return textFor(this.state).t(key, params);
  }

  private notice(tone: Tone, text: string): void {
    this.parts.notice(tone, text);
  }

  /** Ctrl-C: stops the work that runs, if any (never the app); false when nothing was running. */
  stop(): boolean {
    if (!this.running || this.running.abort.signal.aborted) return false;
    this.running.abort.abort();
    return true;
  }

  /** The app ends: stops what runs and waits for it to end, at most `waitMs`. */
  async stopAndWait(waitMs: number): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.abort.abort();
    await Promise.race([running.done, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  /**
   * n: a step with nothing to run and nothing to check (reading, or commands for another
   * provider) is done once read, so moving on records it as passed through the step protocol.
   * False when it did not pass: the learner stays on it. A promise only when a session runs the
   * step, so that n moves on at once otherwise.
   */
  passIfOnlyRead(): true | Promise<boolean> {
    if (this.state.screen !== 'step' || !this.nothingToDo()) return true;
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    const runner = this.runner;
    if (!runner) {
      this.updateCurrentStepAt(lesson, step, { status: 'passed' });
      return true;
    }
    return this.task('commands', async (signal) => this.finishStep(lesson, step, await runner.runStep(lesson, step, { signal }))).then(
      () => currentStep(this.state) === step && this.state.outcome?.status === 'passed',
    );
  }

  private nothingToDo(): boolean {
    return planHere(currentStep(this.state), targetOf(this.state.cluster.provider)).meant === 0;
  }

  private updateCurrentStep(change: Parameters<typeof updateStep>[3]): void {
    this.updateCurrentStepAt(currentLesson(this.state), currentStep(this.state), change);
  }

  /** Why the step cannot run right now, in one line, or undefined when it can. */
  private blocker(): string | undefined {
    if (this.state.screen !== 'step') return this.t('blocker.openLesson');
    const starting = this.startingBlocker();
    if (starting) return starting;
    const cluster = this.state.cluster;
    if (!this.runner) {
      if (cluster.state === 'checking') return this.t('blocker.looking');
      return cluster.state === 'down' || cluster.state === 'unreachable' ? this.t('blocker.noClusterBecause', { detail: cluster.detail, next: cluster.next }) : this.t('blocker.noCluster');
    }
    const blocked = this.runner.lessonBlocker(currentLesson(this.state));
    return blocked && this.t('blocker.lesson', { reason: blocked });
  }

  /**
   * While the app starts the cluster itself, steps that need it wait (its progress is in the status
   * bar); a step whose checks all need no cluster ("check your tools") runs meanwhile.
   */
  private startingBlocker(): string | undefined {
    const text = this.state.clusterStart;
    if (!text || (this.runner && !this.runner.needsCluster(currentLesson(this.state), currentStep(this.state)))) return undefined;
    return startingNotice(this.state.cluster.provider, text, textFor(this.state));
  }

  async run(confirmed: boolean): Promise<void> {
    const blocked = this.blocker();
    if (blocked) return this.notice('warn', blocked);
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    const blocks = this.runner!.blocksFor(step);
    const hidden = step.challenge && !solutionShown(this.state, lesson, step);
    const items = blocks.filter((b) => b.confirm).map((b) => ({ reason: b.confirm!, code: hidden ? undefined : b.code }));
    // A challenge's commands are its solution: r would give it away without asking.
    if (hidden && blocks.length) items.unshift({ reason: this.t('notice.solutionRuns'), code: undefined });
    if (items.length && !confirmed) {
      this.dispatch({ type: 'overlay', overlay: { kind: 'confirm', items } });
      return;
    }
    await this.task('commands', async (signal) => {
      const result = await this.runner!.runStep(lesson, step, {
        signal,
        // The step may have created, recreated or deleted the cluster: look again before checking it.
        afterCommands: () => this.parts.cluster.refresh(signal).catch(() => undefined),
      });
      return this.finishStep(lesson, step, result);
    });
  }

  async check(): Promise<void> {
    const blocked = this.blocker();
    if (blocked) return this.notice('warn', blocked);
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    if (this.runner!.checksFor(step).length === 0) return this.notice('info', this.t('notice.noChecks'));
    await this.task('checks', async (signal) => this.finishStep(lesson, step, await this.runner!.runStep(lesson, step, { signal, mode: 'checks' })));
  }

  /** Runs one piece of work with its own AbortController; Ctrl-C aborts it, never the app. */
  private async task(task: Task, work: (signal: AbortSignal) => Promise<StepOutcome | undefined>): Promise<void> {
    const abort = new AbortController();
    this.parts.cluster.dropLook();
    let finish!: () => void;
    this.running = { abort, done: new Promise<void>((resolve) => (finish = resolve)) };
    this.dispatch({ type: 'busy', task });
    let outcome: StepOutcome | undefined;
    try {
      outcome = await work(abort.signal);
    } catch (error) {
      outcome = { status: 'failed', message: this.t('notice.couldNotRun', { error: (error as Error).message }) };
    } finally {
      this.output.flush();
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
      return { status: 'stopped', message: this.t('notice.stoppedNotFailed') };
    }
    this.updateCurrentStepAt(lesson, step, { status: result.status });
    if (result.status === 'passed') return { status: 'passed', message: this.t('notice.stepPassed') };
    // On failure, the next hint comes without asking: that is when it helps, if it is about this failure.
    if (result.commands.ok && this.hintFollows(lesson, step, result)) this.hintAfterFinish = true;
    return { status: 'failed', message: result.error ?? this.t('step.notPassedYet') };
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
    this.output.flush();
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
  async catchUp(): Promise<void> {
    const blocked = this.blocker();
    if (blocked) return this.notice('warn', blocked);
    const catchUp = this.deps.catchUp?.(this.runner!);
    if (!catchUp) return this.notice('info', this.t('notice.catchUpUnavailable'));
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    await this.task('commands', async (signal) => {
      const result = await catchUp({ lesson, step }, this.state.progress, {
        signal,
        onStep: (s, i, total) => this.dispatch({ type: 'transcript', entry: { kind: 'note', tone: 'info', text: this.t('notice.catchingUp', { number: i + 1, total, lesson: s.lesson.title, step: s.step.title }) } }),
      });
      this.parts.progress.set(result.progress);
      if (result.interrupted) return { status: 'stopped', message: this.t('notice.catchUpStopped') };
      if (!result.ok) return { status: 'failed', message: this.t('notice.catchUpFailed', { step: result.failed!.step.step.title, error: result.failed!.error }) };
      return { status: 'passed', message: this.t('notice.caughtUp', { count: result.ran }) };
    });
  }

  async bundle(): Promise<void> {
    if (!this.deps.writeBundle) return this.notice('info', this.t('notice.bundleElsewhere'));
    this.notice('info', this.t('notice.bundleWriting'));
    try {
      const file = await this.deps.writeBundle();
      this.notice('ok', this.t('notice.bundleWritten', { file }));
    } catch (error) {
      this.notice('error', this.t('notice.bundleFailed', { error: (error as Error).message }));
    }
  }

  private updateCurrentStepAt(lesson: Lesson, step: Step, change: Parameters<typeof updateStep>[3]): void {
    this.parts.progress.set(updateStep(this.state.progress, lesson.id, step.id, change));
  }

  revealHint(): void {
    if (this.state.screen !== 'step') return;
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    const shown = hintsRevealed(this.state, lesson, step);
    const hints = hintsFor(step, this.state.cluster.provider);
    if (hints.length === 0) return this.notice('info', this.t('notice.noHints'));
    if (shown >= hints.length) return this.notice('info', `${this.t('notice.noMoreHints', { count: hints.length })}${step.challenge ? this.t('notice.pressSolution') : ''}`);
    this.dispatch({ type: 'transcript', entry: { kind: 'hint', index: shown, total: hints.length, text: hints[shown].text } });
    this.emitToListeners({ type: 'hint-revealed', lessonId: lesson.id, stepId: step.id, index: shown });
    this.updateCurrentStep({ hintsRevealed: shown + 1 });
  }

  showSolution(): void {
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    if (!step.challenge) return this.notice('info', this.t('notice.notChallenge'));
    if (solutionShown(this.state, lesson, step)) return this.notice('info', this.t('notice.solutionShown'));
    const commands = step.blocks.filter((b) => b.run).map((b) => b.code);
    this.dispatch({ type: 'transcript', entry: { kind: 'solution', commands } });
    this.emitToListeners({ type: 'solution-shown', lessonId: lesson.id, stepId: step.id });
    this.updateCurrentStep({ solutionShown: true });
  }

  /** s: recorded as skipped; the controller then moves on. */
  skip(): void {
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    this.emitToListeners({ type: 'step-end', lessonId: lesson.id, stepId: step.id, status: 'skipped', durationMs: 0 });
    this.updateCurrentStep({ status: 'skipped' });
    this.dispatch({ type: 'transcript', entry: { kind: 'note', tone: 'info', text: this.t('notice.skipped', { step: step.title }) } });
  }

  async reset(): Promise<void> {
    const lesson = currentLesson(this.state);
    const step = currentStep(this.state);
    if (step.cleanup && this.runner) {
      await this.task('reset', async (signal) => {
        const result = await this.runner!.runScript(lesson, step, step.cleanup!, signal);
        return result.ok ? undefined : { status: 'failed', message: this.t('notice.cleanupFailed', { error: result.error }) };
      });
    }
    this.updateCurrentStep({ status: 'in-progress', hintsRevealed: 0, solutionShown: false });
    this.dispatch({ type: 'reset-step' });
  }

  /** Engine events: output is gathered and sent on a beat, everything else at once, in order. */
  onEngineEvent(event: EngineEvent): void {
    this.emitToListeners(event);
    if (event.type === 'output') return this.output.push({ stream: event.stream, text: event.line });
    this.output.flush();
    this.dispatch({ type: 'engine', event });
  }

  /** Tells the engine's other watchers (the class reporter) what happened, and what the learner did. */
  private emitToListeners(event: EngineEvent): void {
    for (const listener of this.deps.listeners ?? []) {
      try {
        listener(event);
      } catch {
        // A watcher (the class reporter) must never break the learner's run.
      }
    }
  }
}

/**
 * What a step that needs the cluster says while the app is still starting it, time left first:
 * "Needs the local cluster, being built: 44%, about 3 min left. Read on; press r when it is up."
 */
export function startingNotice(provider: ProviderName, progress: string, { t }: Translator = createTranslator('en')): string {
  const brief = progress.replace(/\s*\(.*\)$/, '');
  const building = /^building the \S+ cluster: (.*)$/.exec(brief);
  const what = building ? t('starting.built', { progress: building[1] }) : t('starting.starting', { progress: brief.replace(/…$/, '') });
  return t('starting.needs', { provider, what });
}
