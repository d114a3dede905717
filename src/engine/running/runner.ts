import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { textMatches } from '../pattern.js';
import { startGroup } from './process.js';
import { topLevelCommands } from '../shell-commands.js';
import { learnSecretsScript, secretNames, ShellSecretFeed } from './shell-secrets.js';
import type { Redactor } from './redact.js';
import type { BlockOutcome } from '../types.js';

export interface ShellSession {
  /** The environment the next block starts with; blocks change it, as in a real shell. */
  env: Record<string, string>;
  cwd: string;
}

export interface RunOptions {
  timeoutMs: number;
  expect: 'success' | 'fail';
  /** With expect 'fail': a substring or /pattern/ the output (stdout and stderr) must show. */
  expectOutput?: string;
  signal: AbortSignal;
  redactor: Redactor;
  onLine(stream: 'stdout' | 'stderr', line: string): void;
  /** A block of several commands: called as each starts, with its index in `topLevelCommands(code)`. */
  onCommand?(index: number): void;
}

/** Printed on stdout before each command of a multi-command block; never shown as output. */
const COMMAND_MARK = '\u001ekubelab-command ';

/** The block with a mark before each of its top-level commands, when there are several. */
function markCommands(code: string, marked: boolean): string {
  const commands = marked ? topLevelCommands(code) : [];
  if (commands.length < 2) return code;
  return commands.map((command, i) => `printf '${COMMAND_MARK}%d\\n' ${i}\n${command}`).join('\n');
}

export interface RunResult {
  exitCode: number | undefined;
  outcome: BlockOutcome;
  durationMs: number;
  /** The last lines of output (redacted), for reports and error messages. */
  tail: string[];
  /** The command of the block that failed (redacted), when bash could say which. */
  failedCommand?: string;
}

const TAIL_LINES = 20;
/** Output kept to look for `expectOutput`; a failure message is near the end, so the end is kept. */
const OUTPUT_KEPT = 256 * 1024;
const SHELL_NOISE = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD', '__KUBELAB_ENV_FILE', '__KUBELAB_LEARN_FILE', 'BASHOPTS', 'SHELLOPTS', 'BASH_EXECUTION_STRING']);

function parseEnv(dump: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of dump.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (!SHELL_NOISE.has(name) && !name.startsWith('BASH_FUNC_')) env[name] = entry.slice(eq + 1);
  }
  return env;
}

function lines(stream: Readable | null, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  reader.on('line', onLine);
  // A stream destroyed after the bounded drain closes without ending: readline would wait on.
  return new Promise((resolve) => {
    reader.once('close', resolve);
    stream.once('close', () => {
      reader.close();
      resolve();
    });
  });
}

/**
 * Runs one block with `bash -e -o pipefail`, streaming its lines. Variables it sets (set -a exports
 * them) and the directory it ends in carry into the session for the next block. On abort or
 * timeout the whole process tree is killed.
 */
export async function runBlock(code: string, session: ShellSession, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const scratch = await mkdtemp(join(tmpdir(), 'kubelab-run-'));
  const envFile = join(scratch, 'env');
  const secretsFile = join(scratch, 'secrets');
  const script = [
    learnSecretsScript('__KUBELAB_LEARN_FILE', secretNames(code, session.env)),
    'set -a',
    `trap '__kubelab_status=$?; env -0 > "$__KUBELAB_ENV_FILE"; pwd > "$__KUBELAB_ENV_FILE.pwd"; exit $__kubelab_status' EXIT`,
    // Which command of the block failed, for the message (set -e stops right after it).
    `trap 'printf %s "$BASH_COMMAND" > "$__KUBELAB_ENV_FILE.failed"' ERR`,
    markCommands(code, Boolean(options.onCommand)),
  ].join('\n');
  const tail: string[] = [];
  let output = '';
  // What the last block wrote under the workspace is known before this one prints anything.
  options.redactor.refreshNow();
  const secrets = new ShellSecretFeed(secretsFile);
  const emit = (stream: 'stdout' | 'stderr') => (raw: string) => {
    // A secret the block set a moment ago is known before the line that may print it.
    options.redactor.rememberEnv(secrets.take());
    if (stream === 'stdout' && raw.startsWith(COMMAND_MARK)) return options.onCommand?.(Number(raw.slice(COMMAND_MARK.length)));
    const line = options.redactor.line(raw);
    if (options.expectOutput !== undefined) output = `${output}${line}\n`.slice(-OUTPUT_KEPT);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine(stream, line);
  };

  // The block leads its own process group: stopping it (Ctrl-C, timeout) reaches kubectl and any
  // background job it started, and when it ends its leftover jobs are ended with it.
  const run = startGroup('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd: session.cwd,
    env: { ...session.env, __KUBELAB_ENV_FILE: envFile, __KUBELAB_LEARN_FILE: secretsFile },
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  });

  try {
    const [result] = await Promise.all([run.finish(), lines(run.child.stdout, emit('stdout')), lines(run.child.stderr, emit('stderr'))]);
    const stopped = run.stopped();
    const escaped = run.escaped();
    // Said where the learner reads the block's output: something ran that the block did not wait for.
    if (escaped.length) emit('stderr')(`kubelab stopped ${escaped.length} process(es) this block left running outside its process group: ${escaped.map((p) => `${p.pid} ${p.command.slice(0, 60)}`).join('; ')}`);
    const exitCode = typeof result.exitCode === 'number' ? result.exitCode : undefined;
    if (!stopped) {
      const dump = await readFile(envFile, 'utf8').catch(() => undefined);
      if (dump !== undefined) session.env = parseEnv(dump);
      const cwd = await readFile(`${envFile}.pwd`, 'utf8').catch(() => undefined);
      if (cwd?.trim()) session.cwd = cwd.trim();
    }
    const failed = exitCode !== 0 && !stopped ? (await readFile(`${envFile}.failed`, 'utf8').catch(() => '')).trim() : '';
    let outcome: BlockOutcome;
    if (stopped) outcome = stopped;
    else if (options.expect === 'fail') {
      if (exitCode === 0) outcome = 'unexpected-success';
      else outcome = options.expectOutput === undefined || outputShows(options.expectOutput, output) ? 'expected-failure' : 'wrong-failure';
    }
    else outcome = exitCode === 0 ? 'ok' : 'failed';
    return { exitCode, outcome, durationMs: Math.round(performance.now() - started), tail, ...(failed && { failedCommand: options.redactor.text(failed) }) };
  } finally {
    secrets.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A substring, or a /pattern/flags, found in the block's output. */
export const outputShows = (pattern: string, output: string): boolean => textMatches(pattern, output);

export function blockSucceeded(outcome: BlockOutcome): boolean {
  return outcome === 'ok' || outcome === 'expected-failure';
}
