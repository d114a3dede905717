import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Is the process a pid file names still the one that was started? PIDs are recycled: after a
 * reboot or a crash, a stale pid file may name someone else's process, and signalling it would
 * kill an unrelated program. A process is ours only if its executable is the expected binary and
 * it started when the pid was recorded.
 */

/** Linux reports process start times in clock ticks of USER_HZ, which is 100 on every Linux ABI. */
const TICKS_PER_SECOND = 100;
/** A process starts just before its pid file is written; on a loaded machine "just" can be seconds. */
const START_BEFORE_PIDFILE_MS = 60_000;
/** Start times have a resolution of one tick, and mtimes are rounded by some filesystems. */
const START_AFTER_PIDFILE_MS = 1_500;

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks after boot at which the process started. */
  startTicks: number;
}

/** The start time (ticks after boot) and state of a live process; undefined when gone or a zombie. */
export function processStartTicks(pid: number): number | undefined {
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

function bootTimeMs(): number {
  const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
  return btime ? Number(btime[1]) * 1000 : 0;
}

/** When the process started, as a wall-clock time in ms. */
export function processStartedAtMs(startTicks: number): number {
  return bootTimeMs() + (startTicks * 1000) / TICKS_PER_SECOND;
}

/** The program a process runs: argv[0] as started, and the executable the kernel resolved. */
export function processProgram(pid: number): { argv0?: string; exe?: string } {
  let argv0: string | undefined;
  let exe: string | undefined;
  try {
    argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] || undefined;
  } catch {
    // Gone.
  }
  try {
    exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    // Gone, or another user's.
  }
  return { argv0, exe };
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export interface Expectation {
  /** Paths the component's binary may have been started from (a copy or a link in the cluster folder, or the cache). */
  binaries: string[];
  /** The start time recorded when kubelab saw the process start, if it did. */
  recorded?: ProcessIdentity;
  /** When the pid file was written (ms), the fallback when nothing was recorded. */
  pidFileMtimeMs?: number;
}

export type Verdict = { ours: true } | { ours: false; gone: boolean; why: string };

/** Decides whether `pid` is the component's process. Reads /proc only; never signals. */
export function identify(pid: number, expect: Expectation): Verdict {
  const startTicks = processStartTicks(pid);
  if (startTicks === undefined) return { ours: false, gone: true, why: `process ${pid} is gone` };
  const { argv0, exe } = processProgram(pid);
  const wanted = new Set(expect.binaries.flatMap((b) => [b, real(b)]));
  const names = new Set(expect.binaries.map((b) => basename(b)));
  // argv[0] is the path kwokctl started, which names this cluster's folder; the executable alone
  // (often a link into the shared cache) would also match another cluster's component.
  const runsBinary = argv0 !== undefined ? wanted.has(argv0) : exe !== undefined && wanted.has(real(exe));
  if (!runsBinary) {
    const what = argv0 ? basename(argv0) : exe ? basename(exe) : 'unknown';
    return { ours: false, gone: false, why: `pid ${pid} is now another program (${what}${names.has(what) ? ' from elsewhere' : ''})` };
  }
  if (expect.recorded && expect.recorded.pid === pid) {
    return expect.recorded.startTicks === startTicks
      ? { ours: true }
      : { ours: false, gone: false, why: `pid ${pid} was reused by a process started later` };
  }
  if (expect.pidFileMtimeMs !== undefined) {
    const startedAt = processStartedAtMs(startTicks);
    const offset = startedAt - expect.pidFileMtimeMs;
    if (offset > START_AFTER_PIDFILE_MS || offset < -START_BEFORE_PIDFILE_MS) {
      return { ours: false, gone: false, why: `pid ${pid} started at another time than its pid file was written` };
    }
  }
  return { ours: true };
}
