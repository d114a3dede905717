import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { execa, type Options, type Result, type ResultPromise } from 'execa';

/**
 * The one way kubelab runs a command it may have to stop: lesson blocks, setup scripts, eksctl.
 * Each command leads its own process group, so stopping it reaches everything it started; every
 * process carries a run marker in its environment, so what escaped the group (setsid, nohup in a
 * new session) can still be found in /proc.
 */

/** The environment variable that marks every process a kubelab run starts for a lesson. */
export const RUN_MARKER = 'KUBELAB_RUN_ID';

export const DEFAULT_GRACE_MS = 2000;

/**
 * A new run id. A kubelab started by a lesson step (it runs `kubelab cluster up`) extends the id it
 * inherited, so the outer run still finds the inner run's processes.
 */
export function newRunId(inherited: string | undefined): string {
  const mine = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return inherited ? `${inherited}:${mine}` : mine;
}

/** The last link of a run id: the part this kubelab process owns. */
export function ownRunId(runId: string): string {
  return runId.split(':').pop() ?? runId;
}

/** An environment without the run marker: for processes meant to outlive the run (a local cluster). */
export function unmarkedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy[RUN_MARKER];
  return copy;
}

export interface ProcessInfo {
  pid: number;
  pgid: number;
  /** The command line, for a report ("sleep 501"). */
  command: string;
}

/** Field 3 (state) and 5 (pgid) of /proc/PID/stat; the command name may hold spaces and parentheses. */
function readStat(pid: number): { state: string; pgid: number; startTicks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], pgid: Number(fields[2]), startTicks: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

function pids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

/** Live (not zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  return pids().filter((pid) => {
    const stat = readStat(pid);
    return stat !== undefined && stat.pgid === pgid && stat.state !== 'Z';
  });
}

/** Live processes whose environment carries this run's marker (or a run nested inside it). */
export function markedProcesses(runId: string): ProcessInfo[] {
  const own = ownRunId(runId);
  const found: ProcessInfo[] = [];
  for (const pid of pids()) {
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue; // Gone, or another user's.
    }
    const entry = environ.split('\0').find((e) => e.startsWith(`${RUN_MARKER}=`));
    if (!entry || !entry.slice(RUN_MARKER.length + 1).split(':').includes(own)) continue;
    const stat = readStat(pid);
    if (!stat || stat.state === 'Z') continue;
    found.push({ pid, pgid: stat.pgid, command: commandLine(pid) });
  }
  return found;
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // Already gone.
  }
}

/**
 * SIGKILLs every process of the run and their groups, at once and synchronously: this is what the
 * second Ctrl-C does right before kubelab exits, so nothing may be left to a timer.
 * Returns what it killed.
 */
export function killRun(runId: string): ProcessInfo[] {
  const found = markedProcesses(runId);
  const ownGroup = readStat(process.pid)?.pgid;
  for (const p of found) {
    // A marked process never shares kubelab's own group (each command leads its own), but a
    // process can change its group: never signal our own.
    if (p.pgid > 1 && p.pgid !== ownGroup) signal(-p.pgid, 'SIGKILL');
    signal(p.pid, 'SIGKILL');
  }
  return found;
}

/**
 * Ends a process group: SIGTERM, then SIGKILL for whatever is still there after the grace. Waits
 * until the group is empty (or the kill is sent), so nothing is left to an unref'd timer that an
 * exiting kubelab would never run.
 */
export async function endGroup(pgid: number | undefined, graceMs = DEFAULT_GRACE_MS): Promise<void> {
  if (!pgid || pgid <= 1) return;
  if (groupMembers(pgid).length === 0) return;
  signal(-pgid, 'SIGTERM');
  const emptied = () => groupMembers(pgid).length === 0;
  if (await until(emptied, graceMs)) return;
  signal(-pgid, 'SIGKILL');
  // SIGKILL cannot be ignored, but dying still takes a moment: return once they are gone.
  await until(emptied, 1000);
}

/**
 * Ends what a command left running outside its group (setsid, nohup in a new session), found by
 * its run marker: SIGTERM to each and its group, SIGKILL for what is still there after the grace.
 * Returns what it found, for the learner to read.
 */
