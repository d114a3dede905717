/**
 * Runs a step's plan for the session: its actions in order (setup scripts, command blocks, their
 * hooks and pauses, a format's own actions) and a lesson's (setup, suite hooks), each where the
 * plan says it applies. The session decides when; this is how.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { kubelabHome } from '../../paths.js';
import { escapeFromFolder } from '../confine.js';
import { sourceOfWorkshop } from '../lesson-source.js';
import { blockSucceeded } from './runner.js';
import { blockFailure } from './step-failure.js';
import { runHookCheck, type HookPhase } from './hooks.js';
import { placement } from '../plan.js';
import { planOf } from '../standard-plan.js';
import { withClusterName } from './cluster-name.js';
import { topLevelCommands } from '../shell-commands.js';
import { checkSatisfied, type CheckOutcome, type CommandsOutcome, type NotRunBlock, type SessionCore } from './step-outcomes.js';
import type { BlockHook, FormatAction, Lesson, LessonAction, Step } from '../types.js';

type SuiteHookAction = Extract<LessonAction, { kind: 'suite-hook' }>;

/** TEST_OUTPUT for a hook is the block's stdout, up to this much (a block may print a great deal). */
const MAX_TEST_OUTPUT_CHARS = 1_000_000;

export class PlanRunner {
  private lessonInShell?: string;

  constructor(private readonly core: SessionCore) {}

  /** Runs the step's commands in order; stops at the first that does not end as the lesson expects. */
  async runCommands(lesson: Lesson, step: Step, signal: AbortSignal): Promise<CommandsOutcome> {
    // Each lesson starts in its own folder (its manifests are relative paths); within a lesson a
    // `cd` carries over, as in a real shell.
    if (this.lessonInShell !== lesson.id) {
      this.core.shell.cwd = lesson.dir;
      this.lessonInShell = lesson.id;
    }
    const at = { lessonId: lesson.id, stepId: step.id };
    const target = this.core.target;
    const hookChecks: CheckOutcome[] = [];
    const notRun: NotRunBlock[] = [];
    const stopped = (error: string | undefined): CommandsOutcome => ({ ok: false, error, hookChecks, notRun });
    // The after-hook reads what its block printed on stdout, as eks-workshop-v2's TEST_OUTPUT.
    let lastStdout = '';
    for (const action of planOf(step).actions) {
      const here = placement(action.where, target);
      // Another provider's content is not this lesson's here; what is shown but not run is said once, at its block.
      if (!here.runs) {
        if (here.shown && action.kind !== 'hook' && action.kind !== 'pause') {
          const line = action.kind === 'block' ? step.blocks[action.blockIndex].location.line : action.location.line;
          const block = action.kind === 'block' ? step.blocks[action.blockIndex] : undefined;
          // A block's hooks go with it: said, so no check silently disappears.
          const reason = block?.hook ? `${here.reason} (its hook=${block.hook.name} is not run either)` : here.reason;
          notRun.push({ line, reason });
          this.core.emit({ type: 'block-skipped', ...at, blockIndex: action.kind === 'block' ? action.blockIndex : -1, code: block?.code ?? '', reason, line });
        }
        continue;
      }
      switch (action.kind) {
        case 'setup': {
          const outcome = await this.runScript(lesson, step, action.script, signal);
          if (!outcome.ok) return stopped(outcome.error);
          break;
        }
        case 'hook': {
          const outcome = await this.blockHook(step, action.blockIndex, action.hook, action.phase, at, signal, action.phase === 'after' ? lastStdout : undefined);
          hookChecks.push(outcome);
          if (!checkSatisfied(outcome.result)) return stopped(outcome.result.message);
          break;
        }
        case 'block': {
          const ran = await this.runPlannedBlock(lesson, step, action.blockIndex, at, signal);
          if (ran.error !== undefined) return stopped(ran.error || undefined);
          lastStdout = ran.stdout;
          break;
        }
        case 'pause':
          await pause(action.seconds, signal);
          break;
        case 'format': {
          const outcome = await this.runFormatAction(lesson, step, action, signal);
          if (!outcome.ok) return stopped(outcome.error);
          break;
        }
      }
    }
    return { ok: true, hookChecks, notRun };
  }

  /** One command block: its output streamed as events; `error` set when it did not end as the lesson expects. */
  private async runPlannedBlock(lesson: Lesson, step: Step, blockIndex: number, at: { lessonId: string; stepId: string }, signal: AbortSignal): Promise<{ error?: string; stdout: string }> {
    const block = step.blocks[blockIndex];
    // A lesson written for the usual cluster acts on the learner's own (--name) instead.
    const code = withClusterName(block.code, this.core.options.clusterName);
    const commands = topLevelCommands(code);
    this.core.emit({ type: 'block-start', ...at, blockIndex, code, expect: block.expect });
    const stdout: string[] = [];
    let stdoutChars = 0;
    const result = await this.core.ports.runBlock(code, this.core.shell, {
      timeoutMs: block.timeoutSeconds * 1000,
      expect: block.expect,
      expectOutput: block.expectOutput,
      signal,
      redactor: this.core.redactor,
      onLine: (stream, line) => {
        if (block.hook && stream === 'stdout' && stdoutChars < MAX_TEST_OUTPUT_CHARS) {
          stdout.push(line);
          stdoutChars += line.length + 1;
        }
        this.core.emit({ type: 'output', ...at, blockIndex, stream, line });
      },
      ...(commands.length > 1 && { onCommand: (index: number) => this.core.emit({ type: 'command-start', ...at, blockIndex, code: commands[index] ?? '' }) }),
    });
    this.core.emit({ type: 'block-end', ...at, blockIndex, exitCode: result.exitCode, outcome: result.outcome, durationMs: result.durationMs });
    // A block may have exported a secret (TOKEN=$(kubectl create token …)): hide its value from now on.
    this.core.redactor.rememberEnv(this.core.shell.env);
    if (!blockSucceeded(result.outcome)) return { error: this.core.redactor.text(blockFailure(lesson, block, result) ?? ''), stdout: '' };
    return { stdout: stdout.join('\n') };
  }

