import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stateDir } from '../paths.js';
import type { ClusterConnection } from '../providers/types.js';
import type { Checker, CheckContext } from './checker.js';
import { runCheck } from './checks.js';
import { loadKubeConfig } from './kube.js';
import { Redactor } from './redact.js';
import { blockSucceeded, runBlock, type ShellSession } from './runner.js';
import { findOnPath, INSTALL_HINTS } from './tools.js';
import type { CheckResult, CheckSpec, CommandBlock, EngineListener, Lesson, Step, StepStatus, Workshop } from './types.js';

/** kubelab's own bin/ folder, found from wherever this module was bundled to. */
function kubelabBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4 && !existsSync(join(dir, 'bin', 'kubelab')); i++) dir = dirname(dir);
  return join(dir, 'bin');
}

export interface SessionOptions {
  workshop: Workshop;
  connection: ClusterConnection;
  checkers: Map<string, Checker<any>>;
  env: NodeJS.ProcessEnv;
  emit: EngineListener;
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
}

/** Passed or not applicable: nothing for the learner to fix. */
export const checkSatisfied = (result: CheckResult): boolean => result.status === 'pass' || result.status === 'skip';

/**
 * One learner's run through a workshop on one cluster: the shell environment that carries from
 * block to block, the commands, the checks. The app, `validate` and `check` all drive this and
 * watch its events.
 */
export class WorkshopSession {
  readonly shell: ShellSession;
  readonly variables: Record<string, string>;
  private readonly redactor: Redactor;
  private lessonInShell?: string;
  private contextPromise?: Promise<Omit<CheckContext, 'signal' | 'lessonDir'>>;

