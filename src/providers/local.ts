import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir, loadavg } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { EnvironmentError, InterruptedError } from '../errors.js';
import { writeFileAtomic } from '../engine/running/atomic.js';
import { startGroup, unmarkedEnv } from '../engine/running/process.js';
import { stateDir } from '../paths.js';
import {
  componentPorts,
  componentProcesses,
  forgetForeignPidFiles,
  knownProcesses,
  lastLogLines,
  localComponentHealth,
  recordProcesses,
  type ClusterFolders,
  type ComponentName,
} from './local-components.js';
import { processStartTicks, type ProcessIdentity } from './pid-identity.js';
import { ensureConfigErrorController, stopConfigErrorController } from './config-errors-process.js';
import { isListening, listenersOf } from './listeners.js';
import { controlPlaneBuildCommand } from '../install-root.js';
import { probeApiServer } from './probe.js';
import type { ClusterConnection, ClusterStatus, ComponentHealth, Provider, ProviderIO } from './types.js';

import { CONTROL_PLANE_BINARIES, CONTROL_PLANE_VERSION as LOCAL_K8S_VERSION } from './control-plane-version.js';
import { resolveControlPlane } from './platform-package.js';

export { LOCAL_K8S_VERSION };
/** How often a component that keeps exiting is restarted before `cluster up` gives up on it. */
const MAX_RESTARTS = 3;
/** The control plane's time to become healthy on an idle machine; a loaded machine gets more. */
const HEALTHY_WITHIN_MS = 90_000;

export interface LocalPaths {
  bin: string;
  kwokWorkdir: string;
  clusterDir: string;
  kubeconfig: string;
}

export function localPaths(name: string, env: NodeJS.ProcessEnv): LocalPaths {
  const kwokWorkdir = join(stateDir(env), 'kwok');
  return {
    bin: resolveControlPlane(env).binDir,
    kwokWorkdir,
    clusterDir: join(kwokWorkdir, 'clusters', name),
    kubeconfig: join(stateDir(env), 'clusters', `local-${name}`, 'kubeconfig'),
  };
}

/**
 * A cache without the binaries is built first, with its progress in the log (never a silent
 * wait); a KUBELAB_BIN_DIR someone pointed at is theirs to fill, so it is only checked.
 */
async function ensureBinaries(paths: LocalPaths, io: ProviderIO): Promise<void> {
  const { controlPlaneStatus, buildControlPlane, createBuildReporter, formatMinutes } = await import('./control-plane-build.js');
  const status = controlPlaneStatus(io.env);
  if (status.state === 'built' || io.env.KUBELAB_BIN_DIR) return requireBinaries(paths);
  if (status.platformPackage?.state === 'rejected') {
    io.log(`The prebuilt control plane ${status.platformPackage.name} is not used: ${status.platformPackage.reason}. Building from source instead.`);
  }
  io.log(`The local control plane is not built yet: building it now (${formatMinutes(status.estimateSeconds)} on this machine; Ctrl-C stops it and the next start resumes).`);
  await buildControlPlane({ signal: io.signal, env: io.env, onProgress: createBuildReporter((line) => io.log(line)) });
  requireBinaries(paths);
}

function requireBinaries(paths: LocalPaths): void {
  const missing = CONTROL_PLANE_BINARIES.filter((b) => !existsSync(join(paths.bin, b)));
  if (missing.length) {
    throw new EnvironmentError(
      `The local control plane is not built yet (missing in ${paths.bin}: ${missing.join(', ')}).`,
      `Build it once with: ${controlPlaneBuildCommand()}  (about 10 minutes the first time; needs Go)`,
    );
  }
}

function folders(paths: LocalPaths): ClusterFolders {
  return { clusterDir: paths.clusterDir, bin: paths.bin, stateDir: dirname(paths.kubeconfig), kubeconfig: paths.kubeconfig };
}

/**
 * How much slower than an idle machine this one is right now (load per core, at least 1, at most
 * 5): deadlines for starting the control plane scale with it, so a busy 2-core machine is not
 * mistaken for a broken cluster.
 */
