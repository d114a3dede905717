import { mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubelabBinDir, stateDir } from '../../paths.js';
import type { Checker, CheckContext } from '../checker.js';
import { runCheck, type CheckRunOptions } from './checks.js';
import type { ClusterConnection } from '../connection.js';
import { loadKubeConfig } from './kube.js';
import { Redactor } from './redact.js';
import { runBlock, type ShellSession } from './runner.js';
import { authoredNames, authoredTexts } from './authored.js';
import type { ServiceFactories } from '../services.js';
import { findOnPath, INSTALL_HINTS } from './tools.js';
import { appliesTo, targetOf, type Target } from '../plan.js';
import { PlanRunner } from './plan-runner.js';
import { lessonPlanOf, planHere, planOf } from '../standard-plan.js';
import { StepChecks } from './step-checks.js';
import { checkSatisfied, type CheckOutcome, type CommandsOutcome, type NotRunBlock, type RunChecksOptions, type SessionCore } from './step-outcomes.js';
import { translatorFor } from '../i18n/lesson-translation.js';
import type { CheckResult, CheckSpec, CommandBlock, EngineListener, Lesson, Step, StepStatus, Workshop } from '../types.js';

export { checkSatisfied, type CheckOutcome, type CommandsOutcome, type NotRunBlock, type RunChecksOptions } from './step-outcomes.js';

/**
 * What the session does to the outside world, replaceable as a whole in tests: run a shell block,
 * evaluate a check, read the cluster credentials. The defaults are the real ones.
 */
export interface SessionPorts {
  runBlock: typeof runBlock;
  evaluateCheck(spec: CheckSpec, checker: Checker<any>, ctx: CheckContext, options: CheckRunOptions): Promise<CheckResult>;
  loadKubeConfig(connection: ClusterConnection): Promise<KubeConfig>;
}

export interface SessionOptions {
  workshop: Workshop;
  connection: ClusterConnection;
  checkers: Map<string, Checker<any>>;
  env: NodeJS.ProcessEnv;
  emit: EngineListener;
  /** The cluster's name when the learner chose one (--name): lesson commands are given it. */
  clusterName?: string;
  /** Clients checkers may ask for besides the Kubernetes API (the EKS API); injected by the caller. */
  services?: ServiceFactories;
  ports?: Partial<SessionPorts>;
}

export interface StepRunOptions {
  signal: AbortSignal;
  /** 'run' (default): the lesson's setup once, the step's setup, its commands, then its checks. 'checks': only the checks. */
  mode?: 'run' | 'checks';
  /** Evaluate each check once before the commands: one that already passes cannot fail (validate --prove). */
  prove?: boolean;
  /** How long each check waits; each check's own timeout when undefined, 0 evaluates once. */
  checkTimeoutMs?: number;
  /** Run by `kubelab catch-up` for the learner: a pass is reported (to the class) as 'caught-up'. */
  caughtUp?: boolean;
  /** Between the commands and the checks (the app looks at the cluster again: the step may have created it). */
  afterCommands?(commands: CommandsOutcome): Promise<void> | void;
}

export interface StepResult {
  /** 'passed' or 'failed'; an interrupted step is neither, see `interrupted`. */
  status: StepStatus;
  interrupted: boolean;
  commands: CommandsOutcome;
  checks: CheckOutcome[];
  /** The first reason the step did not pass, in one line. */
  error?: string;
  /** --prove: checks that already passed before the step's commands ran (they cannot fail). */
  passedEarly?: string[];
  /** --prove: checks the lesson marks as unprovable, with the reason it gives. */
  unprovable?: string[];
  /** Blocks shown but not run here, each with why. */
  notRun?: NotRunBlock[];
  durationMs: number;
}

/**
 * One learner's run through a workshop on one cluster, and the one place that knows the step
 * protocol: lesson preparation (availability, tools, setup) → step setup → commands → checks →
 * verdict, with every lesson and step event emitted here. The app, `validate` and `check` only
 * decide when to call it and how to show what it emits.
 */
export class WorkshopSession {
  readonly shell: ShellSession;
  readonly variables: Record<string, string>;
  /** The one redactor for everything this session shows or reports (see redact.ts). */
  readonly redactor: Redactor;
  private readonly ports: SessionPorts;
  /** Runs the plans' actions, and evaluates the checks, for this session. */
  private readonly plans: PlanRunner;
  private readonly checks: StepChecks;
  /** Lessons whose setup has run in this session, with when they started. */
  private readonly lessonsStarted = new Map<string, number>();
  private readonly lessonsPrepared = new Set<string>();
  /** Lessons whose eks-workshop-v2 suite `before` hooks have run in this session. */
  private readonly suitesStarted = new Set<string>();
  private readonly suitesEnded = new Set<string>();