  constructor(private readonly options: SessionOptions) {
    const { workshop, connection, env } = options;
    const variables: Record<string, string> = { ...workshop.variables };
    for (const name of Object.keys(variables)) if (env[name]) variables[name] = env[name]!;
    Object.assign(variables, connection.variables, {
      KUBECONFIG: connection.kubeconfig,
      KUBELAB_CONTEXT: connection.context,
      KUBELAB_PROVIDER: connection.provider,
      KUBELAB_WORKSHOP_DIR: workshop.dir,
      // Files a learner makes (keys, certificates) go here, never into the lesson folder.
      KUBELAB_WORKSPACE: join(stateDir(env), 'workspace', workshop.id),
    });
    mkdirSync(variables.KUBELAB_WORKSPACE, { recursive: true, mode: 0o700 });
    this.variables = variables;
    const shellEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) shellEnv[k] = v;
    // Lesson commands call `kubelab` itself (e.g. cluster up): put this installation first on PATH.
    const path = `${kubelabBin()}${delimiter}${env.PATH ?? ''}`;
    this.shell = { env: { ...shellEnv, ...variables, PATH: path }, cwd: workshop.dir };
    this.redactor = Redactor.fromEnv(env);
  }

  get connection(): ClusterConnection {
    return this.options.connection;
  }

  applies(item: { providers?: string[] }): boolean {
    return !item.providers || item.providers.includes(this.options.connection.provider);
  }

  blocksFor(step: Step): CommandBlock[] {
    return step.blocks.filter((b) => b.run && this.applies(b));
  }

  checksFor(step: Step): CheckSpec[] {
    return step.checks.filter((c) => this.applies(c));
  }

  /** Tools the lesson needs on this provider that are not on PATH, each with how to install it. */
  missingTools(lesson: Lesson): string[] {
    return lesson.tools
      .filter((t) => this.applies(t) && !findOnPath(t.name, this.shell.env))
      .map((t) => `${t.name} (install: ${t.install ?? INSTALL_HINTS[t.name] ?? 'see the tool’s website'})`);
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
    const blocks = this.blocksFor(step);
    for (const [blockIndex, block] of blocks.entries()) {
      this.options.emit({ type: 'block-start', ...at, blockIndex, code: block.code, expect: block.expect });
      const result = await runBlock(block.code, this.shell, {
        timeoutMs: block.timeoutSeconds * 1000,
        expect: block.expect,
        expectOutput: block.expectOutput,
        signal,
        redactor: this.redactor,
        onLine: (stream, line) => this.options.emit({ type: 'output', ...at, blockIndex, stream, line }),
      });
      this.options.emit({ type: 'block-end', ...at, blockIndex, exitCode: result.exitCode, outcome: result.outcome, durationMs: result.durationMs });
      if (!blockSucceeded(result.outcome)) {
        const where = `${lesson.file}:${block.location.line}`;
        const last = result.tail.filter(Boolean).slice(-1)[0];
        const error = {
          failed: `command failed with exit code ${result.exitCode} (${where})${last ? `: ${last}` : ''}`,
          'unexpected-success': `command was expected to fail but succeeded (${where})`,
          'wrong-failure': `command failed (exit ${result.exitCode}), but not as expected: its output does not show "${block.expectOutput}" (${where})${last ? `; it said: ${last}` : ''}`,
          timeout: `command timed out after ${block.timeoutSeconds} s (${where})`,
          aborted: 'interrupted',
        }[result.outcome as 'failed' | 'unexpected-success' | 'wrong-failure' | 'timeout' | 'aborted'];
        return { ok: false, error };
      }
    }
    return { ok: true };
  }

  /** Runs a zx setup/cleanup script from the lesson folder with the session's environment. */
  async runScript(lesson: Lesson, step: Step | undefined, script: string, signal: AbortSignal): Promise<CommandsOutcome> {
    // zx (and its `$` global) come from kubelab's install, wherever the workshop folder is.
    const preload = join(dirname(kubelabBin()), 'dist', 'zx-globals.js');
    const block = `node ${existsSync(preload) ? `--import ${JSON.stringify(pathToFileURL(preload).href)} ` : ''}${JSON.stringify(join(lesson.dir, script))}`;
    const at = { lessonId: lesson.id, stepId: step?.id ?? '(lesson)' };
    const result = await runBlock(block, { env: { ...this.shell.env }, cwd: lesson.dir }, {
      timeoutMs: 300_000,
      expect: 'success',
      signal,
      redactor: this.redactor,
      onLine: (stream, line) => this.options.emit({ type: 'output', ...at, blockIndex: -1, stream, line }),
    });
    return blockSucceeded(result.outcome) ? { ok: true } : { ok: false, error: `${script} failed: ${result.tail.slice(-1)[0] ?? result.outcome}` };
  }

  private async baseContext(): Promise<Omit<CheckContext, 'signal' | 'lessonDir'>> {
    this.contextPromise ??= (async () => {
      const { connection, env } = this.options;
      const kubeConfig = await loadKubeConfig(connection);
      const k8s = await import('@kubernetes/client-node');
      const variables = this.variables;
      return {
        kubeConfig,
        kubeConfigFor: (context: string) => {
          const kc = new k8s.KubeConfig();
          kc.loadFromFile(connection.kubeconfig);
          if (!kc.getContextObject(context)) throw new Error(`context "${context}" is not in kubelab's kubeconfig`);
          kc.setCurrentContext(context);
          return kc;
        },
        eks: async () => {
          const { createEksClient } = await import('../aws/eks-client.js');
          return createEksClient({ env, region: variables.AWS_REGION });
        },
        variables,
        connection,
      };
    })();
    return this.contextPromise;
  }

  /**
   * Runs the step's checks one after another, each waiting up to `timeoutMs` (the check's own
   * timeout when undefined; 0 evaluates once).
   */
  async runChecks(lesson: Lesson, step: Step, signal: AbortSignal, timeoutMs?: number, options: { probe?: boolean } = {}): Promise<CheckOutcome[]> {
    const probe = options.probe ? { probe: true } : {};
    const at = { lessonId: lesson.id, stepId: step.id };
    const outcomes: CheckOutcome[] = [];
    let base: Omit<CheckContext, 'signal' | 'lessonDir'> | undefined;
    let contextError: string | undefined;
    try {
      base = await this.baseContext();
    } catch (error) {
      contextError = (error as Error).message;
      this.contextPromise = undefined;
    }
    for (const spec of this.checksFor(step)) {
      const started = performance.now();
      this.options.emit({ type: 'check-start', ...at, checkId: spec.id, checker: spec.checker, ...probe });
      const checker = this.options.checkers.get(spec.checker);
      let result: CheckResult;
      if (!checker) result = { status: 'error', message: `unknown checker "${spec.checker}" (run kubelab lint)` };
      else if (!base) result = { status: 'error', message: `cannot load the cluster credentials: ${contextError}`, hint: 'Run: kubelab cluster status' };
      else {
        result = await runCheck(checker, spec.args, { ...base, signal, lessonDir: lesson.dir }, {
          timeoutMs: timeoutMs ?? spec.timeoutSeconds * 1000,
          signal,
          expect: spec.expect === 'fail' ? 'fail' : 'pass',
          onProgress: (r, remainingMs) => this.options.emit({ type: 'check-progress', ...at, checkId: spec.id, result: r, remainingMs }),
        });
      }
      result = { ...result, message: this.redactor.line(result.message) };
      const durationMs = Math.round(performance.now() - started);
      this.options.emit({ type: 'check-end', ...at, checkId: spec.id, result, durationMs, ...probe });
      outcomes.push({ spec, result, durationMs });
    }
    return outcomes;
  }

  stepStatus(commands: CommandsOutcome, checks: CheckOutcome[]): StepStatus {
    return commands.ok && checks.every((c) => checkSatisfied(c.result)) ? 'passed' : 'failed';
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
