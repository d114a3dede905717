import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder kubelab is installed in: a clone, or node_modules/kubelab after `npm install`.
 * Found from this module's own file (src/ under tests, dist/ or dist/chunks/ when bundled), never
 * from the current directory, so an installed kubelab finds its bundled workshop and scripts.
 */
export function installRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kubelab') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the kubelab installation folder above ${from}`);
    dir = parent;
  }
}

/** The script that builds the local control plane, as shipped in the package. */
export function controlPlaneBuildScript(root: string = installRoot()): string {
  return join(root, 'scripts', 'build-control-plane.sh');
}

/**
 * The command a person types to build the control plane: `npm run build:cluster` only works in a
 * clone, so an installed kubelab names its script's path (relative when that is shorter to read).
 */
export function controlPlaneBuildCommand(cwd: string = process.cwd(), root: string = installRoot()): string {
  const script = controlPlaneBuildScript(root);
  const rel = relative(cwd, script);
  return `bash ${rel.length < script.length && !rel.startsWith('..') ? rel : script}`;
}
