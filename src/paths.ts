import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where kubelab keeps what it owns: progress, cluster kubeconfigs, class membership.
 * KUBELAB_STATE_DIR overrides everything (tests use a temp dir); otherwise the XDG state dir.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBELAB_STATE_DIR) return env.KUBELAB_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'kubelab');
}

/** Heavy, rebuildable things (the control-plane binaries). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBELAB_CACHE_DIR) return env.KUBELAB_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'kubelab');
}
