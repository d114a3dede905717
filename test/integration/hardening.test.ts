import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kubelab, ROOT } from '../support/cli.js';
import { running } from '../support/process.js';
import { isListening } from '../../src/providers/listeners.js';

/**
 * Issue 14, items 3–6: stale pid files never kill a stranger, two Ctrl-C leave no orphan, a dead
 * API server is exit 3 at once, and a local cluster restarts a component that died.
 */

const FIXTURE = join(ROOT, 'test', 'fixtures', 'workshops', 'hardening');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const shared = () => ({ KUBELAB_STATE_DIR: inject('stateDir') });

/** Waits for a condition with a generous deadline: the machine may be busy. */
async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function procs(): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

function read(pid: number, what: 'cmdline' | 'environ'): string {
  try {
    return readFileSync(`/proc/${pid}/${what}`, 'utf8');
  } catch {
    return '';
  }
}

/** Live processes whose environment carries a kubelab run marker and whose command is `sleep N`. */
function markedSleepers(seconds: number[]): number[] {
  return procs().filter((pid) => seconds.some((s) => read(pid, 'cmdline') === `sleep\0${s}\0`) && read(pid, 'environ').includes('KUBELAB_RUN_ID=') && running(pid));
}

/** The process has an established TCP connection to 127.0.0.1:port. */
function connectedTo(pid: number, port: number): boolean {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    }
  } catch {
    return false;
  }
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1).some((line) => {
    const cols = line.trim().split(/\s+/);
    return cols[3] === '01' && inodes.has(cols[9]) && parseInt(cols[2].split(':')[1], 16) === port;
  });
}

function startStranger(seconds: number, started: ChildProcess[]): number {
  const child = spawn('sleep', [String(seconds)], { stdio: 'ignore', detached: true });
  child.unref();
  started.push(child);
  return child.pid!;
}

