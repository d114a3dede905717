/**
 * The one place a WorkshopSession is built: commands and the app hand it the workshop, the cluster
 * and where events go; the checkers and anything the engine needs injected are added here.
 */
import type { Checker } from '../engine/checker.js';
import { DiagnosticBag, formatDiagnostic } from '../engine/diagnostics.js';
import { checkArgs } from '../engine/loading/lint.js';
import { UsageError } from '../errors.js';
import { WorkshopSession } from '../engine/running/session.js';
import type { EngineListener, Workshop } from '../engine/types.js';
import { awsServices } from '../aws/eks-service.js';
import type { ClusterConnection } from '../engine/connection.js';

/** Checkers differ in their argument types, so the registry holds them as Checker<any>. */
export type CheckerRegistry = Map<string, Checker<any>>;

export interface OpenSessionOptions {
  workshop: Workshop;
  connection: ClusterConnection;
  env: NodeJS.ProcessEnv;
  /** The cluster's name when the learner chose one (--name): `kubelab cluster …` in lessons is given it. */
  clusterName?: string;
  /** Where lesson, step, output and check events go; nowhere when omitted. */
  emit?: EngineListener;
}

/**
 * The checkers a workshop's lessons may name: kubelab's own and the workshop's (its checkers/
 * folder). Loaded on first use, they pull in client-node. With `diagnostics` (lint), a module
 * that does not load is reported there; without, it is a UsageError naming the file.
 */
export async function loadCheckers(workshop: Pick<Workshop, 'dir'>, diagnostics?: DiagnosticBag): Promise<CheckerRegistry> {
  const { loadCheckers: load } = await import('../../checkers/index.js');
  return load(workshop, diagnostics);
}

/** What lint checks lessons against: kubelab's checkers, and the ids of the workshop's own (not run). */
export async function inspectCheckers(workshop: Pick<Workshop, 'dir'>, diagnostics: DiagnosticBag): Promise<{ checkers: CheckerRegistry; declared: Set<string> }> {
  const { inspectCheckers: inspect } = await import('../../checkers/index.js');
  return inspect(workshop, diagnostics);
}

/** A session with checkers already loaded (the app loads them while it draws its first frame). */
export function createSession(options: OpenSessionOptions, checkers: CheckerRegistry): WorkshopSession {
  return new WorkshopSession({ ...options, checkers, emit: options.emit ?? (() => undefined), services: awsServices(options.env) });
}

/**
 * A session for running lessons. The workshop's checker modules are loaded (run) here, and every
 * check's arguments are held against its checker's schema before anything runs: lint cannot do
 * that for a workshop's own checkers, since it never runs their code.
 */
export async function openSession(options: OpenSessionOptions): Promise<WorkshopSession> {
  const checkers = await loadCheckers(options.workshop);
  const bag = new DiagnosticBag();
  for (const lesson of options.workshop.lessons) for (const step of lesson.steps) checkArgs(step, checkers, bag);
  if (bag.hasErrors) throw new UsageError(`The lessons' checks have problems:\n${bag.items.map(formatDiagnostic).join('\n')}`, 'Fix them, then run: kubelab lint');
  return createSession(options, checkers);
}
