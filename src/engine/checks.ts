import type { Checker, CheckContext, WatchTarget } from './checker.js';
import { apiMessage, isKeyMismatch, isUnreachable, kubeModule } from './kube.js';
import type { CheckResult } from './types.js';

export interface CheckRunOptions {
  /** 0 = evaluate once and report as is ("pending" stays "pending"). */
  timeoutMs: number;
  signal: AbortSignal;
  /** While waiting: the latest result and the time left, about once a second. */
  onProgress?(result: CheckResult, remainingMs: number): void;
  /** 'fail': the lesson asserts the opposite ("the Deployment is not Available"); see `negate`. */
  expect?: 'pass' | 'fail';
}

/**
 * A check marked `expect: fail` holds when its checker does not pass (fail or pending), and is
 * waited on while it still passes. A broken or not-applicable check stays what it is: an error is
 * never evidence of the state the lesson wants.
 */
export function negate(result: CheckResult): CheckResult {
  if (result.status === 'pass') {
    return { ...result, status: 'pending', message: `${result.message} (this check must fail)`, expected: 'this check fails', actual: result.message };
  }
  if (result.status === 'fail' || result.status === 'pending') {
    return { status: 'pass', message: `fails as expected: ${result.message}`, ...(result.table && { table: result.table }) };
  }
  return result;
}

/** ${NAME} in string args becomes the step's variable, so one lesson serves every provider. */
export function substituteVariables(value: unknown, variables: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => variables[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => substituteVariables(v, variables));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteVariables(v, variables)]));
  }
  return value;
}

function brokenResult(error: unknown, ctx: CheckContext): CheckResult {
  if (isKeyMismatch(error)) {
    return {
      status: 'fail',
      message: 'the client certificate in the kubeconfig was not issued for its private key',
      hint: 'A certificate from an earlier run, for an older key? Make the key, the request and the certificate again, in that order.',
    };
  }
  if (isUnreachable(error)) {
    return {
      status: 'error',
      message: `cannot reach the API server (${ctx.kubeConfig.getCurrentCluster()?.server ?? 'unknown'}): ${apiMessage(error)}`,
      hint: 'Is the cluster up? Run: kubelab cluster status',
    };
  }
  return { status: 'error', message: `the check itself failed: ${apiMessage(error)}` };
}

async function startWatches(targets: WatchTarget[], ctx: CheckContext, onChange: () => void): Promise<() => void> {
  if (targets.length === 0) return () => undefined;
  const k8s = await kubeModule();
  const watch = new k8s.Watch(ctx.kubeConfig);
  const controllers: AbortController[] = [];
  let stopped = false;
  const open = async (target: WatchTarget): Promise<void> => {
    if (stopped) return;
    try {
      const controller = await watch.watch(target.path, { ...target.query }, () => onChange(), () => {
        // The apiserver ends watches now and then; reopen so no change is missed, and re-check.
        if (!stopped) {
          onChange();
          setTimeout(() => void open(target), 200).unref();
        }
      });
      if (stopped) controller.abort();
      else controllers.push(controller);
    } catch {
      if (!stopped) setTimeout(() => void open(target), 1000).unref();
    }
  };
  await Promise.all(targets.map(open));
  return () => {
    stopped = true;
    for (const c of controllers) c.abort();
  };
}

/**
 * Evaluates a check until it is decided or the deadline passes. Waiting is driven by watches on
 * the lists the checker names (or its poll interval for APIs that cannot be watched), never by
 * sleeping: a change in the cluster re-evaluates at once.
 */
export async function runCheck(checker: Checker<any>, rawArgs: Record<string, unknown>, ctx: CheckContext, options: CheckRunOptions): Promise<CheckResult> {
  const parsed = checker.args.safeParse(substituteVariables(rawArgs, ctx.variables));
  if (!parsed.success) {
    return { status: 'error', message: `bad args for ${checker.id}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  }
  const args = parsed.data;
  const negated = options.expect === 'fail';
  const evaluate = async (): Promise<CheckResult> => {
    let result: CheckResult;
    try {
      result = await checker.run(ctx, args);
    } catch (error) {
      result = brokenResult(error, ctx);
    }
    return negated ? negate(result) : result;
  };
  if (options.timeoutMs <= 0) return evaluate();

  const deadline = performance.now() + options.timeoutMs;
  let dirty = true;
  let wake: (() => void) | undefined;
  const changed = () => {
    dirty = true;
    wake?.();
  };
  // A watch that cannot start (discovery down) leaves the poll and the one-second tick to re-check.
  const targets = await Promise.resolve()
    .then(() => checker.watch?.(args, ctx) ?? [])
    .catch(() => []);
  const stopWatches = await startWatches(targets, ctx, changed).catch(() => () => undefined);
  const interval = typeof checker.pollIntervalMs === 'function' ? checker.pollIntervalMs(args) : checker.pollIntervalMs;
  const poll = interval ? setInterval(changed, interval) : undefined;
  const onAbort = () => wake?.();
  options.signal.addEventListener('abort', onAbort);
  let last: CheckResult = { status: 'pending', message: 'checking…' };
  try {
    for (;;) {
      if (options.signal.aborted) return { status: 'error', message: 'check interrupted' };
      if (dirty) {
        dirty = false;
        last = await evaluate();
        if (last.status !== 'pending') return last;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        const seconds = Math.round(options.timeoutMs / 1000);
        if (negated) return { ...last, status: 'fail', message: `still passes after ${seconds} s, but this check must fail: ${last.actual ?? last.message}` };
        return { ...last, status: 'fail', message: `still not there after ${seconds} s: ${last.message}` };
      }
      options.onProgress?.(last, remaining);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(1000, remaining));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    stopWatches();
    if (poll) clearInterval(poll);
    options.signal.removeEventListener('abort', onAbort);
  }
}
