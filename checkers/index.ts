import type { Checker } from '../src/engine/checker.js';

/** Every checker kubelab ships, by id. Lessons name them in their ```yaml step``` blocks. */
export async function loadBuiltinCheckers(): Promise<Map<string, Checker<any>>> {
  const modules = await Promise.all([import('./cluster.js'), import('./workloads.js'), import('./rbac.js')]);
  const all = modules.flatMap((m) => m.checkers as Checker<any>[]);
  return new Map(all.map((c) => [c.id, c]));
}
