/**
 * Evaluates a step's checks for the session: side by side, the first failure deciding, with the
 * cluster's credentials read once (and again after `reload`) or, for checks that need no cluster,
 * a context that refuses to reach one.
 */
import { setMaxListeners } from 'node:events';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Checker, CheckContext } from '../checker.js';
import { learnerLanguageOf } from '../i18n/lesson-translation.js';
import { serviceLocator } from '../services.js';
import { NOT_EVALUATED, type CheckResult, type CheckSpec, type Lesson, type Step } from '../types.js';
import type { CheckOutcome, RunChecksOptions, SessionCore } from './step-outcomes.js';

type BaseContext = Omit<CheckContext, 'signal' | 'lessonDir'>;

export class StepChecks {
  private contextPromise?: Promise<BaseContext>;

  constructor(private readonly core: SessionCore) {}

  /**
   * Reads the kubeconfig again at the next check: a cluster recreated under the same name (a new
   * `cluster up` after `cluster down`) has a new address and CA in the same file.
   */
  reload(): void {
    this.contextPromise = undefined;
  }

  private async baseContext(): Promise<BaseContext> {
    this.contextPromise ??= (async () => {
      const { connection } = this.core.options;
      const kubeConfig = await this.core.ports.loadKubeConfig(connection);
      const variables = this.core.variables;
      return {
        kubeConfig,
        kubeConfigFor: (context: string) => {
          const kc = new (kubeConfig.constructor as new () => KubeConfig)();
          kc.loadFromFile(connection.kubeconfig);
          if (!kc.getContextObject(context)) throw new Error(`context "${context}" is not in kubelab's kubeconfig`);
          kc.setCurrentContext(context);
          return kc;
        },
        service: serviceLocator(this.core.options.services ?? {}, variables),
        variables,
        connection,
      };
    })();
    return this.contextPromise;
  }

  /** A context for checks that never talk to the cluster, usable before one exists. */
  private offlineContext(): BaseContext {
    const refuse = (): never => {
      throw new Error('this check may not use the cluster (it declares needsCluster: false)');
    };
    // Any use of the credentials fails loudly; merely passing the context around does not.
    const kubeConfig = new Proxy({}, { get: refuse }) as KubeConfig;
    return {
      kubeConfig,
      kubeConfigFor: refuse,
      service: serviceLocator(this.core.options.services ?? {}, this.core.variables),
      variables: this.core.variables,
      connection: this.core.options.connection,
    };
  }

