import type { Checker, CheckContext, WatchTarget } from '../checker.js';
import { apiMessage, isKeyMismatch, isUnreachable, kubeModule } from './kube.js';
import type { CheckResult } from '../types.js';

export interface CheckRunOptions {
  /** 0 = evaluate once and report as is ("pending" stays "pending"). */
  timeoutMs: number;
  signal: AbortSignal;
  /** While waiting: the latest result and the time left, about once a second. */
  onProgress?(result: CheckResult, remainingMs: number): void;
  /** 'fail': the lesson asserts the opposite ("the Deployment is not Available"); see `negate`. */
  expect?: 'pass' | 'fail';
  /**
   * How long nothing the check reads may change before a wrong state counts as settled and the
   * check fails (default SETTLE_MS). The watches' first events (the objects as they are) count.
   */
  settleMs?: number;
  /** With timeoutMs 0: a first answer that is wrong is watched until it settles, then said as `fail`. */
  confirmWrong?: boolean;
}

/**
 * A moment of quiet long enough for a controller that is going to act on a change to have acted
 * (they answer a watch event in milliseconds; a busy 2-core machine in about a second), short
 * enough that a wrong value is named in seconds.
 */
export const SETTLE_MS = 2000;

/**
 * A check marked `expect: fail` holds when its checker does not pass (fail or pending), and is
 * waited on while it still passes. A broken or not-applicable check stays what it is: an error is
 * never evidence of the state the lesson wants.
 */
export function negate(result: CheckResult): CheckResult {
  if (result.status === 'pass') {
    // Passing is a state that is there: wrong for this check, so it fails once it has settled.
    return { ...result, status: 'pending', state: 'wrong', message: `${result.message} (this check must fail)`, expected: 'this check fails', actual: result.message };
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

/** Without the engine's own bookkeeping: what a reporter shows of a pending result. */
function verdict(result: CheckResult, status: CheckResult['status'], message: string): CheckResult {
  const { state: _state, converging: _converging, ...rest } = result;
  return { ...rest, status, message };
}

/** A wrong state nothing is changing any more: the check fails now, saying what differs. */
function settledFailure(last: CheckResult): CheckResult {
  return verdict(last, 'fail', last.message);
}

/** The timeout, the backstop: said in the words of what was last seen. */
function timedOut(last: CheckResult, timeoutMs: number, negated: boolean): CheckResult {
  const seconds = Math.round(timeoutMs / 1000);
  if (negated) return verdict(last, 'fail', `still passes after ${seconds} s, but this check must fail: ${last.actual ?? last.message}`);
  if (last.state === 'converging') return verdict(last, 'fail', `still not settled after ${seconds} s: ${last.message}${last.converging ? ` (${last.converging})` : ''}`);
  if (last.state === 'wrong') return verdict(last, 'fail', `${last.message} (still so after ${seconds} s)`);
  return verdict(last, 'fail', `still not there after ${seconds} s: ${last.message}`);
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
  const settleMs = options.settleMs ?? SETTLE_MS;
  let budget = options.timeoutMs;
  if (budget <= 0) {
    const once = await evaluate();
    // "Evaluate once" still names a wrong value as a failure, after the moment it takes to settle.
    if (!(options.confirmWrong && once.state === 'wrong')) return once;
    budget = settleMs * 3;
  }

  const deadline = performance.now() + budget;
  let dirty = true;
  // When what the check reads last changed: a watch event, or a different answer from a poll.
  let changedAt = performance.now();
  let wake: (() => void) | undefined;
  const changed = () => {
    dirty = true;
    wake?.();
  };
  const watched = () => {
    changedAt = performance.now();
    changed();
  };
  // A watch that cannot start (discovery down) leaves the poll and the one-second tick to re-check.
  const targets = await Promise.resolve()
    .then(() => checker.watch?.(args, ctx) ?? [])
    .catch(() => []);
  const stopWatches = await startWatches(targets, ctx, watched).catch(() => () => undefined);
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
        const previous = last;
        last = await evaluate();
        if (last.status !== 'pending') return last;
        if (last.message !== previous.message || last.state !== previous.state) changedAt = performance.now();
      }
      const now = performance.now();
      const quietFor = now - changedAt;
      if (last.state === 'wrong' && quietFor >= settleMs) return settledFailure(last);
      const remaining = deadline - now;
      if (remaining <= 0) return options.timeoutMs > 0 ? timedOut(last, options.timeoutMs, negated) : last;
      options.onProgress?.(last, remaining);
      // A wrong state is looked at again when the quiet moment ends, so it is named then.
      const untilSettled = last.state === 'wrong' ? settleMs - quietFor : Infinity;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, Math.min(1000, remaining, untilSettled)));
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
