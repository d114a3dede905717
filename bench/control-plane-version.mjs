/**
 * The local control plane's version, read from its one home (src/providers/control-plane-version.ts),
 * so the benchmarks find the build cache of the version kubelab actually builds.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function controlPlaneVersion() {
  const source = readFileSync(join(resolve(import.meta.dirname, '..'), 'src', 'providers', 'control-plane-version.ts'), 'utf8');
  const found = /export const CONTROL_PLANE_VERSION = '([^']+)'/.exec(source);
  if (!found) throw new Error('bench: CONTROL_PLANE_VERSION not found in src/providers/control-plane-version.ts');
  return found[1];
}
