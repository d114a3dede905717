import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { groupMembers, killRun, markedProcesses, newRunId, ownRunId, RUN_MARKER, startGroup, unmarkedEnv } from '../../../src/engine/running/process.js';
import { running } from '../../support/process.js';

/** Waits for a condition, never a fixed sleep: a busy machine only makes it slower. */
async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** PIDs of live processes whose command line is exactly `sleep <seconds>`. */
function sleepers(seconds: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${seconds}\0` && running(pid);
      } catch {
        return false;
      }
    });
}

/** Waits (in the command) until the last background job leads its own session: it has escaped the group. */
const ESCAPED = 'until [ "$(cut -d" " -f6 /proc/$!/stat 2>/dev/null)" = "$!" ]; do :; done';

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
});

const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra });

describe('process groups (one wrapper for every command kubelab may stop)', () => {
  it('given a command whose background job ignores SIGTERM and SIGINT, when aborted, then the job is killed after the grace and nothing of the group survives', async () => {
    const controller = new AbortController();
    const run = startGroup('bash', ['-c', `bash -c 'trap "" TERM INT; exec sleep 611' & sleep 612`], { env: env(), signal: controller.signal, graceMs: 300 });
    const [job] = await until(() => (sleepers(611).length ? sleepers(611) : undefined), 'the background job');
    leftovers.push(job);
    controller.abort();
    await run.finish();
    expect(run.stopped()).toBe('aborted');
    expect(running(job)).toBe(false);
    expect(groupMembers(run.child.pid!)).toEqual([]);
  });

  it('given a command that ends and leaves a background job behind, when it finishes, then the job is ended with it', async () => {
    const run = startGroup('bash', ['-c', `bash -c 'trap "" TERM; exec sleep 613' & echo started`], { env: env(), signal: new AbortController().signal, graceMs: 300 });
    const result = await run.finish();
    expect(result.exitCode).toBe(0);
    expect(run.stopped()).toBeUndefined();
    expect(sleepers(613)).toEqual([]);
  });

  it('given a timeout, when the command outlives it, then it is stopped with reason "timeout"', async () => {
    const started = Date.now();
    const run = startGroup('sleep', ['30'], { env: env(), signal: new AbortController().signal, timeoutMs: 200, graceMs: 300 });
    await run.finish();
    expect(run.stopped()).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the run marker (finds what escaped its process group)', () => {
  it('given a run id inherited from an outer kubelab, when a nested run starts, then its id extends the outer one and each finds its own', () => {
    const outer = newRunId(undefined);
    const inner = newRunId(outer);
    expect(inner.startsWith(`${outer}:`)).toBe(true);
    expect(ownRunId(inner)).not.toBe(ownRunId(outer));
    expect(unmarkedEnv({ [RUN_MARKER]: inner, KEEP: '1' })).toEqual({ KEEP: '1' });
  });

  it('given a marked process that escaped into its own session and an unmarked one, when the run is killed, then only the marked one dies and it is reported', async () => {
    const runId = newRunId(undefined);
    const escaped = spawn('setsid', ['sleep', '614'], { env: env({ [RUN_MARKER]: runId }), detached: true, stdio: 'ignore' });
    const bystander = spawn('sleep', ['615'], { env: env(), detached: true, stdio: 'ignore' });
    escaped.unref();
    bystander.unref();
    leftovers.push(bystander.pid!);
    const [found] = await until(() => (markedProcesses(runId).length ? markedProcesses(runId) : undefined), 'the escaped process');
    leftovers.push(found.pid);
    expect(found.command).toBe('sleep 614');
    expect(found.pgid).not.toBe(process.pid);

    const killed = killRun(runId);
    expect(killed.map((p) => p.command)).toEqual(['sleep 614']);
    await until(() => !running(found.pid), 'the escaped process to die');
    expect(running(bystander.pid!)).toBe(true);
    // A nested run's processes belong to the outer run too.
    const nested = spawn('sleep', ['616'], { env: env({ [RUN_MARKER]: newRunId(runId) }), detached: true, stdio: 'ignore' });
    nested.unref();
    leftovers.push(nested.pid!);
    await until(() => markedProcesses(runId).some((p) => p.pid === nested.pid), 'the nested process');
    killRun(runId);
    await until(() => !running(nested.pid!), 'the nested process to die');
  });
});

describe('a command whose children hold its output (issue 25, item 1)', () => {
  const marked = () => env({ [RUN_MARKER]: newRunId(undefined) });
  const within = <T>(promise: Promise<T>, ms: number, what: string) => Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not end within ${ms / 1000} s`)), ms))]);

  it('given a command that leaves a setsid child holding its stdout, when it exits, then the child is found by the run marker, listed, killed, and finish returns', async () => {
    const run = startGroup('bash', ['-c', `setsid sleep 617 & ${ESCAPED}; echo started`], { env: marked(), signal: new AbortController().signal, graceMs: 300, buffer: true });
    const result = await within(run.finish(), 30_000, 'finish');
    expect(result.exitCode).toBe(0);
    // Read from /proc at once, a process may still show setsid's command line, before its exec.
    expect(run.escaped().map((p) => p.command.replace(/^setsid /, ''))).toEqual(['sleep 617']);
    expect(sleepers(617)).toEqual([]);
  });

  it('given a child that dropped the run marker and holds stdout, when the command exits, then finish returns after the bounded drain and does not wait for it', async () => {
    const run = startGroup('bash', ['-c', 'env -u KUBELAB_RUN_ID setsid sleep 618 & echo started'], { env: marked(), signal: new AbortController().signal, graceMs: 300, drainMs: 300 });
    const [stray] = await until(() => (sleepers(618).length ? sleepers(618) : undefined), 'the unmarked child');
    leftovers.push(stray);
    const result = await within(run.finish(), 30_000, 'finish');
    expect(result.exitCode).toBe(0);
    expect(run.escaped()).toEqual([]);
    expect(running(stray)).toBe(true); // Not ours to find: only its hold on the pipes is dropped.
  });

  it('given a setsid child holding stdout, when aborted once, then the command ends as aborted and the child is gone', async () => {
    const controller = new AbortController();
    const run = startGroup('bash', ['-c', 'setsid bash -c "trap \\"\\" TERM; exec sleep 619" & sleep 620'], { env: marked(), signal: controller.signal, graceMs: 300 });
    await until(() => (sleepers(619).length ? true : undefined), 'the setsid child');
    controller.abort();
    await within(run.finish(), 30_000, 'finish');
    expect(run.stopped()).toBe('aborted');
    expect(run.escaped().map((p) => p.command.replace(/^setsid /, ''))).toEqual(['sleep 619']);
    expect(sleepers(619)).toEqual([]);
  });
});
