import { join, relative } from 'node:path';
import { kubelabHome } from './paths.js';

/** The script that builds the local control plane, as shipped in the package (or the clone). */
export function controlPlaneBuildScript(root: string = kubelabHome()): string {
  return join(root, 'scripts', 'build-control-plane.sh');
}

/** A file the scaffold copies (`kubelab init`, `kubelab new lesson`), from templates/ in the package. */
export function scaffoldTemplate(path: string, root: string = kubelabHome()): string {
  return join(root, 'templates', path);
}

/**
 * The command a person types to build the control plane: `npm run build:cluster` only works in a
 * clone, so an installed kubelab names its script's path (relative when that reads shorter).
 */
export function controlPlaneBuildCommand(cwd: string = process.cwd(), root: string = kubelabHome()): string {
  const script = controlPlaneBuildScript(root);
  const rel = relative(cwd, script);
  return `bash ${rel.length < script.length && !rel.startsWith('..') ? rel : script}`;
}