  /** Every event leaves the session through here, redacted (output lines were, line by line, by the runner). */
  private readonly emit: EngineListener = (event) => this.options.emit(event.type === 'output' ? event : this.redactor.value(event));

  constructor(private readonly options: SessionOptions) {
    const { workshop, connection, env } = options;
    const variables: Record<string, string> = { ...workshop.variables };
    for (const name of Object.keys(variables)) if (env[name]) variables[name] = env[name]!;
    Object.assign(variables, connection.variables, {
      KUBECONFIG: connection.kubeconfig,
      KUBELAB_CONTEXT: connection.context,
      KUBELAB_PROVIDER: connection.provider,
      KUBELAB_CLUSTER_NAME: connection.name,
      KUBELAB_WORKSHOP_DIR: workshop.dir,
      // Files a learner makes (keys, certificates) go here, never into the lesson folder.
      KUBELAB_WORKSPACE: join(stateDir(env), 'workspace', workshop.id),
    });
    mkdirSync(variables.KUBELAB_WORKSPACE, { recursive: true, mode: 0o700 });
    this.variables = variables;
    const shellEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) shellEnv[k] = v;
    // Lesson commands call `kubelab` itself (e.g. cluster up): put this installation first on PATH.
    const path = `${kubelabBinDir()}${delimiter}${env.PATH ?? ''}`;
    this.shell = { env: { ...shellEnv, ...variables, PATH: path }, cwd: workshop.dir };
    this.redactor = Redactor.from({ env, kubeconfigs: [connection.kubeconfig], workspaces: [variables.KUBELAB_WORKSPACE] });
    // A Secrets lesson's ids, titles and hints name tokens and passwords: they are the lesson, not secrets.
    this.redactor.keepAuthored(authoredNames(workshop), authoredTexts(workshop));
    this.ports = {
      runBlock,
      evaluateCheck: (spec, checker, ctx, run) => runCheck(checker, spec.args, ctx, { ...run, expect: spec.expect === 'fail' ? 'fail' : 'pass' }),
      loadKubeConfig: (c) => loadKubeConfig(c),
      ...options.ports,
    };
    const core: SessionCore = {
      options,
      ports: this.ports,
      shell: this.shell,
      redactor: this.redactor,
      variables,
      // The connection does not change within a session: its target is fixed.
      target: this.target,
      emit: this.emit,
      checksFor: (step) => this.checksFor(step),
    };
    this.plans = new PlanRunner(core);
    this.checks = new StepChecks(core);
  }

  get connection(): ClusterConnection {
    return this.options.connection;
  }

  /**
   * Reads the kubeconfig again at the next check: a cluster recreated under the same name (a new
   * `cluster up` after `cluster down`) has a new address and CA in the same file.
   */
  reloadCredentials(): void {
    this.checks.reload();
  }


  /** The cluster the plans run on. */
  get target(): Target {
    return targetOf(this.options.connection.provider, this.options.connection.simulated);
  }

  /** The blocks that run here: for this provider, not shown-only, nothing the cluster lacks (the plan says). */
  blocksFor(step: Step): CommandBlock[] {
    return planHere(step, this.target).blocks;
  }

  checksFor(step: Step): CheckSpec[] {
    return planHere(step, this.target).checks;
  }

  /**
   * Whether a step needs its cluster to exist before it runs. It does not only when it has checks
   * here and each declares `needsCluster: false`, and no setup script or hook could reach the
   * cluster; anything unknown counts as needing it, so nothing runs early on a guess.
   */
  needsCluster(lesson: Lesson, step: Step): boolean {
    const checks = this.checksFor(step);
    const lessonPlan = lessonPlanOf(lesson);
    // Only command blocks and pauses are known not to reach the cluster before the checks do.
    const reaching = planOf(step).actions.some((a) => a.kind !== 'block' && a.kind !== 'pause');
    if (!checks.length || lessonPlan.prepare.length || lessonPlan.enter.length || reaching) return true;
    return checks.some((c) => this.options.checkers.get(c.checker)?.needsCluster !== false);
  }

  /** Tools the lesson needs on this provider that are not on PATH, each with how to install it. */
  missingTools(lesson: Lesson): string[] {
    const { t } = translatorFor(lesson);
    return lesson.tools
      .filter((tool) => appliesTo(tool.providers && { providers: tool.providers }, this.target) && !findOnPath(tool.name, this.shell.env))
      .map((tool) => t('preflight.install', { tool: tool.name, how: tool.install ?? INSTALL_HINTS[tool.name] ?? t('preflight.seeWebsite') }));
  }

  /** Why the lesson cannot run on this cluster at all, or undefined when it can. */
  lessonBlocker(lesson: Lesson): string | undefined {
    const provider = this.options.connection.provider;
    const { t } = translatorFor(lesson);
    if (!lesson.providers.includes(provider)) {
      return `${t('preflight.unavailable', { provider, providers: lesson.providers.join(', ') })}${lesson.unavailableReason ? `: ${lesson.unavailableReason}` : ''}`;
    }
    const missing = this.missingTools(lesson);
    if (missing.length) return t('preflight.missingTools', { tools: missing.join('; ') });
    return undefined;
  }

  /**
   * Once per lesson and session: announces the lesson, checks it can run here, runs its setup.
   * Asking again after it succeeded does nothing; after it failed, it is tried again.
   */
  async prepareLesson(lesson: Lesson, signal: AbortSignal): Promise<CommandsOutcome> {
    if (!this.lessonsStarted.has(lesson.id)) {
      this.lessonsStarted.set(lesson.id, performance.now());
      this.emit({ type: 'lesson-start', lessonId: lesson.id, title: lesson.title });
    }
    if (this.lessonsPrepared.has(lesson.id)) return { ok: true };
    const blocked = this.lessonBlocker(lesson);
    if (blocked) return { ok: false, error: blocked };
    for (const action of lessonPlanOf(lesson).prepare) {
      const outcome = await this.plans.runLessonAction(lesson, undefined, action, signal);
      if (!outcome.ok) return outcome;
    }
    this.lessonsPrepared.add(lesson.id);
    return { ok: true };
  }

  /** Ends a lesson's run (validate ends every lesson; the app ends one when its last step passes). */
  endLesson(lesson: Lesson, status: StepStatus): void {
    const started = this.lessonsStarted.get(lesson.id) ?? performance.now();
    this.emit({ type: 'lesson-end', lessonId: lesson.id, status, durationMs: Math.round(performance.now() - started) });
  }

  /**
   * The step protocol. Emits step-start … step-end (no step-end when interrupted: the step was
   * neither passed nor failed) and returns the verdict with its reasons.
   */
  async runStep(lesson: Lesson, step: Step, options: StepRunOptions): Promise<StepResult> {
    const { signal } = options;
    const at = { lessonId: lesson.id, stepId: step.id };
    const started = performance.now();
    const mode = options.mode ?? 'run';
    const result = (fields: Omit<StepResult, 'durationMs' | 'interrupted'>): StepResult => {
      const durationMs = Math.round(performance.now() - started);
      const interrupted = signal.aborted;
      const reported = options.caughtUp && fields.status === 'passed' ? 'caught-up' : fields.status;
      if (!interrupted) this.emit({ type: 'step-end', ...at, status: reported, durationMs });
      return { ...fields, interrupted, durationMs };
    };

    const suiteChecks: CheckOutcome[] = [];
    if (mode === 'run') {
      const prepared = await this.prepareLesson(lesson, signal);
      this.emit({ type: 'step-start', ...at, title: step.title });
      if (!prepared.ok) return result({ status: 'failed', commands: prepared, checks: [], error: prepared.error });
      // What enters a lesson (a folder's tests/hook-suite.sh `before`) runs ahead of its first step, once.
      const enter = lessonPlanOf(lesson).enter;
      if (enter.length && !this.suitesStarted.has(lesson.id)) {
        this.suitesStarted.add(lesson.id);
        for (const action of enter) {
          const outcome = await this.plans.runLessonAction(lesson, step, action, signal);
          suiteChecks.push(...(outcome.hookChecks ?? []));
          if (!outcome.ok) return result({ status: 'failed', commands: { ok: false, error: outcome.error }, checks: suiteChecks, error: outcome.error });
        }
      }
    } else {
      this.emit({ type: 'step-start', ...at, title: step.title });
    }

    let passedEarly: string[] | undefined;
    let unprovable: string[] | undefined;
    if (mode === 'run' && options.prove && this.checksFor(step).length > 0) {
      const before = await this.runChecks(lesson, step, signal, 0, { probe: true });
      unprovable = before.filter((c) => c.spec.unprovable).map((c) => `${c.spec.id}: ${c.spec.unprovable}`);
      passedEarly = before.filter((c) => c.result.status === 'pass' && !c.spec.unprovable).map((c) => c.spec.id);
    }
    const proofs = { ...(passedEarly && { passedEarly }), ...(unprovable?.length && { unprovable }) };

    let commands: CommandsOutcome = { ok: true };
    if (mode === 'run') {
      // Even a step whose checks passed too early runs its commands: later steps build on them.
      commands = await this.runCommands(lesson, step, signal);
      await options.afterCommands?.(commands);
    }
    let stepChecks: CheckOutcome[] = [];
    if (commands.ok && !signal.aborted) stepChecks = await this.runChecks(lesson, step, signal, options.checkTimeoutMs, { nothingYet: mode === 'checks' });
    else if (!signal.aborted) stepChecks = this.checks.notEvaluated(lesson, step, commands.error ? `the step's commands did not succeed (${commands.error.split(';')[0]})` : "the step's commands did not succeed");
    // Hook calls are checks of the step like its own, in the order they ran.
    const checks = [...suiteChecks, ...(commands.hookChecks ?? []), ...stepChecks];
    if (mode === 'run' && step === lesson.steps.at(-1) && !signal.aborted) checks.push(...(await this.finishSuites(lesson, step, signal)));

    // A check that failed, not one it cut short, is the reason to give.
    const failedCheck = checks.find((c) => c.result.status === 'fail' || c.result.status === 'error') ?? checks.find((c) => !checkSatisfied(c.result));
    let status: StepStatus = commands.ok && !failedCheck ? 'passed' : 'failed';
    let error = commands.error ?? (failedCheck && `${failedCheck.spec.id}: ${failedCheck.result.message}`);
    if (passedEarly?.length) {
      status = 'failed';
      error = `passed before the step ran, so it cannot fail: ${passedEarly.join(', ')}`;
    }
    const notRun = commands.notRun?.length ? { notRun: commands.notRun } : {};
    const outcome = result({ status, commands, checks, ...(error && status === 'failed' && { error }), ...proofs, ...notRun });
    if (mode === 'run' && !outcome.interrupted && status === 'passed' && step === lesson.steps.at(-1)) this.endLesson(lesson, 'passed');
    return outcome;
  }

  /** Runs the step's actions in order (the plan's); stops at the first that does not end as the lesson expects. */
  runCommands(lesson: Lesson, step: Step, signal: AbortSignal): Promise<CommandsOutcome> {
    return this.plans.runCommands(lesson, step, signal);
  }

  /** Runs a zx setup/cleanup script from the lesson folder with the session's environment. */
  runScript(lesson: Lesson, step: Step | undefined, script: string, signal: AbortSignal): Promise<CommandsOutcome> {
    return this.plans.runScript(lesson, step, script, signal);
  }

  /** The step's checks here, side by side; the first failure decides (step-checks.ts). */
  runChecks(lesson: Lesson, step: Step, signal: AbortSignal, timeoutMs?: number, options: RunChecksOptions = {}): Promise<CheckOutcome[]> {
    return this.checks.runChecks(lesson, step, signal, timeoutMs, options);
  }

  /**
   * The `after` of the suite hooks that end with this lesson, once: after its last step, or — as
   * their test tool runs it whatever happened — when the lesson stopped early or could not run.
   */
  async finishSuites(lesson: Lesson, step: Step, signal: AbortSignal): Promise<CheckOutcome[]> {
    const finish = lessonPlanOf(lesson).finish;
    if (!finish.length || this.suitesEnded.has(lesson.id) || signal.aborted) return [];
    this.suitesEnded.add(lesson.id);
    const outcomes: CheckOutcome[] = [];
    for (const action of finish) outcomes.push(...((await this.plans.runLessonAction(lesson, step, action, signal)).hookChecks ?? []));
    return outcomes;
  }

}

/**
 * Where to resume a lesson, judged by the cluster rather than the progress file: the first step
 * whose checks do not all pass right now (steps without checks are passed over).
 */
export async function firstUnmetStep(session: WorkshopSession, lesson: Lesson, signal: AbortSignal): Promise<Step | undefined> {
  for (const step of lesson.steps) {
    if (session.checksFor(step).length === 0) continue;
    const outcomes = await session.runChecks(lesson, step, signal, 0);
    if (!outcomes.every((o) => checkSatisfied(o.result))) return step;
  }
  return undefined;
}
