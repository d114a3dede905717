import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from './errors.js';

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

/**
 * The folder kubelab is installed in (package.json, workshop.yaml, lessons/, checkers/, bin/),
 * found from wherever this module runs: src/ under tests, dist/ or dist/chunks/ once bundled.
 */
export function kubelabHome(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kubelab') return dir;
    dir = dirname(dir);
  }
  throw new EnvironmentError('kubelab cannot find its installation folder (package.json, lessons/); the installation is incomplete.', 'Reinstall kubelab.');
}

/** kubelab's own bin/ folder: lesson commands find `kubelab` there first. */
export function kubelabBinDir(): string {
  return join(kubelabHome(), 'bin');
}
