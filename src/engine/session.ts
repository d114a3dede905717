import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubelabBinDir, kubelabHome, stateDir } from '../paths.js';
import type { Checker, CheckContext } from './checker.js';
import { runCheck, type CheckRunOptions } from './checks.js';
import { escapeFromFolder } from './confine.js';
import type { ClusterConnection } from './connection.js';
import { loadKubeConfig } from './kube.js';
import { Redactor } from './redact.js';
import { blockSucceeded, runBlock, type ShellSession } from './runner.js';
import { authoredNames, authoredTexts } from './authored.js';
import { blockFailure } from './step-failure.js';
import { serviceLocator, type ServiceFactories } from './services.js';
import { findOnPath, INSTALL_HINTS } from './tools.js';
import { pauseAfterBlock } from './docusaurus-blocks.js';
import { runHookCheck, type HookPhase } from './hooks.js';
import { blockSkipReason } from './needs.js';
import { withClusterName } from './cluster-name.js';
import { topLevelCommands } from './shell-commands.js';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from './lesson-parser.js';
import { NOT_EVALUATED, type CheckResult, type CheckSpec, type CommandBlock, type EngineListener, type Lesson, type Step, type StepStatus, type Workshop } from './types.js';
import { learnerLanguageOf, translatorFor } from './i18n/lesson-translation.js';

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

export interface CheckOutcome {
  spec: CheckSpec;
  result: CheckResult;
  durationMs: number;
}

export interface CommandsOutcome {
  ok: boolean;
  /** Why the commands did not succeed, in one line. */
  error?: string;
  /** eks-workshop-v2 hooks run around the blocks, each a check with its own verdict. */
  hookChecks?: CheckOutcome[];
  /** Blocks shown but not run here, with why (counted in reports, never dropped). */
  notRun?: NotRunBlock[];
}

export interface NotRunBlock {
  line: number;
  reason: string;
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

export interface RunChecksOptions {
  /** Evaluated once before the step's commands (validate --prove): every check answers, none is cut short. */
  probe?: boolean;
  /** A step none of whose objects exist yet is said to be so at once (`c`, `kubelab check`). */
  nothingYet?: boolean;
  /** With a timeout of 0: a wrong value is watched until it settles, then said as a failure. */
  confirmWrong?: boolean;
  /** Every check answers for itself: a failure does not cut the others short (a lesson's mutation tests). */
  every?: boolean;
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

/** TEST_OUTPUT for a hook is the block's stdout, up to this much (a block may print a great deal). */
const MAX_TEST_OUTPUT_CHARS = 1_000_000;

/** Passed or not applicable: nothing for the learner to fix. */
export const checkSatisfied = (result: CheckResult): boolean => result.status === 'pass' || result.status === 'skip';

type BaseContext = Omit<CheckContext, 'signal' | 'lessonDir'>;

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
  private lessonInShell?: string;
  private contextPromise?: Promise<BaseContext>;
  /** Lessons whose setup has run in this session, with when they started. */
  private readonly lessonsStarted = new Map<string, number>();
  private readonly lessonsPrepared = new Set<string>();
  /** Lessons whose eks-workshop-v2 suite `before` hooks have run in this session. */
  private readonly suitesStarted = new Set<string>();
  private readonly suitesEnded = new Set<string>();

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
  }

  get connection(): ClusterConnection {
    return this.options.connection;
  }

  /**
   * Reads the kubeconfig again at the next check: a cluster recreated under the same name (a new
   * `cluster up` after `cluster down`) has a new address and CA in the same file.
   */
  reloadCredentials(): void {
    this.contextPromise = undefined;
  }

  /** Every event leaves the session through here, redacted (output lines were, line by line, by the runner). */
  private emit: EngineListener = (event) => this.options.emit(event.type === 'output' ? event : this.redactor.value(event));

  applies(item: { providers?: string[] }): boolean {
    return !item.providers || item.providers.includes(this.options.connection.provider);
  }

  /** The blocks that run here: for this provider, not shown-only, nothing the cluster lacks. */
  blocksFor(step: Step): CommandBlock[] {
    return step.blocks.filter((b) => this.applies(b) && !blockSkipReason(b, this.options.connection.provider, this.options.connection.simulated));
  }

