import type { Checker } from '../src/engine/checker.js';
import { DiagnosticBag, formatDiagnostic } from '../src/engine/diagnostics.js';
import type { Workshop } from '../src/engine/types.js';
import { UsageError } from '../src/errors.js';

/** Every checker kubelab ships, by id. Lessons name them in their ```yaml step``` blocks. */
export async function loadBuiltinCheckers(): Promise<Map<string, Checker<any>>> {
  const [cluster, workloads, placement, endpoints, rbac, generic, script, eks] = await Promise.all([
    import('./cluster.js'),
    import('./workloads.js'),
    import('./placement.js'),
    import('./endpoints.js'),
    import('./rbac.js'),
    import('./generic.js'),
    import('./script.js'),
    import('./eks/index.js'),
  ]);
  const all: Checker<any>[] = [...cluster.checkers, ...workloads.checkers, ...placement.checkers, ...endpoints.checkers, ...rbac.checkers, ...generic.checkers, ...script.checkers, ...(eks.eksCheckers as Checker<any>[])];
  return new Map(all.map((c) => [c.id, c]));
}

/**
 * The checkers a workshop's lessons may name: kubelab's own, then the workshop's (its checkers/
 * folder). With `diagnostics`, a module that does not load is reported there (lint); without, it
 * is a UsageError (exit 2) naming the file, since running lessons with a checker missing would
 * only fail later and less clearly.
 */
export async function loadCheckers(workshop: Pick<Workshop, 'dir'>, diagnostics?: DiagnosticBag): Promise<Map<string, Checker<any>>> {
  const checkers = await loadBuiltinCheckers();
  const { loadWorkshopCheckers } = await import('../src/engine/loading/workshop-checkers.js');
  const bag = diagnostics ?? new DiagnosticBag();
  const before = bag.items.length;
  for (const checker of await loadWorkshopCheckers(workshop.dir, bag, new Set(checkers.keys()))) checkers.set(checker.id, checker);
  const problems = bag.items.slice(before).filter((d) => d.severity === 'error');
  if (!diagnostics && problems.length) {
    throw new UsageError(`The workshop's checker modules have problems:\n${problems.map(formatDiagnostic).join('\n')}`, 'Run: kubelab lint');
  }
  return checkers;
}

/**
 * For `kubelab lint`: kubelab's checkers, and the ids the workshop's own modules declare — read
 * from their code, never run (a workshop being linted is not trusted yet).
 */
export async function inspectCheckers(workshop: Pick<Workshop, 'dir'>, diagnostics: DiagnosticBag): Promise<{ checkers: Map<string, Checker<any>>; declared: Set<string> }> {
  const checkers = await loadBuiltinCheckers();
  const { inspectWorkshopCheckers } = await import('../src/engine/loading/workshop-checkers.js');
  return { checkers, declared: await inspectWorkshopCheckers(workshop.dir, diagnostics, new Set(checkers.keys())) };
}