  /**
   * Evaluates the step's checks side by side, each waiting up to `timeoutMs` (its own timeout when
   * undefined; 0 evaluates once, and confirms a wrong value by letting it settle). The first check
   * that fails decides the step: the others stop there, each saying it was not decided and why.
   * With `nothingYet`, a step none of whose objects exist is said to be so at once rather than
   * waited on. Outcomes come back in the step's order.
   */
  async runChecks(lesson: Lesson, step: Step, signal: AbortSignal, timeoutMs?: number, options: RunChecksOptions = {}): Promise<CheckOutcome[]> {
    const probe = options.probe ? { probe: true } : {};
    const at = { lessonId: lesson.id, stepId: step.id };
    const specs = this.core.checksFor(step);
    if (specs.length === 0) return [];
    let base: BaseContext | undefined;
    let contextError: string | undefined;
    try {
      base = await this.baseContext();
    } catch (error) {
      contextError = describeMissingCluster(error as NodeJS.ErrnoException);
      this.contextPromise = undefined;
    }
    for (const spec of specs) this.core.emit({ type: 'check-start', ...at, checkId: spec.id, checker: spec.checker, ...probe });
    // One abort for the step: Ctrl-C (the caller's signal) or a check that failed. Each check
    // hangs one listener on it and takes it off when done, so many checks raise no warning.
    const step$ = new AbortController();
    setMaxListeners(specs.length + 10, step$.signal);
    const forwardAbort = () => step$.abort();
    if (signal.aborted) step$.abort();
    else signal.addEventListener('abort', forwardAbort, { once: true });
    let decidedBy: string | undefined;
    const evaluate = async (spec: CheckSpec, checker: Checker<any> | undefined, context: BaseContext | undefined, checkTimeoutMs: number, confirmWrong = options.confirmWrong): Promise<CheckResult> => {
      if (!checker) return { status: 'error', message: `unknown checker "${spec.checker}" (run kubelab lint)` };
      if (!context) return { status: 'error', message: contextError!, hint: 'Start it with the lesson step that creates it, or run: kubelab cluster up' };
      const own = new AbortController();
      const stop = () => own.abort();
      if (step$.signal.aborted) own.abort();
      else step$.signal.addEventListener('abort', stop, { once: true });
      try {
        return await this.core.ports.evaluateCheck(spec, checker, { ...context, signal: own.signal, lessonDir: lesson.dir, language: learnerLanguageOf(lesson) }, {
          timeoutMs: checkTimeoutMs,
          signal: own.signal,
          confirmWrong,
          onProgress: (r, remainingMs) => this.core.emit({ type: 'check-progress', ...at, checkId: spec.id, result: r, remainingMs }),
        });
      } finally {
        step$.signal.removeEventListener('abort', stop);
      }
    };
    const contextFor = (checker: Checker<any> | undefined) => base ?? (checker?.needsCluster === false ? this.offlineContext() : undefined);
    try {
      if (options.nothingYet) {
        const nothing = await this.nothingCreatedYet(specs, (spec) => {
          const checker = this.core.options.checkers.get(spec.checker);
          // A first look only: whether anything is there at all, not yet whether it is right.
          return evaluate(spec, checker, contextFor(checker), 0, false);
        });
        if (nothing) {
          return specs.map((spec, i) => {
            const result = this.core.redactor.value(nothing[i]);
            this.core.emit({ type: 'check-end', ...at, checkId: spec.id, result, durationMs: 0, ...probe });
            return { spec, result, durationMs: 0 };
          });
        }
      }
      return await Promise.all(
        specs.map(async (spec): Promise<CheckOutcome> => {
          const started = performance.now();
          const checker = this.core.options.checkers.get(spec.checker);
          let result = await evaluate(spec, checker, contextFor(checker), timeoutMs ?? spec.timeoutSeconds * 1000);
          // --prove wants every check's answer before the step, so nothing is cut short there.
          if (result.status === 'fail' && !decidedBy && !options.probe && !options.every) {
            decidedBy = spec.id;
            step$.abort();
          } else if (decidedBy && decidedBy !== spec.id && !signal.aborted && !['pass', 'skip', 'fail'].includes(result.status)) {
            result = { status: 'pending', message: `not decided: the step already failed on ${decidedBy}` };
          }
          result = this.core.redactor.value(result);
          const durationMs = Math.round(performance.now() - started);
          const unprovable = options.probe && spec.unprovable ? { unprovable: spec.unprovable } : {};
          this.core.emit({ type: 'check-end', ...at, checkId: spec.id, result, durationMs, ...probe, ...unprovable });
          return { spec, result, durationMs };
        }),
      );
    } finally {
      signal.removeEventListener('abort', forwardAbort);
    }
  }

  /** The step's checks, each said not to have run and why (a failed command leaves them unknown, not failed). */
  notEvaluated(lesson: Lesson, step: Step, why: string): CheckOutcome[] {
    const at = { lessonId: lesson.id, stepId: step.id };
    return this.core.checksFor(step).map((spec) => {
      const result: CheckResult = this.core.redactor.value({ status: 'skip', message: `${NOT_EVALUATED}${why}` });
      this.core.emit({ type: 'check-start', ...at, checkId: spec.id, checker: spec.checker });
      this.core.emit({ type: 'check-end', ...at, checkId: spec.id, result, durationMs: 0 });
      return { spec, result, durationMs: 0 };
    });
  }

  /**
   * Each check's answer now, when none of them finds anything: what the step creates is not there
   * (the learner pressed `c` before running it). Undefined when anything exists or already passes.
   */
  private async nothingCreatedYet(specs: CheckSpec[], once: (spec: CheckSpec) => Promise<CheckResult>): Promise<CheckResult[] | undefined> {
    const now = await Promise.all(specs.map(once));
    if (!now.every((r) => r.status === 'pending' && r.state === 'missing')) return undefined;
    return now.map((r) => ({ ...r, message: `nothing created yet — did you run the step? (${r.message})` }));
  }
}

/** "No cluster yet" in words, not an ENOENT with a path. */
function describeMissingCluster(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'there is no cluster yet: it is created by the lesson step that starts it (or by kubelab cluster up)';
  return `cannot load the cluster credentials: ${error.message}`;
}
