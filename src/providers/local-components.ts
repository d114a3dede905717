import { existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { identify, processStartTicks, type ProcessIdentity, type Verdict } from './pid-identity.js';
import { checkHealth, type HealthTarget } from './probe.js';
import type { ComponentHealth } from './types.js';

/**
 * The processes of a local cluster as kwokctl's binary runtime runs them: one per component, each
 * named by a pid file under the cluster folder, each with a health endpoint.
 */

export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok-controller'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** The folders a component's files live in (a subset of LocalPaths, so tests can build one). */
export interface ClusterFolders {
  /** kwokctl's folder for the cluster: pids/, logs/, bin/, kwok.yaml. */
  clusterDir: string;
  /** The shared control-plane binaries (the cache). */
  bin: string;
  /** kubelab's own folder for the cluster (kubeconfig, processes.json). */
  stateDir: string;
  kubeconfig: string;
}

const CACHE_BINARY: Record<ComponentName, string> = {
  etcd: 'etcd',
  'kube-apiserver': 'kube-apiserver',
  'kube-controller-manager': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
  'kwok-controller': 'kwok',
};

export function pidFile(folders: ClusterFolders, name: ComponentName): string {
  return join(folders.clusterDir, 'pids', `${name}.pid`);
}

export function logFile(folders: ClusterFolders, name: ComponentName): string {
  return join(folders.clusterDir, 'logs', `${name}.log`);
}

const recordsFile = (folders: ClusterFolders) => join(folders.stateDir, 'processes.json');

function readRecords(folders: ClusterFolders): Partial<Record<ComponentName, ProcessIdentity>> {
  try {
    return JSON.parse(readFileSync(recordsFile(folders), 'utf8')) as Partial<Record<ComponentName, ProcessIdentity>>;
  } catch {
    return {};
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface ComponentProcess {
  name: ComponentName;
  /** What the pid file says, if there is one. */
  pid?: number;
  verdict: Verdict | { ours: false; gone: true; why: 'not started' };
}

/** Which process each component's pid file names, and whether it is really that component. */
export function componentProcesses(folders: ClusterFolders): ComponentProcess[] {
  const records = readRecords(folders);
  return COMPONENTS.map((name) => {
    const file = pidFile(folders, name);
    const pid = readPid(file);
    if (pid === undefined) return { name, verdict: { ours: false, gone: true, why: 'not started' as const } };
    let mtimeMs: number | undefined;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      // Removed meanwhile: judged by its program alone.
    }
    const binaries = [join(folders.clusterDir, 'bin', name), join(folders.bin, CACHE_BINARY[name])];
    return { name, pid, verdict: identify(pid, { binaries, recorded: records[name], pidFileMtimeMs: mtimeMs }) };
  });
}

/** PIDs of the cluster's own live processes: the only ones kubelab may ever signal. */
export function ownPids(folders: ClusterFolders): number[] {
  return componentProcesses(folders).flatMap((c) => (c.verdict.ours && c.pid ? [c.pid] : []));
}

/**
 * Removes pid files that name a process which is not the component (a recycled PID): kwokctl
 * kills by pid file without looking, and skips starting a component whose pid file names any
 * live process. Returns a note per file removed.
 */
export function forgetForeignPidFiles(folders: ClusterFolders): string[] {
  const notes: string[] = [];
  for (const c of componentProcesses(folders)) {
    if (c.pid === undefined || c.verdict.ours) continue;
    try {
      unlinkSync(pidFile(folders, c.name));
      if (!c.verdict.gone) notes.push(`${c.name}: ${c.verdict.why}; left it alone`);
    } catch {
      // Already removed.
    }
  }
  return notes;
}

/**
 * Every process known to be this cluster's, by every record kubelab has: the pid files that still
 * name the component, and each entry of processes.json that is still the same process (same pid,
 * same start time) — pid files can be missing or name someone else after a crash.
 */
export function knownProcesses(folders: ClusterFolders): (ProcessIdentity & { name: ComponentName })[] {
  const found = new Map<number, ProcessIdentity & { name: ComponentName }>();
  for (const c of componentProcesses(folders)) {
    const startTicks = c.verdict.ours && c.pid ? processStartTicks(c.pid) : undefined;
    if (startTicks !== undefined) found.set(c.pid!, { name: c.name, pid: c.pid!, startTicks });
  }
  for (const [name, record] of Object.entries(readRecords(folders)) as [ComponentName, ProcessIdentity][]) {
    if (record && !found.has(record.pid) && processStartTicks(record.pid) === record.startTicks) found.set(record.pid, { name, ...record });
  }
  return [...found.values()];
}

/** The ports the cluster's components listen on, from kwokctl's kwok.yaml. */
export function componentPorts(folders: ClusterFolders): { name: ComponentName; port: number }[] {
  const args = componentArgs(folders);
  const portOf = (value: string | undefined) => Number(/:(\d+)\/?$/.exec(value ?? '')?.[1] ?? value);
  const ports: { name: ComponentName; port: number }[] = [];
  const add = (name: ComponentName, value: string | undefined) => {
    const port = portOf(value);
    if (Number.isInteger(port) && port > 0) ports.push({ name, port });
  };
  add('etcd', args.etcd?.get('listen-client-urls')?.split(',')[0]);
  add('etcd', args.etcd?.get('listen-peer-urls')?.split(',')[0]);
  add('kube-apiserver', args['kube-apiserver']?.get('secure-port'));
  add('kube-controller-manager', args['kube-controller-manager']?.get('secure-port'));
  add('kube-scheduler', args['kube-scheduler']?.get('secure-port'));
  add('kwok-controller', args['kwok-controller']?.get('server-address'));
  return ports;
}

/** Remembers the start time of each component kwokctl just started, to recognise it later. */
export async function recordProcesses(folders: ClusterFolders): Promise<void> {
  const records: Partial<Record<ComponentName, ProcessIdentity>> = readRecords(folders);
  for (const c of componentProcesses(folders)) {
    if (!c.pid || !c.verdict.ours) continue;
    const startTicks = processStartTicks(c.pid);
    if (startTicks !== undefined) records[c.name] = { pid: c.pid, startTicks };
  }
  await writeFile(recordsFile(folders), `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
}

/** `--flag=value` arguments of each component from kwokctl's kwok.yaml (the last one wins, as in Go's flag parsing). */
export function componentArgs(folders: ClusterFolders): Partial<Record<ComponentName, Map<string, string>>> {
  const file = join(folders.clusterDir, 'kwok.yaml');
  const result: Partial<Record<ComponentName, Map<string, string>>> = {};
  if (!existsSync(file)) return result;
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const value = doc.toJS() as { kind?: string; components?: { name?: string; args?: string[] }[] } | null;
    if (value?.kind !== 'KwokctlConfiguration') continue;
    for (const component of value.components ?? []) {
      if (!component.name || !(COMPONENTS as readonly string[]).includes(component.name)) continue;
      const args = new Map<string, string>();
      const list = component.args ?? [];
      for (let i = 0; i < list.length; i++) {
        const m = /^--?([^=]+)(?:=(.*))?$/.exec(list[i]);
        if (!m) continue;
        if (m[2] !== undefined) args.set(m[1], m[2]);
        else if (i + 1 < list.length && !list[i + 1].startsWith('-')) args.set(m[1], list[++i]);
        else args.set(m[1], 'true');
      }
      result[component.name as ComponentName] = args;
    }
  }
  return result;
}

/** Where each component answers about its health. */
export function healthTargets(folders: ClusterFolders, context: string): Partial<Record<ComponentName, HealthTarget>> {
  const args = componentArgs(folders);
  const targets: Partial<Record<ComponentName, HealthTarget>> = {
    'kube-apiserver': { kind: 'kubeconfig', kubeconfig: folders.kubeconfig, context, path: '/readyz' },
  };
  const host = (bind: string | undefined) => (!bind || bind === '0.0.0.0' ? '127.0.0.1' : bind);
  const etcd = args.etcd?.get('listen-client-urls')?.split(',')[0];
  if (etcd) targets.etcd = { kind: 'url', url: `${etcd.replace('//0.0.0.0:', '//127.0.0.1:').replace(/\/$/, '')}/health` };
  for (const name of ['kube-controller-manager', 'kube-scheduler'] as const) {
    const port = args[name]?.get('secure-port');
    // Self-signed serving certificates: the check is "does it answer /healthz", not who it is.
    if (port && port !== '0') targets[name] = { kind: 'url', url: `https://${host(args[name]?.get('bind-address'))}:${port}/healthz`, insecure: true };
  }
  const kwok = args['kwok-controller']?.get('server-address');
  if (kwok) targets['kwok-controller'] = { kind: 'url', url: `http://${kwok.replace(/^0\.0\.0\.0:/, '127.0.0.1:')}/healthz` };
  return targets;
}

/**
 * Each component of a local cluster, up or down: its process is this cluster's and alive, and
 * its health endpoint answers. Never signals anything.
 */
export async function localComponentHealth(folders: ClusterFolders, context: string, signal: AbortSignal): Promise<ComponentHealth[]> {
  const targets = healthTargets(folders, context);
  return Promise.all(
    componentProcesses(folders).map(async (c): Promise<ComponentHealth> => {
      if (!c.verdict.ours) {
        const detail = c.verdict.why === 'not started' ? 'not started' : c.verdict.gone ? `process ${c.pid} is gone` : `not running (${c.verdict.why})`;
        return { name: c.name, healthy: false, detail };
      }
      const target = targets[c.name];
      if (!target) return { name: c.name, healthy: true, detail: `running (pid ${c.pid})` };
      const health = await checkHealth(target, signal);
      return health.ok
        ? { name: c.name, healthy: true, detail: `running (pid ${c.pid}), ${health.detail}` }
        : { name: c.name, healthy: false, detail: `running (pid ${c.pid}) but not healthy: ${health.detail}` };
    }),
  );
}

/** The last lines a component logged: why it gave up, for an error message. */
export function lastLogLines(folders: ClusterFolders, name: ComponentName, count = 3): string[] {
  try {
    return readFileSync(logFile(folders, name), 'utf8').trimEnd().split('\n').slice(-count).map((l) => l.slice(0, 300));
  } catch {
    return [];
  }
}