  checksFor(step: Step): CheckSpec[] {
    return step.checks.filter((c) => this.applies(c));
  }

  /**
   * Whether a step needs its cluster to exist before it runs. It does not only when it has checks
   * here and each declares `needsCluster: false`, and no setup script or hook could reach the
   * cluster; anything unknown counts as needing it, so nothing runs early on a guess.
   */
  needsCluster(lesson: Lesson, step: Step): boolean {
    const checks = this.checksFor(step);
    if (!checks.length || lesson.setup || lesson.suiteHooks?.before.length || step.setup || step.blocks.some((b) => b.hook)) return true;
    return checks.some((c) => this.options.checkers.get(c.checker)?.needsCluster !== false);
  }

  /** Tools the lesson needs on this provider that are not on PATH, each with how to install it. */
  missingTools(lesson: Lesson): string[] {
    const { t } = translatorFor(lesson);
    return lesson.tools
      .filter((tool) => this.applies(tool) && !findOnPath(tool.name, this.shell.env))
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
    if (lesson.setup) {
      const setup = await this.runScript(lesson, undefined, lesson.setup, signal);
      if (!setup.ok) return setup;
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
      // A folder's tests/hook-suite.sh `before` runs ahead of its first page, once.
      if (lesson.suiteHooks?.before.length && !this.suitesStarted.has(lesson.id)) {
        this.suitesStarted.add(lesson.id);
        for (const script of lesson.suiteHooks.before) {
          const outcome = await this.suiteHook(lesson, at, script, 'before', signal);
          suiteChecks.push(outcome);
          if (!checkSatisfied(outcome.result)) {
            return result({ status: 'failed', commands: { ok: false, error: outcome.result.message }, checks: suiteChecks, error: outcome.result.message });
          }
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
      if (step.setup) commands = await this.runScript(lesson, step, step.setup, signal);
      // Even a step whose checks passed too early runs its commands: later steps build on them.
      if (commands.ok) commands = await this.runCommands(lesson, step, signal);
      await options.afterCommands?.(commands);
    }
    let stepChecks: CheckOutcome[] = [];
    if (commands.ok && !signal.aborted) stepChecks = await this.runChecks(lesson, step, signal, options.checkTimeoutMs, { nothingYet: mode === 'checks' });
    else if (!signal.aborted) stepChecks = this.notEvaluated(lesson, step, commands.error ? `the step's commands did not succeed (${commands.error.split(';')[0]})` : "the step's commands did not succeed");
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

  /** Runs the step's commands in order; stops at the first that does not end as the lesson expects. */
  async runCommands(lesson: Lesson, step: Step, signal: AbortSignal): Promise<CommandsOutcome> {
    // Each lesson starts in its own folder (its manifests are relative paths); within a lesson a
    // `cd` carries over, as in a real shell.
    if (this.lessonInShell !== lesson.id) {
      this.shell.cwd = lesson.dir;
      this.lessonInShell = lesson.id;
    }
    const at = { lessonId: lesson.id, stepId: step.id };
    const provider = this.options.connection.provider;
    const hookChecks: CheckOutcome[] = [];
    const notRun: NotRunBlock[] = [];
    const hook = async (block: CommandBlock, phase: HookPhase, testOutput?: string): Promise<CheckOutcome> => {
      const outcome = await runHookCheck({
        script: block.hook!.script,
        phase,
        timeoutSeconds: block.hook!.timeoutSeconds,
        needs: block.hook!.needs,
        shell: this.shell,
        testOutput,
        signal,
        redactor: this.redactor,
        at,
        location: block.location,
        provider,
        simulated: this.options.connection.simulated,
        emit: this.emit,
      });
      hookChecks.push(outcome);
      return outcome;
    };
    const stopped = (error: string | undefined): CommandsOutcome => ({ ok: false, error, hookChecks, notRun });
    for (const [blockIndex, block] of step.blocks.entries()) {
      // provider= blocks belong to other providers' version of the lesson: not this one's content.
      if (!this.applies(block)) continue;
      const reason = blockSkipReason(block, provider, this.options.connection.simulated);
      // A block's hooks go with it: said, so no check silently disappears.
      const skip = reason && block.hook ? `${reason} (its hook=${block.hook.name} is not run either)` : reason;
      if (skip) {
        notRun.push({ line: block.location.line, reason: skip });
        this.emit({ type: 'block-skipped', ...at, blockIndex, code: block.code, reason: skip, line: block.location.line });
        continue;
      }
      if (block.hook) {
        const before = await hook(block, 'before');
        if (!checkSatisfied(before.result)) return stopped(before.result.message);
      }
      // A lesson written for the usual cluster acts on the learner's own (--name) instead.
      const code = withClusterName(block.code, this.options.clusterName);
      const commands = topLevelCommands(code);
      this.emit({ type: 'block-start', ...at, blockIndex, code, expect: block.expect });
      // The after-hook reads what the block printed on stdout, as eks-workshop-v2's TEST_OUTPUT.
      const stdout: string[] = [];
      let stdoutChars = 0;
      const result = await this.ports.runBlock(code, this.shell, {
        timeoutMs: block.timeoutSeconds * 1000,
        expect: block.expect,
        expectOutput: block.expectOutput,
        signal,
        redactor: this.redactor,
        onLine: (stream, line) => {
          if (block.hook && stream === 'stdout' && stdoutChars < MAX_TEST_OUTPUT_CHARS) {
            stdout.push(line);
            stdoutChars += line.length + 1;
          }
          this.emit({ type: 'output', ...at, blockIndex, stream, line });
        },
        ...(commands.length > 1 && { onCommand: (index: number) => this.emit({ type: 'command-start', ...at, blockIndex, code: commands[index] ?? '' }) }),
      });
      this.emit({ type: 'block-end', ...at, blockIndex, exitCode: result.exitCode, outcome: result.outcome, durationMs: result.durationMs });
      // A block may have exported a secret (TOKEN=$(kubectl create token …)): hide its value from now on.
      this.redactor.rememberEnv(this.shell.env);
      if (!blockSucceeded(result.outcome)) {
        const error = blockFailure(lesson, block, result);
        return stopped(error && this.redactor.text(error));
      }
      if (block.hook) {
        const after = await hook(block, 'after', stdout.join('\n'));
        if (!checkSatisfied(after.result)) return stopped(after.result.message);
      }
      if (block.waitSeconds) await pauseAfterBlock(block.waitSeconds, signal);
    }
    return { ok: true, hookChecks, notRun };
  }

  /**
   * The `after` of the suite hooks that end with this lesson, once: after its last step, or — as
   * their test tool runs it whatever happened — when the lesson stopped early or could not run.
   */
  async finishSuites(lesson: Lesson, step: Step, signal: AbortSignal): Promise<CheckOutcome[]> {
    if (!lesson.suiteHooks?.after.length || this.suitesEnded.has(lesson.id) || signal.aborted) return [];
    this.suitesEnded.add(lesson.id);
    const outcomes: CheckOutcome[] = [];
    for (const script of lesson.suiteHooks.after) outcomes.push(await this.suiteHook(lesson, { lessonId: lesson.id, stepId: step.id }, script, 'after', signal));
    return outcomes;
  }

  private suiteHook(lesson: Lesson, at: { lessonId: string; stepId: string }, script: string, phase: HookPhase, signal: AbortSignal): Promise<CheckOutcome> {
    return runHookCheck({
      script,
      phase,
      timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS,
      shell: this.shell,
      signal,
      redactor: this.redactor,
      at,
      location: { file: lesson.file, line: 1, column: 1 },
      provider: this.options.connection.provider,
      simulated: this.options.connection.simulated,
      emit: this.emit,
    });
  }

  /** Runs a zx setup/cleanup script from the lesson folder with the session's environment. */
  async runScript(lesson: Lesson, step: Step | undefined, script: string, signal: AbortSignal): Promise<CommandsOutcome> {
    // Loading refuses such a workshop already; this is the last line, right before node runs it.
    const escape = escapeFromFolder(this.options.workshop.dir, lesson.dir, script);
    if (escape) return { ok: false, error: `refused to run ${escape}` };
    // zx (and its `$` global) come from kubelab's install, wherever the workshop folder is.
    const preload = join(kubelabHome(), 'dist', 'zx-globals.js');
    const block = `node ${existsSync(preload) ? `--import ${JSON.stringify(pathToFileURL(preload).href)} ` : ''}${JSON.stringify(join(lesson.dir, script))}`;
    const at = { lessonId: lesson.id, stepId: step?.id ?? '(lesson)' };
    const result = await this.ports.runBlock(block, { env: { ...this.shell.env }, cwd: lesson.dir }, {
      timeoutMs: 300_000,
      expect: 'success',
      signal,
      redactor: this.redactor,
      onLine: (stream, line) => this.emit({ type: 'output', ...at, blockIndex: -1, stream, line }),
    });
    return blockSucceeded(result.outcome) ? { ok: true } : { ok: false, error: this.redactor.text(`${script} failed: ${result.tail.slice(-1)[0] ?? result.outcome}`) };
  }

  private async baseContext(): Promise<BaseContext> {
    this.contextPromise ??= (async () => {
      const { connection } = this.options;
      const kubeConfig = await this.ports.loadKubeConfig(connection);
      const variables = this.variables;
      return {
        kubeConfig,
        kubeConfigFor: (context: string) => {
          const kc = new (kubeConfig.constructor as new () => KubeConfig)();
          kc.loadFromFile(connection.kubeconfig);
          if (!kc.getContextObject(context)) throw new Error(`context "${context}" is not in kubelab's kubeconfig`);
          kc.setCurrentContext(context);
          return kc;
        },
        service: serviceLocator(this.options.services ?? {}, variables),
        variables,
        connection,
      };
    })();
    return this.contextPromise;
  }

  /** A context for checks that never talk to the cluster, usable before one exists. */
  private offlineContext(): BaseContext {
    const refuse = (): never => {
      throw new Error('this check may not use the cluster (it declares needsCluster: false)');
    };
    // Any use of the credentials fails loudly; merely passing the context around does not.
    const kubeConfig = new Proxy({}, { get: refuse }) as KubeConfig;
    return {
      kubeConfig,
      kubeConfigFor: refuse,
      service: serviceLocator(this.options.services ?? {}, this.variables),
      variables: this.variables,
      connection: this.options.connection,
    };
  }

  /**
   * Evaluates the step's checks side by side, each waiting up to `timeoutMs` (its own timeout when
   * undefined; 0 evaluates once, and confirms a wrong value by letting it settle). The first check
   * that fails decides the step: the others stop there, each saying it was not decided and why.
   * With `nothingYet`, a step none of whose objects exist is said to be so at once rather than
   * waited on. Outcomes come back in the step's order.
   */
  async runChecks(lesson: Lesson, step: Step, signal: AbortSignal, timeoutMs?: number, options: RunChecksOptions = {}): Promise<CheckOutcome[]> {
    const probe = options.probe ? { probe: true } : {};
    const at = { lessonId: lesson.id, stepId: step.id };
    const specs = this.checksFor(step);
    if (specs.length === 0) return [];
    let base: BaseContext | undefined;
    let contextError: string | undefined;
    try {
      base = await this.baseContext();
    } catch (error) {
      contextError = describeMissingCluster(error as NodeJS.ErrnoException);
      this.contextPromise = undefined;
    }
    for (const spec of specs) this.emit({ type: 'check-start', ...at, checkId: spec.id, checker: spec.checker, ...probe });
    // One abort for the step: Ctrl-C (the caller's signal) or a check that failed. Each check
    // hangs one listener on it and takes it off when done, so many checks raise no warning.
    const step$ = new AbortController();
    setMaxListeners(specs.length + 10, step$.signal);
    const forwardAbort = () => step$.abort();
    if (signal.aborted) step$.abort();
    else signal.addEventListener('abort', forwardAbort, { once: true });
    let decidedBy: string | undefined;
    const evaluate = async (spec: CheckSpec, checker: Checker<any> | undefined, context: BaseContext | undefined, checkTimeoutMs: number, confirmWrong = options.confirmWrong): Promise<CheckResult> => {
      if (!checker) return { status: 'error', message: `unknown checker "${spec.checker}" (run kubelab lint)` };
      if (!context) return { status: 'error', message: contextError!, hint: 'Start it with the lesson step that creates it, or run: kubelab cluster up' };
      const own = new AbortController();
      const stop = () => own.abort();
      if (step$.signal.aborted) own.abort();
      else step$.signal.addEventListener('abort', stop, { once: true });
      try {
        return await this.ports.evaluateCheck(spec, checker, { ...context, signal: own.signal, lessonDir: lesson.dir, language: learnerLanguageOf(lesson) }, {
          timeoutMs: checkTimeoutMs,
          signal: own.signal,
          confirmWrong,
          onProgress: (r, remainingMs) => this.emit({ type: 'check-progress', ...at, checkId: spec.id, result: r, remainingMs }),
        });
      } finally {
        step$.signal.removeEventListener('abort', stop);
      }
    };
    const contextFor = (checker: Checker<any> | undefined) => base ?? (checker?.needsCluster === false ? this.offlineContext() : undefined);
    try {
      if (options.nothingYet) {
        const nothing = await this.nothingCreatedYet(specs, (spec) => {
          const checker = this.options.checkers.get(spec.checker);
          // A first look only: whether anything is there at all, not yet whether it is right.
          return evaluate(spec, checker, contextFor(checker), 0, false);
        });
        if (nothing) {
          return specs.map((spec, i) => {
            const result = this.redactor.value(nothing[i]);
            this.emit({ type: 'check-end', ...at, checkId: spec.id, result, durationMs: 0, ...probe });
            return { spec, result, durationMs: 0 };
          });
        }
      }
      return await Promise.all(
        specs.map(async (spec): Promise<CheckOutcome> => {
          const started = performance.now();
          const checker = this.options.checkers.get(spec.checker);
          let result = await evaluate(spec, checker, contextFor(checker), timeoutMs ?? spec.timeoutSeconds * 1000);
          // --prove wants every check's answer before the step, so nothing is cut short there.
          if (result.status === 'fail' && !decidedBy && !options.probe && !options.every) {
            decidedBy = spec.id;
            step$.abort();
          } else if (decidedBy && decidedBy !== spec.id && !signal.aborted && !['pass', 'skip', 'fail'].includes(result.status)) {
            result = { status: 'pending', message: `not decided: the step already failed on ${decidedBy}` };
          }
          result = this.redactor.value(result);
          const durationMs = Math.round(performance.now() - started);
          const unprovable = options.probe && spec.unprovable ? { unprovable: spec.unprovable } : {};
          this.emit({ type: 'check-end', ...at, checkId: spec.id, result, durationMs, ...probe, ...unprovable });
          return { spec, result, durationMs };
        }),
      );
    } finally {
      signal.removeEventListener('abort', forwardAbort);
    }
  }

  /** The step's checks, each said not to have run and why (a failed command leaves them unknown, not failed). */
  private notEvaluated(lesson: Lesson, step: Step, why: string): CheckOutcome[] {
    const at = { lessonId: lesson.id, stepId: step.id };
    return this.checksFor(step).map((spec) => {
      const result: CheckResult = this.redactor.value({ status: 'skip', message: `${NOT_EVALUATED}${why}` });
      this.emit({ type: 'check-start', ...at, checkId: spec.id, checker: spec.checker });
      this.emit({ type: 'check-end', ...at, checkId: spec.id, result, durationMs: 0 });
      return { spec, result, durationMs: 0 };
    });
  }

  /**
   * Each check's answer now, when none of them finds anything: what the step creates is not there
   * (the learner pressed `c` before running it). Undefined when anything exists or already passes.
   */
  private async nothingCreatedYet(specs: CheckSpec[], once: (spec: CheckSpec) => Promise<CheckResult>): Promise<CheckResult[] | undefined> {
    const now = await Promise.all(specs.map(once));
    if (!now.every((r) => r.status === 'pending' && r.state === 'missing')) return undefined;
    return now.map((r) => ({ ...r, message: `nothing created yet — did you run the step? (${r.message})` }));
  }
}

/** "No cluster yet" in words, not an ENOENT with a path. */
function describeMissingCluster(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'there is no cluster yet: it is created by the lesson step that starts it (or by kubelab cluster up)';
  return `cannot load the cluster credentials: ${error.message}`;
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