export function slowness(load = loadavg()[0], cores = availableParallelism()): number {
  return Math.min(5, Math.max(1, load / Math.max(1, cores)));
}

function connectionFor(name: string, paths: LocalPaths): ClusterConnection {
  return { provider: 'local', name, kubeconfig: paths.kubeconfig, context: `kwok-${name}`, simulated: true, variables: { CLUSTER_NAME: name } };
}

/** A port free on loopback right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface LoopbackPorts {
  etcdClient: number;
  etcdPeer: number;
  kwok: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
}

/**
 * kube-controller-manager signs kube-apiserver-client CSRs with the cluster CA, and every
 * component listens on loopback only (kwokctl's defaults bind etcd and kwok to all interfaces).
 */
function kwokctlConfig(paths: LocalPaths, ports: LoopbackPorts): string {
  const pki = join(paths.clusterDir, 'pki');
  const arg = (key: string, value: string) => `  - key: ${key}\n    value: ${JSON.stringify(value)}`;
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    'apiVersion: config.kwok.x-k8s.io/v1alpha1',
    'kind: KwokctlConfiguration',
    'componentsPatches:',
    '- name: kube-controller-manager',
    '  extraArgs:',
    arg('cluster-signing-cert-file', join(pki, 'ca.crt')),
    arg('cluster-signing-key-file', join(pki, 'ca.key')),
    arg('bind-address', '127.0.0.1'),
    '- name: kube-apiserver',
    '  extraArgs:',
    arg('bind-address', '127.0.0.1'),
    '- name: kube-scheduler',
    '  extraArgs:',
    arg('bind-address', '127.0.0.1'),
    '- name: etcd',
    '  extraArgs:',
    arg('listen-client-urls', client),
    arg('advertise-client-urls', client),
    arg('listen-peer-urls', peer),
    arg('initial-advertise-peer-urls', peer),
    arg('initial-cluster', `node0=${peer}`),
    '- name: kwok-controller',
    '  extraArgs:',
    arg('server-address', `127.0.0.1:${ports.kwok}`),
    '',
  ].join('\n');
}

async function kwokctl(paths: LocalPaths, args: string[], io: ProviderIO): Promise<void> {
  const result = await startGroup(join(paths.bin, 'kwokctl'), args, {
    // The components kwokctl starts must outlive this run: they do not carry its marker, so the
    // sweep for a lesson's leftover processes never reaches the cluster. (kwokctl starts each in
    // its own session, so ending kwokctl's group on Ctrl-C does not reach them either.)
    env: { ...unmarkedEnv(io.env), KWOK_WORKDIR: paths.kwokWorkdir, KWOK_KUBE_VERSION: LOCAL_K8S_VERSION },
    signal: io.signal,
    all: true,
    buffer: true,
  }).finish();
  if (io.signal.aborted) throw new InterruptedError();
  if (result.exitCode !== 0) {
    const lines = String(result.all ?? '').split('\n').filter(Boolean);
    const message = lines
      .map((l) => {
        try {
          const j = JSON.parse(l) as { msg?: string; err?: string };
          return [j.msg, j.err].filter(Boolean).join(': ');
        } catch {
          return l;
        }
      })
      .slice(-3)
      .join(' / ');
    throw new EnvironmentError(`kwokctl ${args[0]} ${args[1] ?? ''} failed: ${message}`, `Logs: ${join(paths.clusterDir, 'logs')}`);
  }
}

async function waitForNodes(connection: ClusterConnection, nodes: number, io: ProviderIO): Promise<void> {
  const result = await execa('kubectl', ['--kubeconfig', connection.kubeconfig, 'wait', '--for=condition=Ready', 'nodes', '--all', `--timeout=${Math.round(60 * slowness())}s`], {
    cancelSignal: io.signal,
    reject: false,
    all: true,
  });
  if (result.exitCode !== 0) throw new EnvironmentError(`The ${nodes} simulated nodes did not become Ready: ${String(result.all).split('\n')[0]}`);
}