export async function endMarked(runId: string, graceMs = DEFAULT_GRACE_MS): Promise<ProcessInfo[]> {
  const found = markedProcesses(runId);
  if (found.length === 0) return [];
  const ownGroup = readStat(process.pid)?.pgid;
  const send = (sig: NodeJS.Signals) => {
    for (const p of found) {
      if (p.pgid > 1 && p.pgid !== ownGroup) signal(-p.pgid, sig);
      signal(p.pid, sig);
    }
  };
  const gone = () => found.every((p) => { const state = readStat(p.pid)?.state; return state === undefined || state === 'Z'; });
  send('SIGTERM');
  if (await until(gone, graceMs)) return found;
  send('SIGKILL');
  await until(gone, 1000);
  return found;
}

/** No event tells us processes ended; /proc is read every 50 ms for at most `withinMs`. */
async function until(done: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (done()) return true;
  }
  return false;
}

export type StopReason = 'timeout' | 'aborted';

/**
 * How long output may still arrive after the command and everything kubelab could find of it have
 * ended. Only a process that dropped the run marker (env -i setsid …) can still hold the pipes
 * then; its output is not waited for past this.
 */
export const DRAIN_MS = 2000;

export interface GroupOptions extends Pick<Options, 'cwd' | 'env' | 'extendEnv' | 'all' | 'stdin' | 'buffer'> {
  signal: AbortSignal;
  /** Stop the command after this long (reason "timeout"). */
  timeoutMs?: number;
  graceMs?: number;
  drainMs?: number;
}

export interface GroupRun {
  child: ResultPromise<{ detached: true; reject: false }>;
  /** Why the command was stopped, once it was. */
  stopped(): StopReason | undefined;
  /** Processes it left running outside its group (found by the run marker) that were ended. */
  escaped(): ProcessInfo[];
  /**
   * Waits for the command, then for its whole group: background jobs it left behind are ended
   * too, so nothing a command started outlives it. Its output is awaited for a bounded time.
   */
  finish(): Promise<Result>;
}

/** A marked environment gets a link of its own: what this one command left behind is found apart from the run's. */
function ownLink(env: GroupOptions['env']): { env: GroupOptions['env']; marker?: string } {
  const inherited = env?.[RUN_MARKER];
  if (!inherited) return { env };
  const marker = `${inherited}:cmd-${randomBytes(4).toString('hex')}`;
  return { env: { ...env, [RUN_MARKER]: marker }, marker };
}

/**
 * Starts a command as the leader of a new process group. On abort or timeout the whole group gets
 * SIGTERM, then SIGKILL after the grace; so does whatever it started outside the group, when its
 * environment carries the run marker.
 */
export function startGroup(file: string, args: readonly string[], options: GroupOptions): GroupRun {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const { env, marker } = ownLink(options.env);
  const child = execa(file, args, {
    cwd: options.cwd,
    env,
    extendEnv: options.extendEnv ?? false,
    stdin: options.stdin ?? 'ignore',
    all: options.all,
    buffer: options.buffer ?? false,
    detached: true,
    reject: false,
    cleanup: true,
  }) as GroupRun['child'];
  const pgid = child.pid;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const escaped: ProcessInfo[] = [];
  const endAll = async () => {
    await endGroup(pgid, graceMs);
    if (marker) escaped.push(...(await endMarked(marker, graceMs)).filter((p) => !escaped.some((e) => e.pid === p.pid)));
  };
  let reason: StopReason | undefined;
  let ending: Promise<void> | undefined;
  let stopNow: (() => void) | undefined;
  const stop = (why: StopReason) => {
    if (reason) return;
    reason = why;
    ending = endAll();
    stopNow?.();
  };
  const timer = options.timeoutMs !== undefined ? setTimeout(() => stop('timeout'), options.timeoutMs) : undefined;
  const onAbort = () => stop('aborted');
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });

  return {
    child,
    stopped: () => reason,
    escaped: () => escaped,
    async finish() {
      try {
        // The leader's exit, not the end of its output: a background job may hold stdout open for
        // as long as it lives, and it is only ended after the leader is gone.
        await exited;
        await (ending ?? endAll());
        // Output still held open by something kubelab could not find ends the wait after a
        // bounded drain, or at once on timeout or abort.
        const drained = await Promise.race([
          child.then(() => true),
          new Promise<false>((resolve) => {
            const drainMs = options.drainMs ?? DRAIN_MS;
            // Stopped: what is still in the pipes comes at once, or not at all.
            const drain = setTimeout(() => resolve(false), reason ? Math.min(500, drainMs) : drainMs);
            stopNow = () => {
              clearTimeout(drain);
              resolve(false);
            };
          }),
        ]);
        if (!drained) for (const stream of [child.stdout, child.stderr, child.all]) stream?.destroy();
        await ending;
        return (await child) as Result;
      } finally {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
