/**
 * What the app asks between looks at the cluster: did its credentials change (a cluster
 * recreated under the same name gets a new port and CA in the same kubeconfig), and is any part
 * of it down although the API server answers (a dead controller manager).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ClusterConnection } from '../engine/connection.js';

/**
 * A digest of the kubeconfig file, or undefined while there is none. Only compared, never
 * shown: the file holds keys, its digest says nothing about them.
 */
export async function credentialFingerprint(kubeconfig: string): Promise<string | undefined> {
  try {
    return createHash('sha256').update(await readFile(kubeconfig)).digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * The parts of a cluster that are down, in one line ("kube-controller-manager (process 4242 is
 * gone)"), or undefined when all run: each local component's process and health endpoint; for
 * other providers the API server's /readyz.
 */
export async function partsDown(connection: ClusterConnection, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string | undefined> {
  const { clusterHealth, describeDown } = await import('../providers/health.js');
  const health = await clusterHealth(connection, { signal, env });
  return health.every((c) => c.healthy) ? undefined : describeDown(health);
}
