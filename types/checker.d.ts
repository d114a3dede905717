// Types of `kubelab/checker`, the entry a workshop's own checker modules import.
// Kept by hand next to src/checker-entry.ts; test/unit/engine/checker-entry.test.ts holds the two together.
import type { KubeConfig } from '@kubernetes/client-node';
import type { z } from 'zod';

export { z } from 'zod';

/** 'pending' = not yet, keep waiting; 'fail' = wrong; 'error' = the check itself broke; 'skip' = not applicable here. */
export type CheckStatus = 'pass' | 'fail' | 'pending' | 'error' | 'skip';

export interface CheckTable {
  columns: string[];
  rows: { label: string; cells: string[] }[];
}

export interface CheckResult {
  status: CheckStatus;
  /** One line in the learner's language. */
  message: string;
  expected?: string;
  actual?: string;
  hint?: string;
  table?: CheckTable;
  /**
   * On a `pending` result, what is there: 'missing' (nothing yet: waited for up to the timeout),
   * 'converging' (a controller is still at work: waited for), 'wrong' (there, but not as expected:
   * a `fail` once nothing the check reads has changed for a moment). Unset: waited for.
   */
  state?: 'missing' | 'converging' | 'wrong';
  /** With state 'converging': what is still at work, in words. */
  converging?: string;
}

/** A list path the engine watches; any event there re-evaluates the check. */
export interface WatchTarget {
  /** e.g. /apis/apps/v1/namespaces/default/deployments */
  path: string;
  /** e.g. { labelSelector: 'app=x' } or { fieldSelector: 'metadata.name=x' } */
  query?: Record<string, string>;
}

export interface CheckConnection {
  provider: string;
  name: string;
  kubeconfig: string;
  context: string;
  /** True where pods are simulated (the local provider): nothing really runs in them. */
  simulated?: boolean;
  variables: Record<string, string>;
}

export interface CheckContext {
  /** Admin credentials for the lesson's cluster. */
  kubeConfig: KubeConfig;
  /** Another context of the same kubeconfig file, e.g. a learner user's context. */
  kubeConfigFor(context: string): KubeConfig;
  /** Aborted when the learner presses Ctrl-C or the run stops: pass it to every request. */
  signal: AbortSignal;
  /** The workshop's variables, KUBECONFIG and the provider's variables. */
  variables: Record<string, string>;
  connection: CheckConnection;
  /** The folder of the lesson being checked. */
  lessonDir: string;
  /** The learner's language ("en", "fr"): answer in it if you can; plain English strings still work. */
  language?: string;
}

export interface Checker<A = unknown> {
  id: string;
  description: string;
  args: z.ZodType<A>;
  watch?(args: A, ctx: CheckContext): WatchTarget[] | Promise<WatchTarget[]>;
  pollIntervalMs?: number | ((args: A) => number);
  /** false: the check never talks to the cluster (e.g. tools on PATH), so it runs before one exists. */
  needsCluster?: boolean;
  run(ctx: CheckContext, args: A): Promise<CheckResult>;
}

export declare function defineChecker<S extends z.ZodTypeAny>(definition: {
  /** What lessons write after `check:`; lowercase letters, digits and dashes. */
  id: string;
  description: string;
  /** Validated by `kubelab lint` before anything runs. */
  args: S;
  /** API lists whose changes may change the result: the engine watches them while waiting. */
  watch?(args: z.infer<S>, ctx: CheckContext): WatchTarget[] | Promise<WatchTarget[]>;
  /** For what cannot be watched: how often (ms) to evaluate again while waiting. */
  pollIntervalMs?: number | ((args: z.infer<S>) => number);
  /** false: the check never talks to the cluster (e.g. tools on PATH), so it runs before one exists. */
  needsCluster?: boolean;
  /** Evaluates the state once. A wrong state is a result (fail or pending), not an exception. */
  run(ctx: CheckContext, args: z.infer<S>): Promise<CheckResult>;
}): Checker<z.infer<S>>;

export declare const pass: (message: string, extra?: Partial<CheckResult>) => CheckResult;
export declare const fail: (message: string, extra?: Partial<CheckResult>) => CheckResult;
export declare const pending: (message: string, extra?: Partial<CheckResult>) => CheckResult;
export declare const broken: (message: string, extra?: Partial<CheckResult>) => CheckResult;
export declare const notApplicable: (message: string, extra?: Partial<CheckResult>) => CheckResult;
/** Not there yet: waited for; `kubelab check` before the step says nothing was created. */
export declare const missing: (message: string, extra?: Partial<CheckResult>) => CheckResult;
/** There but not as expected: a `fail` as soon as what the check reads has settled. */
export declare const wrong: (message: string, extra?: Partial<CheckResult>) => CheckResult;
/** There, and a controller is still working on it (`why`): waited for, never failed early. */
export declare const converging: (message: string, why: string, extra?: Partial<CheckResult>) => CheckResult;
/** What is still at work on an object (a rollout, a namespace terminating…), or undefined. `kind` for list items, which carry none. */
export declare function stillWorking(object: object, kind?: string): string | undefined;

export interface Difference {
  path: string;
  expected: string;
  found?: string;
}

/** The `resource` checker's partial match: [] when `actual` holds every field of `expected`. */
export declare function matchPartial(expected: unknown, actual: unknown): Difference[];
/** Differences as one sentence: `data.GREETING is "hello", expected "bonjour"`. */
export declare function describeDifferences(diffs: Difference[], limit?: number): string;
/** A substring, or a /pattern/flags, found in text. */
export declare function textMatches(pattern: string, text: string): boolean;

export interface ResolvedKind {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}
/** GET an API path as JSON; undefined on 404. */
export declare function getJson<T = unknown>(kc: KubeConfig, path: string, query?: Record<string, string | undefined>, signal?: AbortSignal): Promise<T | undefined>;
/** Where a kind lives, from discovery (apiVersion optional for built-in kinds). */
export declare function resolveKind(kc: KubeConfig, ref: { apiVersion?: string; kind: string }, signal?: AbortSignal): Promise<ResolvedKind | undefined>;
export declare function listPath(kind: ResolvedKind, namespace?: string): string;
export declare function objectName(kind: string, name: string, namespace?: string): string;