describe('two Ctrl-C during validate (item 4)', () => {
  it('given a step whose jobs ignore SIGTERM and SIGINT, one in its own session, when Ctrl-C is pressed twice, then kubelab exits 130 and no process of the run survives', async () => {
    const child = spawn(process.execPath, [CLI, 'validate', 'orphan', '--workshop', FIXTURE], { env: { ...process.env, NO_COLOR: '1', ...shared() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const jobs = await until(() => markedSleepers([501, 502, 503]).length === 3 && markedSleepers([501, 502, 503]), 'the step’s three sleeps');
    try {
      child.kill('SIGINT');
      await until(() => stderr.includes('press Ctrl-C again'), 'the first Ctrl-C to be acknowledged', 10_000);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      await until(() => jobs.every((pid) => !running(pid)), 'every job to be gone', 10_000);
      expect(markedSleepers([501, 502, 503])).toEqual([]);
      expect(stderr).toMatch(/stopped \d+ process\(es\) a lesson command left running: .*sleep 50[12]/);
    } finally {
      for (const pid of jobs) if (running(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});

describe('a child that escapes its group and holds the block\'s output (issue 25, item 1)', () => {
  it('given a block with timeout=5 starting `setsid sleep 40 &` then echoing, when validated, then it passes at once, names the escaped process, and leaves nothing running', async () => {
    const started = Date.now();
    const result = await kubelab(['validate', 'escape', '--workshop', FIXTURE, '--verbose'], shared(), { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/kubelab stopped 1 process\(es\) this block left running outside its process group: \d+ (setsid )?sleep 40/);
    expect(markedSleepers([40])).toEqual([]);
    // Not held until the escaped sleep would have ended on its own.
    expect(Date.now() - started).toBeLessThan(38_000);
  });

  it('given a block running while its setsid child holds the pipes, when Ctrl-C is pressed once, then kubelab exits 130 and neither process survives', async () => {
    const child = spawn(process.execPath, [CLI, 'validate', 'held', '--workshop', FIXTURE], { env: { ...process.env, NO_COLOR: '1', ...shared() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const jobs = await until(() => markedSleepers([46, 47]).length === 2 && markedSleepers([46, 47]), 'the block and its escaped child');
    try {
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).not.toContain('press Ctrl-C again to quit at once)\nQuitting');
      await until(() => jobs.every((pid) => !running(pid)), 'both sleeps to be gone', 10_000);
    } finally {
      for (const pid of jobs) if (running(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});

describe('list --probe with a cluster that does not answer (item 5)', () => {
  it('given a kubeconfig whose server refuses connections, when list --probe runs, then it warns, still lists, and exits 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-unreachable-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: dead',
      'clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: abc}}]',
      'contexts: [{name: dead, context: {cluster: dead, user: u}}]', '',
    ].join('\n'));
    const result = await kubelab(['list', '--probe', '--workshop', FIXTURE, '--kubeconfig', kubeconfig, '--context', 'dead'], { KUBELAB_STATE_DIR: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('warning: cannot probe: the existing cluster');
    expect(result.stderr).toContain('is not reachable');
    expect(result.stdout).toContain('orphan');
    expect(result.stdout).not.toContain('→');
  });
});

describe('a local cluster of its own (items 3, 5, 6)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'kubelab-hardening-'));
  const env = { KUBELAB_STATE_DIR: stateDir };
  const name = 'hardening';
  const pidDir = join(stateDir, 'kwok', 'clusters', name, 'pids');
  const pidOf = (component: string) => Number(readFileSync(join(pidDir, `${component}.pid`), 'utf8'));
  const strangers: ChildProcess[] = [];

  beforeAll(async () => {
    const up = await kubelab(['cluster', 'up', '--name', name, '--nodes', '1'], env, { timeoutMs: 600_000 });
    expect(up.code, up.stderr).toBe(0);
    // Every component answered its health endpoint before `up` said so, each on its own line.
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok-controller']) expect(up.stderr).toContain(`${c} is healthy`);
  }, 660_000);

  afterAll(async () => {
    await kubelab(['cluster', 'down', '--name', name], env, { timeoutMs: 300_000 });
    for (const s of strangers) s.kill('SIGKILL');
  }, 320_000);

  it('given the controller manager was killed after cluster up, when a check runs, then it names the component and restarts it before checking anything', async () => {
    const old = pidOf('kube-controller-manager');
    process.kill(old, 'SIGKILL');
    await until(() => !running(old), 'the controller manager to die');
    const status = await kubelab(['cluster', 'status', '--name', name], env);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/kube-controller-manager process \d+ is gone/);

    const started = Date.now();
    const result = await kubelab(['check', 'waiting', '--workshop', FIXTURE, '--name', name, '--wait', '0'], env, { timeoutMs: 300_000 });
    expect(result.stderr).toContain('lost kube-controller-manager; restarting it');
    expect(result.stderr).toContain('kube-controller-manager is healthy');
    expect(result.code).toBe(1); // The Role does not exist: a failed check, on a healthy cluster.
    expect(pidOf('kube-controller-manager')).not.toBe(old);
    expect(running(pidOf('kube-controller-manager'))).toBe(true);
    expect((await kubelab(['cluster', 'status', '--name', name], env)).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(240_000);
  });

  it('given a check waiting 60 s, when the API server is killed meanwhile, then check exits 3 within seconds naming kube-apiserver', async () => {
    const child = spawn(process.execPath, [CLI, 'check', 'waiting', '--workshop', FIXTURE, '--name', name, '--wait', '60'], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // The check is waiting once the CLI holds a connection to the API server.
    const apiserver = pidOf('kube-apiserver');
    const port = Number(/server: https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(join(stateDir, 'clusters', `local-${name}`, 'kubeconfig'), 'utf8'))?.[1]);
    await until(() => connectedTo(child.pid!, port), 'the check to connect to the API server');
    const killedAt = Date.now();
    process.kill(apiserver, 'SIGKILL');
    const code = await exited;
    expect(code, stderr).toBe(3);
    expect(stderr).toContain('is not usable: kube-apiserver');
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    // `cluster up` restarts it.
    const up = await kubelab(['cluster', 'up', '--name', name], env, { timeoutMs: 300_000 });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/lost .*kube-apiserver.*; restarting (it|them)/);
  });

  it('given a validate waiting on a check, when the API server is killed meanwhile, then validate exits 3 naming kube-apiserver, as check does (issue 25, item 6)', async () => {
    const child = spawn(process.execPath, [CLI, 'validate', 'waiting', '--workshop', FIXTURE, '--name', name], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const apiserver = pidOf('kube-apiserver');
    const port = Number(/server: https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(join(stateDir, 'clusters', `local-${name}`, 'kubeconfig'), 'utf8'))?.[1]);
    await until(() => connectedTo(child.pid!, port), 'validate to connect to the API server');
    process.kill(apiserver, 'SIGKILL');
    expect(await exited, stderr).toBe(3);
    expect(stderr).toContain('is not usable: kube-apiserver');
    const up = await kubelab(['cluster', 'up', '--name', name], env, { timeoutMs: 300_000 });
    expect(up.code, up.stderr).toBe(0);
  });

  it('given pid files naming an unrelated process, when cluster up and cluster down run, then that process survives and the cluster’s own are gone', async () => {
    // The scheduler dies and its PID "is recycled": its pid file now names a stranger.
    const scheduler = pidOf('kube-scheduler');
    process.kill(scheduler, 'SIGKILL');
    await until(() => !running(scheduler), 'the scheduler to die');
    const stranger = startStranger(701, strangers);
    writeFileSync(join(pidDir, 'kube-scheduler.pid'), String(stranger));
    const status = await kubelab(['cluster', 'status', '--name', name], env);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain(`pid ${stranger} is now another program (sleep)`);

    const up = await kubelab(['cluster', 'up', '--name', name], env, { timeoutMs: 300_000 });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('left it alone');
    expect(running(stranger)).toBe(true);
    expect(pidOf('kube-scheduler')).not.toBe(stranger);

    // At down, two pid files name strangers: neither is signalled, the cluster's processes end.
    const own = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kwok-controller'].map(pidOf);
    const kept = pidOf('kube-scheduler');
    process.kill(kept, 'SIGKILL');
    await until(() => !running(kept), 'the scheduler to die');
    const second = startStranger(702, strangers);
    writeFileSync(join(pidDir, 'kube-scheduler.pid'), String(second));
    const down = await kubelab(['cluster', 'down', '--name', name], env, { timeoutMs: 300_000 });
    expect(down.code, down.stderr).toBe(0);
    expect(running(stranger)).toBe(true);
    expect(running(second)).toBe(true);
    expect(own.filter(running)).toEqual([]);
    expect(existsSync(pidDir)).toBe(false);
  });

  it('given the etcd pid file gone and the API server\'s naming a stranger, when cluster down runs, then it ends both from processes.json, their ports close, and the stranger lives (issue 25, item 5)', async () => {
    const up = await kubelab(['cluster', 'up', '--name', name, '--nodes', '1'], env, { timeoutMs: 600_000 });
    expect(up.code, up.stderr).toBe(0);
    const records = JSON.parse(readFileSync(join(stateDir, 'clusters', `local-${name}`, 'processes.json'), 'utf8')) as Record<string, { pid: number }>;
    const etcd = records.etcd.pid;
    const apiserver = records['kube-apiserver'].pid;
    const port = Number(/server: https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(join(stateDir, 'clusters', `local-${name}`, 'kubeconfig'), 'utf8'))?.[1]);
    expect([running(etcd), running(apiserver), isListening(port)]).toEqual([true, true, true]);
    rmSync(join(pidDir, 'etcd.pid'));
    const stranger = startStranger(703, strangers);
    writeFileSync(join(pidDir, 'kube-apiserver.pid'), String(stranger));
    const down = await kubelab(['cluster', 'down', '--name', name], env, { timeoutMs: 300_000 });
    expect(down.code, down.stderr).toBe(0);
    expect(running(etcd)).toBe(false);
    expect(running(apiserver)).toBe(false);
    expect(isListening(port)).toBe(false);
    expect(running(stranger)).toBe(true);
  });
});
