import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { EnvironmentError } from '../errors.js';
import { writeFileAtomic } from '../engine/atomic.js';
import { cacheDir, stateDir } from '../paths.js';
import { probeApiServer } from './probe.js';
import type { ClusterConnection, ClusterStatus, ComponentHealth, Provider, ProviderIO } from './types.js';

/** The control plane version scripts/build-control-plane.sh builds. Keep the two in step. */
export const LOCAL_K8S_VERSION = 'v1.33.13';
const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok-controller'];

export interface LocalPaths {
  bin: string;
  kwokWorkdir: string;
  clusterDir: string;
  kubeconfig: string;
}

export function localPaths(name: string, env: NodeJS.ProcessEnv): LocalPaths {
  const kwokWorkdir = join(stateDir(env), 'kwok');
  return {
    bin: env.KUBELAB_BIN_DIR ?? join(cacheDir(env), LOCAL_K8S_VERSION, 'bin'),
    kwokWorkdir,
    clusterDir: join(kwokWorkdir, 'clusters', name),
    kubeconfig: join(stateDir(env), 'clusters', `local-${name}`, 'kubeconfig'),
  };
}

function requireBinaries(paths: LocalPaths): void {
  const missing = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok', 'kwokctl'].filter((b) => !existsSync(join(paths.bin, b)));
  if (missing.length) {
    throw new EnvironmentError(
      `The local control plane is not built yet (missing in ${paths.bin}: ${missing.join(', ')}).`,
      'Build it once with: npm run build:cluster  (about 10 minutes the first time; needs Go)',
    );
  }
}

/** Running, not gone and not a zombie (a killed component may never be reaped inside a container). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

/** Each component's process, from the pid files kwokctl keeps. */
function componentHealth(paths: LocalPaths): ComponentHealth[] {
  const dir = join(paths.clusterDir, 'pids');
  return COMPONENTS.map((name) => {
    const file = join(dir, `${name}.pid`);
    if (!existsSync(file)) return { name, healthy: false, detail: 'not started' };
    const pid = Number(readFileSync(file, 'utf8').trim());
    return pidAlive(pid) ? { name, healthy: true, detail: `running (pid ${pid})` } : { name, healthy: false, detail: `process ${pid} is gone` };
  });
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
  const child = execa(join(paths.bin, 'kwokctl'), args, {
    env: { ...io.env, KWOK_WORKDIR: paths.kwokWorkdir, KWOK_KUBE_VERSION: LOCAL_K8S_VERSION },
    cancelSignal: io.signal,
    reject: false,
    all: true,
    stdin: 'ignore',
  });
  const result = await child;
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
  const result = await execa('kubectl', ['--kubeconfig', connection.kubeconfig, 'wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=60s'], {
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
      requireBinaries(paths);
      const connection = connectionFor(options.name, paths);
      const current = await this.status({ name: options.name }, io);
      if (current.state === 'up') {
        io.log(`The local cluster "${options.name}" is already up: nothing to do.`);
        if (options.mergeKubeconfig) io.log(`Merged the context into ${await mergeIntoUserKubeconfig(connection, io)} (backup: config.kubelab-backup).`);
        return { connection, alreadyUp: true };
      }
      if (current.state === 'broken') {
        io.log(`The local cluster "${options.name}" is broken (${current.detail}); recreating it.`);
        await this.down({ name: options.name }, io);
      }
      await mkdir(join(paths.kubeconfig, '..'), { recursive: true, mode: 0o700 });
      const configFile = join(paths.kubeconfig, '..', 'kwokctl.yaml');
      const ports: LoopbackPorts = { etcdClient: await freePort(), etcdPeer: await freePort(), kwok: await freePort() };
      await writeFile(configFile, kwokctlConfig(paths, ports));
      io.log(`Starting the local control plane ${LOCAL_K8S_VERSION} "${options.name}"…`);
      const b = (name: string) => join(paths.bin, name);
      await kwokctl(paths, [
        'create', 'cluster', '--name', options.name, '--runtime', 'binary',
        '--kube-apiserver-binary', b('kube-apiserver'), '--kube-controller-manager-binary', b('kube-controller-manager'),
        '--kube-scheduler-binary', b('kube-scheduler'), '--etcd-binary', b('etcd'), '--kwok-controller-binary', b('kwok'),
        '--etcd-port', String(ports.etcdClient), '--controller-port', String(ports.kwok),
        '--kubeconfig', paths.kubeconfig, '--config', configFile, '--wait', '60s',
      ], io);
      io.log(`Adding ${options.nodes} simulated nodes…`);
      await kwokctl(paths, ['scale', 'node', '--name', options.name, '--replicas', String(options.nodes)], io);
      await waitForNodes(connection, options.nodes, io);
      if (options.mergeKubeconfig) io.log(`Merged the context into ${await mergeIntoUserKubeconfig(connection, io)} (backup: config.kubelab-backup).`);
      return { connection, alreadyUp: false };
    },

    async down(options, io) {
      const paths = localPaths(options.name, io.env);
      // Remember the processes first: kwokctl removes its pid files as it stops them.
      const pids = componentHealth(paths).flatMap((c) => (c.healthy ? [Number(/pid (\d+)/.exec(c.detail)?.[1])] : []));
      if (existsSync(paths.clusterDir)) {
        requireBinaries(paths);
        await kwokctl(paths, ['delete', 'cluster', '--name', options.name, '--kubeconfig', paths.kubeconfig], io);
      }
      // A component still shutting down keeps its port: give it a moment, then make sure.
      const deadline = Date.now() + 3000;
      while (pids.some(pidAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const pid of pids.filter(pidAlive)) process.kill(pid, 'SIGKILL');
      await rm(paths.clusterDir, { recursive: true, force: true });
      await rm(join(paths.kubeconfig, '..'), { recursive: true, force: true });
    },

    async status(options, io) {
      const paths = localPaths(options.name, io.env);
      if (!existsSync(paths.clusterDir) || !existsSync(paths.kubeconfig)) {
        return { state: 'down', detail: `no local cluster "${options.name}"`, components: [] } satisfies ClusterStatus;
      }
      const connection = connectionFor(options.name, paths);
      const components = componentHealth(paths);
      const probe = components.find((c) => c.name === 'kube-apiserver')?.healthy ? await probeApiServer(connection, io.signal) : undefined;
      const dead = components.filter((c) => !c.healthy);
      if (dead.length || !probe?.reachable) {
        const detail = dead.length ? `${dead.map((c) => `${c.name} ${c.detail}`).join(', ')}` : `API server not answering: ${probe?.detail}`;
        return { state: 'broken', detail: `${detail} — run: kubelab cluster down && kubelab cluster up`, components, connection };
      }
      return { state: 'up', detail: probe.detail, components, connection };
    },

    async connection(options, io) {
      const paths = localPaths(options.name, io.env);
      return existsSync(paths.kubeconfig) ? connectionFor(options.name, paths) : undefined;
    },

    plannedConnection(options, io) {
      return connectionFor(options.name, localPaths(options.name, io.env));
    },
  });
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
