/**
 * Which cluster lessons and checks use, from the connection flags (or what the learner used last),
 * and whether its API server answers. Commands and the app both come here.
 */
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { EnvironmentError } from '../errors.js';
import type { ProviderName } from '../engine/types.js';
import { DEFAULT_CLUSTER_NAMES, getProvider, parseProviderName } from '../providers/index.js';
import type { ClusterKey } from '../engine/running/progress.js';
import type { ClusterConnection, ProviderIO } from '../providers/types.js';
import type { RunContext } from './context.js';

/** The connection flags as parsed (see CONNECTION_FLAGS in src/commands/catalog.ts). */
export interface ConnectionFlags {
  provider?: string;
  kubeconfig?: string;
  context?: string;
  name?: string;
  /** The learner's language (--lang); see engine/i18n/language.ts for the order when it is not given. */
  lang?: string;
}

/** A provider name from a flag, or a usage error listing the ones there are. */
export function parseProvider(name: string | undefined): ProviderName | undefined {
  return name === undefined ? undefined : parseProviderName(name);
}

/** Whose progress: the chosen provider and the cluster's name (--name, else the provider's usual one). */
export function clusterKey(flags: ConnectionFlags, provider: ProviderName): ClusterKey {
  const usual = DEFAULT_CLUSTER_NAMES[provider];
  const name = flags.name ?? usual;
  return { provider, name, isDefault: name === usual };
}

/** `--name N`, for commands kubelab tells the learner to run, when the cluster has a name of its own. */
export const nameFlag = (flags: ConnectionFlags): string => (flags.name ? ` --name ${flags.name}` : '');

/** --provider wins; --kubeconfig/--context mean "existing"; else the one used last; else local. */
export function chooseProvider(flags: ConnectionFlags, remembered?: string): ProviderName {
  return parseProvider(flags.provider) ?? (flags.kubeconfig || flags.context ? 'existing' : (parseProvider(remembered) ?? 'local'));
}

/** How a provider talks to the person running kubelab: progress on stderr, prompts only if asked. */
export function providerIO(context: Pick<RunContext, 'signal' | 'stderr' | 'env'>, yes = false): ProviderIO {
  return {
    signal: context.signal,
    log: (line) => context.stderr.write(`${line}\n`),
    confirm: yes ? async () => true : undefined,
    env: context.env,
  };
}

/** The cluster the flags name, or an environment error saying how to start it. */
export async function resolveConnection(flags: ConnectionFlags, context: Pick<RunContext, 'signal' | 'stderr' | 'env' | 'cwd'>): Promise<ClusterConnection> {
  const providerName = chooseProvider(flags);
  const provider = await getProvider(providerName);
  const env = { ...context.env };
  if (flags.kubeconfig) env.KUBECONFIG = resolve(context.cwd, flags.kubeconfig);
  if (flags.context) env.KUBELAB_EXISTING_CONTEXT = flags.context;
  const connection = await provider.connection({ name: flags.name ?? provider.defaultName }, { ...providerIO(context), env });
  if (!connection) {
    throw new EnvironmentError(
      `No ${providerName} cluster named "${flags.name ?? provider.defaultName}" is up.`,
      `Start one with: kubelab cluster up --provider ${providerName}${nameFlag(flags)}`,
    );
  }
  return connection;
}

/** Asks the API server whether it answers; returns its one-line description (version, nodes). */
export async function requireReachable(connection: ClusterConnection, signal: AbortSignal): Promise<string> {
  const { probeApiServer } = await import('../providers/probe.js');
  const probe = await probeApiServer(connection, signal);
  if (!probe.reachable) {
    // A local cluster's parts can be seen: name the one that is down (its kube-apiserver).
    const { unusableCluster } = await import('../providers/health.js');
    const down = connection.provider === 'local' ? await unusableCluster(connection, { signal, attempts: 1 }).catch(() => undefined) : undefined;
    if (down) throw down;
    throw new EnvironmentError(`The ${connection.provider} cluster "${connection.name}" is not reachable: ${probe.detail}`, 'Check it with: kubelab cluster status');
  }
  return probe.detail;
}

/** Where the app stands with a provider's cluster: the shape the app's cluster line shows. */
export type ClusterReach =
  | { state: 'reachable'; provider: ProviderName; name: string; context: string; detail: string }
  | { state: 'unreachable'; provider: ProviderName; name: string; context: string; detail: string; next: string }
  | { state: 'down'; provider: ProviderName; detail: string; next: string };

export interface Reached {
  cluster: ClusterReach;
  /** Also set when the cluster is down but the provider knows where it will be (its lesson creates it). */
  connection?: ClusterConnection;
}

/**
 * Finds a provider's cluster and asks whether it answers. Never throws: a cluster that is not up
 * yet is a state the app shows (the first lesson's commands create it, so they run against where
 * it will be).
 */
export async function reachCluster(flags: ConnectionFlags, provider: ProviderName, context: Pick<RunContext, 'signal' | 'env' | 'cwd'>): Promise<Reached> {
  const { signal } = context;
  // Provider logs must not scribble over the app's frame.
  const quiet = { ...context, stderr: new Writable({ write: (_chunk, _encoding, done) => done() }) };
  try {
    const connection = await resolveConnection({ ...flags, provider }, quiet);
    const { probeApiServer } = await import('../providers/probe.js');
    const probe = await probeApiServer(connection, signal);
    const where = { provider, name: connection.name, context: connection.context, detail: probe.detail };
    if (probe.reachable) return { connection, cluster: { state: 'reachable', ...where } };
    return { connection, cluster: { state: 'unreachable', ...where, next: `Check it with: kubelab cluster status --provider ${provider}${nameFlag(flags)}` } };
  } catch (error) {
    const e = error as Error & { nextStep?: string };
    const found = await getProvider(provider).catch(() => undefined);
    const planned = found?.plannedConnection?.({ name: flags.name ?? found.defaultName }, { signal, log: () => undefined, env: context.env });
    return {
      connection: planned,
      cluster: { state: 'down', provider, detail: e.message.replace(/\.$/, ''), next: e.nextStep ?? `Start one with: kubelab cluster up --provider ${provider}${nameFlag(flags)}` },
    };
  }
}