async function mergeIntoUserKubeconfig(connection: ClusterConnection, io: ProviderIO): Promise<string> {
  const target = join(homedir(), '.kube', 'config');
  const sources = existsSync(target) ? `${connection.kubeconfig}:${target}` : connection.kubeconfig;
  if (existsSync(target)) await copyFile(target, `${target}.kubelab-backup`);
  const merged = await execa('kubectl', ['config', 'view', '--flatten'], { env: { ...io.env, KUBECONFIG: sources }, cancelSignal: io.signal });
  await writeFileAtomic(target, merged.stdout);
  return target;
}

/** Starts the components whose process is gone (kwokctl skips the running ones). */
async function startMissing(paths: LocalPaths, io: ProviderIO): Promise<void> {
  // kwokctl trusts any live process its pid file names: a recycled PID would count as running.
  for (const note of forgetForeignPidFiles(folders(paths))) io.log(`  ${note}`);
  await kwokctl(paths, ['start', 'cluster', '--name', paths.clusterDir.split('/').pop()!], io);
  await recordProcesses(folders(paths));
}

/**
 * Waits until every component answers its health endpoint, printing a line as each one does, and
 * restarts a component whose process exits meanwhile (a controller manager gives up when the API
 * server is slow to start on a busy machine). Fails naming the components that never came up.
 */
