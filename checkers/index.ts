import type { Checker } from '../src/engine/checker.js';

/** Every checker kubelab ships, by id. Lessons name them in their ```yaml step``` blocks. */
export async function loadBuiltinCheckers(): Promise<Map<string, Checker<any>>> {
  const [cluster, workloads, rbac, eks] = await Promise.all([import('./cluster.js'), import('./workloads.js'), import('./rbac.js'), import('./eks/index.js')]);
  const all: Checker<any>[] = [...cluster.checkers, ...workloads.checkers, ...rbac.checkers, ...(eks.eksCheckers as Checker<any>[])];
  return new Map(all.map((c) => [c.id, c]));
}
