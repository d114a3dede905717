import type { KubeConfig } from '@kubernetes/client-node';
import type { z } from 'zod';
import type { ClusterConnection } from './connection.js';
import type { ServiceKey } from './services.js';
import type { CheckResult } from './types.js';

/** A list path the engine watches; any event there re-evaluates the check. */
export interface WatchTarget {
  /** e.g. /apis/apps/v1/namespaces/default/deployments */
  path: string;
  /** Optional query, e.g. { labelSelector: 'app=x' }. */
  query?: Record<string, string>;
}

export interface CheckContext {
  /** Admin credentials for the lesson's cluster (current context of the connection). */
  kubeConfig: KubeConfig;
  /** Another context of the same kubeconfig file, e.g. the lesson's rbac-user context. */
  kubeConfigFor(context: string): KubeConfig;
  /** A client the caller injected (e.g. the EKS API); see services.ts. */
  service<T>(key: ServiceKey<T>): Promise<T>;
  signal: AbortSignal;
  variables: Record<string, string>;
  connection: ClusterConnection;
  lessonDir: string;
  /**
   * The learner's language (en, fr) for messages, labels and hints. Optional: a checker that
   * ignores it and answers in English still works, as before.
   */
  language?: string;
}

export interface Checker<A = unknown> {
  id: string;
  description: string;
  args: z.ZodType<A>;
  /** API lists whose changes may change the result; the engine watches them while waiting. */
  watch?(args: A, ctx: CheckContext): WatchTarget[] | Promise<WatchTarget[]>;
  /** For what cannot be watched (EKS, a command): how often to ask again while waiting. */
  pollIntervalMs?: number | ((args: A) => number);
  /** false: the check never talks to the cluster (tools on PATH), so it runs before one exists. */
  needsCluster?: boolean;
  /** Evaluates the state once. A wrong state is a result, not an exception. */
  run(ctx: CheckContext, args: A): Promise<CheckResult>;
}

export function defineChecker<S extends z.ZodTypeAny>(definition: {
  id: string;
  description: string;
  args: S;
  watch?(args: z.infer<S>, ctx: CheckContext): WatchTarget[] | Promise<WatchTarget[]>;
  pollIntervalMs?: number | ((args: z.infer<S>) => number);
  needsCluster?: boolean;
  run(ctx: CheckContext, args: z.infer<S>): Promise<CheckResult>;
}): Checker<z.infer<S>> {
  return definition as Checker<z.infer<S>>;
}

export const pass = (message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ status: 'pass', message, ...extra });
export const fail = (message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ status: 'fail', message, ...extra });
export const pending = (message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ status: 'pending', message, ...extra });
export const broken = (message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ status: 'error', message, ...extra });
/** Not there yet: waited for up to the check's timeout; `c` before the step says nothing was created. */
export const missing = (message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ status: 'pending', state: 'missing', message, ...extra });
/** There but not as expected: a `fail` as soon as what the check reads has settled. */
export const wrong = (message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ status: 'pending', state: 'wrong', message, ...extra });
/** There, and a controller is still working on it (`why`): waited for, never failed early. */
export const converging = (message: string, why: string, extra: Partial<CheckResult> = {}): CheckResult => ({ status: 'pending', state: 'converging', converging: why, message, ...extra });
export const notApplicable = (message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ status: 'skip', message, ...extra });