async function superviseUntilHealthy(paths: LocalPaths, context: string, io: ProviderIO, restarts = new Map<ComponentName, number>()): Promise<void> {
  const started = performance.now();
  const deadline = started + HEALTHY_WITHIN_MS * slowness();
  const announced = new Set<string>();
  let health: ComponentHealth[] = [];
  for (;;) {
    if (io.signal.aborted) throw new InterruptedError();
    health = await localComponentHealth(folders(paths), context, io.signal);
    for (const c of health.filter((h) => h.healthy && !announced.has(h.name))) {
      announced.add(c.name);
      io.log(`  ${c.name} is healthy (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    if (health.every((c) => c.healthy)) return;
    const exited = componentProcesses(folders(paths)).filter((c) => !c.verdict.ours);
    const hopeless = exited.filter((c) => (restarts.get(c.name) ?? 0) >= MAX_RESTARTS);
    if (hopeless.length) throw componentError(paths, hopeless.map((c) => c.name), `exited ${MAX_RESTARTS + 1} times`);
    if (exited.length) {
      for (const c of exited) {
        restarts.set(c.name, (restarts.get(c.name) ?? 0) + 1);
        announced.delete(c.name);
        io.log(`  ${c.name} exited (${lastLogLines(folders(paths), c.name, 1)[0] ?? 'no log'}); restarting it`);
      }
      await startMissing(paths, io);
      continue;
    }
    if (performance.now() > deadline) {
      const down = health.filter((c) => !c.healthy);
      throw componentError(paths, down.map((c) => c.name as ComponentName), down.map((c) => c.detail).join('; '), Math.round((performance.now() - started) / 1000));
    }
    // Health has no event to watch: ask again shortly (each round is a handful of local requests).
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function componentError(paths: LocalPaths, names: ComponentName[], why: string, seconds?: number): EnvironmentError {
  const log = names.flatMap((n) => lastLogLines(folders(paths), n, 2).map((l) => `    ${n}: ${l}`));
  return new EnvironmentError(
    `The local cluster did not come up: ${names.join(', ')} ${seconds ? `not healthy after ${seconds} s` : 'could not be kept running'} (${why}).${log.length ? `\n  Last log lines:\n${log.join('\n')}` : ''}`,
    `Logs: ${join(paths.clusterDir, 'logs')}. Try again with: kubelab cluster down && kubelab cluster up`,
  );
}

/** The cluster folders a local connection belongs to (its kubeconfig lives in kubelab's state dir). */
function pathsOf(connection: Pick<ClusterConnection, 'kubeconfig' | 'name'>, env: NodeJS.ProcessEnv): LocalPaths {
  // <state>/clusters/local-<name>/kubeconfig
  const state = dirname(dirname(dirname(connection.kubeconfig)));
  return localPaths(connection.name, { ...env, KUBELAB_STATE_DIR: state });
}

/**
 * Each component of a local cluster, up or down (its own process alive and its health endpoint
 * answering), for commands and the app to name what is down instead of waiting out a timeout.
 */
export function componentHealth(connection: Pick<ClusterConnection, 'kubeconfig' | 'name' | 'context'>, options: { signal: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<ComponentHealth[]> {
  const paths = pathsOf(connection, options.env ?? process.env);
  return localComponentHealth(folders(paths), connection.context, options.signal);
}

/**
 * Restarts the components of a local cluster whose process has exited, and waits for them to be
 * healthy; fails (exit 3) naming a component that will not come back. Cheap when all are running.
 */
export async function reviveLocalCluster(connection: Pick<ClusterConnection, 'kubeconfig' | 'name' | 'context'>, io: ProviderIO, options: { waitForHealth?: boolean } = {}): Promise<string[]> {
  const paths = pathsOf(connection, io.env);
  if (!existsSync(paths.clusterDir)) return [];
  const gone = componentProcesses(folders(paths)).filter((c) => !c.verdict.ours).map((c) => c.name);
  if (gone.length === 0 && !options.waitForHealth) return [];
  requireBinaries(paths);
  if (gone.length) {
    io.log(`The local cluster "${connection.name}" lost ${gone.join(', ')}; restarting ${gone.length > 1 ? 'them' : 'it'}…`);
    await startMissing(paths, io);
  }
  await superviseUntilHealthy(paths, connection.context, io, new Map(gone.map((n) => [n, 1])));
  return gone;
}

/**
 * The default, offline cluster: a real kube-apiserver, controller-manager, scheduler and etcd,
 * built from Go modules, started by kwokctl's binary runtime, with kwok simulating the nodes.
 */
export function createLocalProvider(): Provider {
  return tearDownWhenInterrupted({
    name: 'local',
    description: 'a real control plane on this machine with simulated nodes (offline, no Docker)',
    defaultName: 'kubelab',

    async up(options, io) {
      const paths = localPaths(options.name, io.env);
      await ensureBinaries(paths, io);
      const connection = connectionFor(options.name, paths);
      const current = await this.status({ name: options.name }, io);
      if (current.state === 'up') {
        await ensureConfigErrorController(folders(paths), io.env, io.log);
        io.log(`The local cluster "${options.name}" is already up: nothing to do.`);
        if (options.mergeKubeconfig) io.log(`Merged the context into ${await mergeIntoUserKubeconfig(connection, io)} (backup: config.kubelab-backup).`);
        return { connection, alreadyUp: true };
      }
      if (current.state === 'broken') {
        if (existsSync(join(paths.clusterDir, 'kwok.yaml'))) {
          // Its data in etcd is intact: restart what stopped and wait for health, rather than
          // recreate it and lose the learner's work. Recreate only if that fails.
          try {
            await reviveLocalCluster(connection, io, { waitForHealth: true });
            await ensureConfigErrorController(folders(paths), io.env, io.log);
            io.log(`The local cluster "${options.name}" is up again.`);
            if (options.mergeKubeconfig) io.log(`Merged the context into ${await mergeIntoUserKubeconfig(connection, io)} (backup: config.kubelab-backup).`);
            return { connection, alreadyUp: true };
          } catch (error) {
            if (!(error instanceof EnvironmentError)) throw error;
            io.log(error.message);
          }
        }
        io.log(`The local cluster "${options.name}" is broken (${current.detail}); recreating it.`);
        await this.down({ name: options.name }, io);
      }
      await mkdir(join(paths.kubeconfig, '..'), { recursive: true, mode: 0o700 });
      const configFile = join(paths.kubeconfig, '..', 'kwokctl.yaml');
      // Every port from the OS, not kwokctl's own picks: kwokctl counts down from 32767 for every
      // cluster on the machine, so clusters started side by side (or a component restarted after
      // another cluster took its port) collide with "address already in use".
      const ports: LoopbackPorts = {
        etcdClient: await freePort(), etcdPeer: await freePort(), kwok: await freePort(),
        apiserver: await freePort(), controllerManager: await freePort(), scheduler: await freePort(),
      };
      await writeFile(configFile, kwokctlConfig(paths, ports));
      io.log(`Starting the local control plane ${LOCAL_K8S_VERSION} "${options.name}"…`);
      const b = (name: string) => join(paths.bin, name);
      await kwokctl(paths, [
        'create', 'cluster', '--name', options.name, '--runtime', 'binary',
        '--kube-apiserver-binary', b('kube-apiserver'), '--kube-controller-manager-binary', b('kube-controller-manager'),
        '--kube-scheduler-binary', b('kube-scheduler'), '--etcd-binary', b('etcd'), '--kwok-controller-binary', b('kwok'),
        '--etcd-port', String(ports.etcdClient), '--controller-port', String(ports.kwok),
        '--kube-apiserver-port', String(ports.apiserver), '--kube-controller-manager-port', String(ports.controllerManager),
        '--kube-scheduler-port', String(ports.scheduler),
        '--kubeconfig', paths.kubeconfig, '--config', configFile,
      ], io);
      await recordProcesses(folders(paths));
      io.log(`Waiting for each component to answer its health check${slowness() > 1 ? ` (this machine is busy: allowing ${Math.round((HEALTHY_WITHIN_MS * slowness()) / 1000)} s)` : ''}…`);
      await superviseUntilHealthy(paths, connection.context, io);
      io.log(`Adding ${options.nodes} simulated nodes…`);
      await kwokctl(paths, ['scale', 'node', '--name', options.name, '--replicas', String(options.nodes)], io);
      await waitForNodes(connection, options.nodes, io);
      // Simulated nodes start any container; this holds back those whose ConfigMap or Secret is missing.
      await ensureConfigErrorController(folders(paths), io.env, io.log);
      if (options.mergeKubeconfig) io.log(`Merged the context into ${await mergeIntoUserKubeconfig(connection, io)} (backup: config.kubelab-backup).`);
      return { connection, alreadyUp: false };
    },

    async down(options, io) {
      const paths = localPaths(options.name, io.env);
      const f = folders(paths);
      // Everything this cluster runs, found first (kwokctl removes its pid files as it stops
      // them): the pid files that check out and every processes.json record still alive, and
      // the ports its components listen on. Pid files naming anyone else's process are dropped:
      // kwokctl kills by pid file without looking.
      const own = knownProcesses(f);
      const ports = componentPorts(f);
      for (const note of forgetForeignPidFiles(f)) io.log(`  ${note}`);
      stopConfigErrorController(f);
      if (existsSync(paths.clusterDir)) {
        requireBinaries(paths);
        await kwokctl(paths, ['delete', 'cluster', '--name', options.name, '--kubeconfig', paths.kubeconfig], io).catch((error: unknown) => {
          // What kwokctl could not stop is ended below, from kubelab's own records.
          io.log(`  kwokctl could not delete the cluster (${(error as Error).message.split('\n')[0]}); ending its processes from kubelab's records`);
        });
      }
      await endClusterProcesses(paths.clusterDir, own, ports);
      // Said down only once it is: every known process gone and every port closed. Otherwise
      // the folder and its records stay, so the next `cluster down` can find them again.
      const left = own.filter((p) => processStartTicks(p.pid) === p.startTicks);
      const open = ports.filter((p) => isListening(p.port));
      if (left.length || open.length) {
        const what = [...left.map((p) => `${p.name} (pid ${p.pid}) is still running`), ...open.map((p) => `port ${p.port} (${p.name}) is still open`)];
        throw new EnvironmentError(`The local cluster "${options.name}" is not fully down: ${what.join('; ')}.`, `Its records are kept: run kubelab cluster down --name ${options.name} again, or end those processes yourself.`);
      }
      await rm(paths.clusterDir, { recursive: true, force: true });
      await rm(join(paths.kubeconfig, '..'), { recursive: true, force: true });
    },

    async status(options, io) {
      const paths = localPaths(options.name, io.env);
      if (!existsSync(paths.clusterDir) || !existsSync(paths.kubeconfig)) {
        return { state: 'down', detail: `no local cluster "${options.name}"`, components: [] } satisfies ClusterStatus;
      }
      const connection = connectionFor(options.name, paths);
      const components = await localComponentHealth(folders(paths), connection.context, io.signal);
      const probe = components.find((c) => c.name === 'kube-apiserver')?.healthy ? await probeApiServer(connection, io.signal) : undefined;
      const dead = components.filter((c) => !c.healthy);
      if (dead.length || !probe?.reachable) {
        const detail = dead.length ? `${dead.map((c) => `${c.name} ${c.detail}`).join(', ')}` : `API server not answering: ${probe?.detail}`;
        return { state: 'broken', detail: `${detail} — run: kubelab cluster up (it restarts what stopped)`, components, connection };
      }
      return { state: 'up', detail: probe.detail, components, connection };
    },

    async connection(options, io) {
      const paths = localPaths(options.name, io.env);
      if (!existsSync(paths.kubeconfig)) return undefined;
      const connection = connectionFor(options.name, paths);
      // Nothing restarts a component that exits after `cluster up`: every command that is about
      // to use the cluster restarts what stopped, instead of lessons failing on its absence.
      await reviveLocalCluster(connection, io);
      if (existsSync(paths.clusterDir)) await ensureConfigErrorController(folders(paths), io.env, io.log);
      return connection;
    },

    plannedConnection(options, io) {
      return connectionFor(options.name, localPaths(options.name, io.env));
    },
  });
}

