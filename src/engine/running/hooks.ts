import { basename } from 'node:path';
import type { Redactor } from './redact.js';
import { runBlock, type ShellSession } from './runner.js';
import { providerLacks } from '../needs.js';
import type { BlockHook, CheckResult, CheckSpec, EngineListener, ProviderName, SourceLocation } from '../types.js';

/**
 * eks-workshop-v2's test hooks as kubelab checks. A hook is a bash script called as
 * `bash tests/hook-NAME.sh before|after` (the script dispatches on its argument); `after` gets the
 * block's standard output in TEST_OUTPUT. Exit 0 passes; anything else fails, with the script's
 * own words as the message — that is how their hooks assert.
 */

export type HookPhase = 'before' | 'after';

export interface HookRun {
  script: string;
  phase: HookPhase;
  timeoutSeconds: number;
  /** The session's shell: the hook sees its variables and starts in its folder, and changes neither. */
  shell: ShellSession;
  /** For `after`: what the block printed on stdout. */
  testOutput?: string;
  signal: AbortSignal;
  redactor: Redactor;
  onLine?(stream: 'stdout' | 'stderr', line: string): void;
}

export interface HookOutcome {
  result: CheckResult;
  durationMs: number;
}

/** The check id a hook shows under: `hook:ready:after`, `hook:suite:before`. */
export function hookCheckId(script: string, phase: HookPhase): string {
  const name = basename(script).replace(/^hook-/, '').replace(/\.sh$/, '');
  return `hook:${name}:${phase}`;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Bash's own report of a job the stop killed ("line 5:  812 Terminated  sleep 30"): not the hook's words. */
const STOP_NOTICE = /^(?:.*line \d+:\s+)?(?:\d+\s+)?(?:Terminated|Killed)(?:\s|$)/;

export async function runHook(run: HookRun): Promise<HookOutcome> {
  const env = { ...run.shell.env };
  if (run.testOutput !== undefined) env.TEST_OUTPUT = run.testOutput;
  const lines: string[] = [];
  const result = await runBlock(`bash ${quote(run.script)} ${run.phase}`, { env, cwd: run.shell.cwd }, {
    timeoutMs: run.timeoutSeconds * 1000,
    expect: 'success',
    signal: run.signal,
    redactor: run.redactor,
    onLine: (stream, line) => {
      lines.push(line);
      run.onLine?.(stream, line);
    },
  });
  const label = `${basename(run.script)} ${run.phase}`;
  const last = lines.filter((l) => l.trim()).slice(-1)[0];
  const output = lines.slice(-20).join('\n');
  let check: CheckResult;
  switch (result.outcome) {
    case 'ok':
      check = { status: 'pass', message: last ? `${label}: ${last}` : `${label}: passed` };
      break;
    case 'timeout': {
      const said = lines.filter((l) => l.trim() && !STOP_NOTICE.test(l.trim())).slice(-1)[0];
      check = { status: 'fail', message: `${label}: did not finish within ${run.timeoutSeconds} s${said ? ` (last output: ${said})` : ''}`, actual: output || undefined, hint: 'The hook waits for a state the cluster did not reach; its output says what it waited for.' };
      break;
    }
    case 'aborted':
      check = { status: 'error', message: `${label}: interrupted` };
      break;
    default:
      check = { status: 'fail', message: `${label}: exit code ${result.exitCode}${last ? `: ${last}` : ''}`, actual: output || undefined };
  }
  return { result: check, durationMs: result.durationMs };
}

/** A hook the provider cannot run (it execs into a container on simulated nodes): a skip that says why. */
export function hookUnavailable(hook: BlockHook, provider: ProviderName, simulated?: boolean): CheckResult | undefined {
  if (!providerLacks(hook.needs, provider, simulated)) return undefined;
  return { status: 'skip', message: `${basename(hook.script)} not run on ${provider}: ${hook.needs!.reason}` };
}

/** The check a hook call shows as: id `hook:NAME:PHASE`, checker `hook`, in reports like any check. */
export function hookSpec(script: string, phase: HookPhase, timeoutSeconds: number, location: SourceLocation): CheckSpec {
  return { id: hookCheckId(script, phase), checker: 'hook', args: { script, phase }, timeoutSeconds, location };
}

export interface HookCheckRun extends Omit<HookRun, 'onLine'> {
  at: { lessonId: string; stepId: string };
  location: SourceLocation;
  provider: ProviderName;
  /** The cluster's nodes are simulated (kwok), whatever the provider. */
  simulated?: boolean;
  needs?: BlockHook['needs'];
  emit: EngineListener;
}

/**
 * One hook call as a check: check-start, its output as the step's output, check-end with the
 * verdict — or a skip saying why when the provider cannot run what the script does.
 */
export async function runHookCheck(run: HookCheckRun): Promise<{ spec: CheckSpec; result: CheckResult; durationMs: number }> {
  const spec = hookSpec(run.script, run.phase, run.timeoutSeconds, run.location);
  run.emit({ type: 'check-start', ...run.at, checkId: spec.id, checker: spec.checker });
  const unavailable = hookUnavailable({ name: spec.id, script: run.script, timeoutSeconds: run.timeoutSeconds, needs: run.needs }, run.provider, run.simulated);
  const outcome = unavailable
    ? { result: unavailable, durationMs: 0 }
    : await runHook({ ...run, onLine: (stream, line) => run.emit({ type: 'output', ...run.at, blockIndex: -1, stream, line }) });
  run.emit({ type: 'check-end', ...run.at, checkId: spec.id, result: outcome.result, durationMs: outcome.durationMs });
  return { spec, ...outcome };
}