  private blockHook(step: Step, blockIndex: number, hook: BlockHook, phase: HookPhase, at: { lessonId: string; stepId: string }, signal: AbortSignal, testOutput?: string): Promise<CheckOutcome> {
    return runHookCheck({
      script: hook.script,
      phase,
      timeoutSeconds: hook.timeoutSeconds,
      needs: hook.needs,
      shell: this.core.shell,
      testOutput,
      signal,
      redactor: this.core.redactor,
      at,
      location: step.blocks[blockIndex].location,
      provider: this.core.options.connection.provider,
      simulated: this.core.options.connection.simulated,
      emit: this.core.emit,
    });
  }

  /** A lesson-level action of the plan: a setup script, a suite hook (a check of its own), a format's action. */
  async runLessonAction(lesson: Lesson, step: Step | undefined, action: LessonAction, signal: AbortSignal): Promise<CommandsOutcome> {
    const here = placement(action.where, this.core.target);
    if (!here.runs) return { ok: true, ...(here.shown && { notRun: [{ line: action.location.line, reason: here.reason }] }) };
    switch (action.kind) {
      case 'setup':
        return this.runScript(lesson, step, action.script, signal);
      case 'suite-hook': {
        const outcome = await this.suiteHook(lesson, { lessonId: lesson.id, stepId: step?.id ?? '(lesson)' }, action, signal);
        return checkSatisfied(outcome.result) ? { ok: true, hookChecks: [outcome] } : { ok: false, error: outcome.result.message, hookChecks: [outcome] };
      }
      case 'format':
        return this.runFormatAction(lesson, step, action, signal);
    }
  }

  /** A format's own action, run by its source's runner with the session's shell. */
  private async runFormatAction(lesson: Lesson, step: Step | undefined, action: FormatAction, signal: AbortSignal): Promise<CommandsOutcome> {
    const runner = sourceOfWorkshop(this.core.options.workshop)?.actions?.[action.type];
    if (!runner) return { ok: false, error: `no runner for "${action.type}" actions (format ${this.core.options.workshop.format ?? 'kubelab'})` };
    const at = { lessonId: lesson.id, stepId: step?.id ?? '(lesson)' };
    const outcome = await runner({
      lesson,
      step,
      action,
      target: this.core.target,
      shell: this.core.shell,
      signal,
      redactor: this.core.redactor,
      emit: this.core.emit,
      run: async (code, options = {}) => {
        const result = await this.core.ports.runBlock(code, { env: this.core.shell.env, cwd: options.cwd ?? this.core.shell.cwd }, {
          timeoutMs: options.timeoutMs ?? 300_000,
          expect: 'success',
          signal,
          redactor: this.core.redactor,
          onLine: (stream, line) => this.core.emit({ type: 'output', ...at, blockIndex: -1, stream, line }),
        });
        return { ok: blockSucceeded(result.outcome), exitCode: result.exitCode, tail: result.tail };
      },
    });
    return outcome.ok ? { ok: true } : { ok: false, error: outcome.error && this.core.redactor.text(outcome.error) };
  }

  private suiteHook(lesson: Lesson, at: { lessonId: string; stepId: string }, { script, phase, timeoutSeconds }: SuiteHookAction, signal: AbortSignal): Promise<CheckOutcome> {
    return runHookCheck({
      script,
      phase,
      timeoutSeconds,
      shell: this.core.shell,
      signal,
      redactor: this.core.redactor,
      at,
      location: { file: lesson.file, line: 1, column: 1 },
      provider: this.core.options.connection.provider,
      simulated: this.core.options.connection.simulated,
      emit: this.core.emit,
    });
  }

  /** Runs a zx setup/cleanup script from the lesson folder with the session's environment. */
  async runScript(lesson: Lesson, step: Step | undefined, script: string, signal: AbortSignal): Promise<CommandsOutcome> {
    // Loading refuses such a workshop already; this is the last line, right before node runs it.
    const escape = escapeFromFolder(this.core.options.workshop.dir, lesson.dir, script);
    if (escape) return { ok: false, error: `refused to run ${escape}` };
    // zx (and its `$` global) come from kubelab's install, wherever the workshop folder is.
    const preload = join(kubelabHome(), 'dist', 'zx-globals.js');
    const block = `node ${existsSync(preload) ? `--import ${JSON.stringify(pathToFileURL(preload).href)} ` : ''}${JSON.stringify(join(lesson.dir, script))}`;
    const at = { lessonId: lesson.id, stepId: step?.id ?? '(lesson)' };
    const result = await this.core.ports.runBlock(block, { env: { ...this.core.shell.env }, cwd: lesson.dir }, {
      timeoutMs: 300_000,
      expect: 'success',
      signal,
      redactor: this.core.redactor,
      onLine: (stream, line) => this.core.emit({ type: 'output', ...at, blockIndex: -1, stream, line }),
    });
    return blockSucceeded(result.outcome) ? { ok: true } : { ok: false, error: this.core.redactor.text(`${script} failed: ${result.tail.slice(-1)[0] ?? result.outcome}`) };
  }
}

/** A plan's pause after a block (eks-workshop-v2 `wait=S`), cut short by an abort. */
function pause(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || seconds <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, seconds * 1000);
    signal.addEventListener('abort', done, { once: true });
  });
}