/**
 * Ends what kwokctl left of a cluster: its known processes (same pid, same start time: anything
 * else is left alone), then whatever still listens on one of its ports while running with the
 * cluster's own folder on its command line. SIGTERM, then SIGKILL after 3 s.
 */
async function endClusterProcesses(clusterDir: string, own: ProcessIdentity[], ports: { port: number }[]): Promise<void> {
  const listeners = () => ports.flatMap((p) => listenersOf(p.port)).filter((pid) => commandLineOf(pid).includes(clusterDir));
  const targets = () => [...own.filter((p) => processStartTicks(p.pid) === p.startTicks).map((p) => p.pid), ...listeners()];
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of new Set(targets())) {
      try {
        process.kill(pid, sig);
      } catch {
        // Gone meanwhile.
      }
    }
  };
  // A component still shutting down keeps its port: give it a moment, then make sure.
  const settled = async (withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      if (targets().length === 0 && ports.every((p) => !isListening(p.port))) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  if (await settled(1000)) return;
  signal('SIGTERM');
  if (await settled(3000)) return;
  signal('SIGKILL');
  await settled(2000);
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * Ctrl-C during `cluster up` (kwokctl stops, but the components it already started keep running
 * and holding their ports) takes down what that run started. A cluster that was there before the
 * run is left alone: the learner may still want it.
 */
function tearDownWhenInterrupted(provider: Provider): Provider {
  return {
    ...provider,
    async up(options, io) {
      const existed = existsSync(localPaths(options.name, io.env).kubeconfig);
      try {
        return await provider.up.call(provider, options, io);
      } catch (error) {
        if (io.signal.aborted && !existed) {
          io.log(`Interrupted: removing the half-started local cluster "${options.name}"…`);
          // The run's own signal is aborted already: the teardown gets one of its own.
          await provider.down.call(provider, { name: options.name }, { ...io, signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
        }
        throw error;
      }
    },
  };
}

/** Names of local clusters kubelab has started (for `cluster status` without --name). */
export function listLocalClusters(env: NodeJS.ProcessEnv): string[] {
  const dir = join(stateDir(env), 'kwok', 'clusters');
  return existsSync(dir) ? readdirSync(dir) : [];
}
