/**
 * The learner's progress as commands open it: the file of the cluster the flags name (or the one
 * used last), so `list`, `reset` and `catch-up` read and write the same progress as the app.
 */
import { lastUsedCluster, loadProgress, saveProgress, type ClusterKey, type LoadedProgress, type Progress } from '../engine/running/progress.js';
import type { ProviderName } from '../engine/types.js';
import { chooseProvider, clusterKey, type ConnectionFlags } from './connection.js';

export interface OpenedProgress extends LoadedProgress {
  key: ClusterKey;
  provider: ProviderName;
}

export async function openProgress(workshopId: string, flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<OpenedProgress> {
  const last = await lastUsedCluster(workshopId, env);
  const provider = chooseProvider(flags, last.provider);
  const key = clusterKey(flags, provider);
  return { ...(await loadProgress(workshopId, env, key)), key, provider };
}

export const writeProgress = (progress: Progress, key: ClusterKey, env: NodeJS.ProcessEnv) => saveProgress(progress, env, key);

/** The connection flags with the provider the progress belongs to, so both name the same cluster. */
export const flagsFor = <F extends ConnectionFlags>(flags: F, key: ClusterKey): F => ({ ...flags, provider: key.provider });
