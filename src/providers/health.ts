import { EnvironmentError } from '../errors.js';
import { checkHealth } from './probe.js';
import type { ClusterConnection, ComponentHealth } from './types.js';

/**
 * Is the cluster usable right now, part by part? Commands ask this when a check cannot reach the
 * API server, and watch it while they wait, so a dead component is named at once instead of a
 * check timing out long after.
 */

export interface HealthOptions {
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

type Connection = Pick<ClusterConnection, 'provider' | 'name' | 'kubeconfig' | 'context'>;

/**
 * Each part of the cluster that kubelab can see: every control-plane component of a local
 * cluster; for other providers the API server's /readyz.
 */
export async function clusterHealth(connection: Connection, options: HealthOptions): Promise<ComponentHealth[]> {
  if (connection.provider === 'local') {
    const { componentHealth } = await import('./local.js');
    return componentHealth(connection, options);
  }
  const ready = await checkHealth({ kind: 'kubeconfig', kubeconfig: connection.kubeconfig, context: connection.context, path: '/readyz' }, options.signal);
  return [{ name: 'kube-apiserver', healthy: ready.ok, detail: ready.detail }];
}

/** "kube-apiserver (process 123 is gone)" for every part that is down. */
export function describeDown(health: ComponentHealth[]): string {
  return health
    .filter((c) => !c.healthy)
    .map((c) => `${c.name} (${c.detail})`)
    .join(', ');
}

function unusable(connection: Connection, health: ComponentHealth[]): EnvironmentError {
  return new EnvironmentError(
    `The ${connection.provider} cluster "${connection.name}" is not usable: ${describeDown(health)} is down.`,
    connection.provider === 'local' ? 'Restart what stopped with: kubelab cluster up' : 'Check it with: kubelab cluster status',
  );
}

/** A process that died is certain at once; an endpoint that does not answer may only be busy. */
const certainlyDown = (c: ComponentHealth) => !c.healthy && / is gone$|^not started$|^not running /.test(c.detail);

/**
 * The cluster's state after a check could not reach it: undefined if every part answers, else an
 * error (exit 3) naming what is down. An endpoint that fails is asked again, `attempts` times a
 * second apart, so one slow answer on a busy machine is not called an outage.
 */
export async function unusableCluster(connection: Connection, options: HealthOptions & { attempts?: number }): Promise<EnvironmentError | undefined> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const health = await clusterHealth(connection, options);
    if (health.every((c) => c.healthy)) return undefined;
    if (health.some(certainlyDown) || attempt >= attempts || options.signal.aborted) return unusable(connection, health);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export interface ClusterWatch {
  /** Aborts when the caller's signal does, or when the cluster is found down. */
  signal: AbortSignal;
  /** Why the cluster is unusable, once the watch found it so. */
  down(): EnvironmentError | undefined;
  stop(): void;
}

/**
 * Keeps asking whether the cluster is usable while a command waits on it. Component death has no
 * event kubelab can subscribe to (the processes are not its children), so this asks every
 * `intervalMs`: a dead process ends the wait at once, an unanswering endpoint after `strikes`
 * rounds in a row.
 */
export function watchCluster(connection: Connection, options: HealthOptions & { intervalMs?: number; strikes?: number }): ClusterWatch {
  // Local processes are read from /proc; a remote API server is asked over the network, less often.
  const intervalMs = options.intervalMs ?? (connection.provider === 'local' ? 1000 : 3000);
  const strikes = options.strikes ?? 3;
  const trip = new AbortController();
  // In-flight health requests end with the watch, without aborting what the caller still does.
  const requests = new AbortController();
  const signal = AbortSignal.any([options.signal, trip.signal]);
  let found: EnvironmentError | undefined;
  let failedRounds = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const round = async () => {
    if (stopped || signal.aborted) return;
    const health = await clusterHealth(connection, { signal: AbortSignal.any([options.signal, requests.signal]), env: options.env }).catch(() => undefined);
    if (stopped || !health) return;
    failedRounds = health.every((c) => c.healthy) ? 0 : failedRounds + 1;
    if (health.some(certainlyDown) || failedRounds >= strikes) {
      found = unusable(connection, health);
      trip.abort(found);
      return;
    }
    timer = setTimeout(() => void round(), intervalMs);
    timer.unref();
  };
  timer = setTimeout(() => void round(), intervalMs);
  timer.unref();
  return {
    signal,
    down: () => found,
    stop() {
      stopped = true;
      clearTimeout(timer);
      requests.abort();
    },
  };
}
