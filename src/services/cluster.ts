/** `kubelab cluster up|down|status` as services: the provider, how it talks to a person, reminders. */
import type { ProviderName } from '../engine/types.js';
import { getProvider } from '../providers/index.js';
import type { ClusterStatus, Provider, ProviderIO, UpResult } from '../providers/types.js';
import { providerIO } from './connection.js';
import type { RunContext } from './context.js';

export interface ClusterTarget {
  provider: Provider;
  /** The cluster's name: the one asked for, or the provider's usual one. */
  name: string;
  io: ProviderIO;
}

/**
 * The provider and cluster name a `cluster` command works on. Asks before anything that costs
 * money only on a real terminal and without --yes; headless without --yes, the provider refuses.
 */
export async function clusterTarget(providerName: ProviderName, name: string | undefined, yes: boolean, context: RunContext): Promise<ClusterTarget> {
  const provider = await getProvider(providerName);
  const io = providerIO(context, yes);
  if (context.interactive && !yes) {
    io.confirm = async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    };
  }
  // Inside a lesson step the app's cluster is the one meant (the app may run with --name).
  const stepCluster = context.env.KUBELAB_PROVIDER === providerName ? context.env.KUBELAB_CLUSTER_NAME : undefined;
  return { provider, name: name ?? stepCluster ?? provider.defaultName, io };
}

export function clusterUp(target: ClusterTarget, options: { nodes: number; yes: boolean; mergeKubeconfig: boolean }): Promise<UpResult> {
  return target.provider.up({ name: target.name, ...options }, target.io);
}

export function clusterDown(target: ClusterTarget): Promise<void> {
  return target.provider.down({ name: target.name }, target.io);
}

export function clusterStatus(target: ClusterTarget): Promise<ClusterStatus> {
  return target.provider.status({ name: target.name }, target.io);
}

/** One line per EKS cluster kubelab created that is still running (and billing by the hour). */
export async function eksReminders(env: NodeJS.ProcessEnv): Promise<string[]> {
  const { listKubelabEksClusters, formatEksClusterReminder } = await import('../aws/eks-records.js');
  return (await listKubelabEksClusters({ env })).map((c) => formatEksClusterReminder(c));
}

/**
 * The app starts the default local cluster itself (building the control plane first when it is
 * not built yet), so a newcomer reads lesson 1 while it comes up instead of watching a compiler.
 * Progress lines go to `onProgress`; the signal stops the build or the start cleanly.
 */
export async function startLocalCluster(name: string | undefined, env: NodeJS.ProcessEnv, signal: AbortSignal, onProgress: (line: string) => void): Promise<void> {
  const provider = await getProvider('local');
  await provider.up({ name: name ?? provider.defaultName, nodes: 3 }, { signal, env, log: onProgress });
}
