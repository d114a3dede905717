import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { converging, defineChecker, fail, missing, pass, pending, wrong, type CheckContext } from '../../../src/engine/checker.js';
import { runCheck } from '../../../src/engine/running/checks.js';

const ctx = { signal: new AbortController().signal, variables: {} } as unknown as CheckContext;
/** A checker whose answer the test sets; it is polled, so a changed answer is seen within ms. */
function switchable(initial: ReturnType<typeof pass>) {
  const state = { result: initial, runs: 0 };
  const checker = defineChecker({
    id: 'switchable',
    description: 'test',
    args: z.object({}).strict(),
    pollIntervalMs: 20,
    async run() {
      state.runs++;
      return state.result;
    },
  });
  return { state, checker };
}

describe('expect: fail (negated checks)', () => {
  it('given a check that fails, when negated, then it passes and says it failed as expected', async () => {
    const { checker } = switchable(fail('the Deployment is not Available'));
    expect(await runCheck(checker, {}, ctx, { timeoutMs: 0, signal: ctx.signal, expect: 'fail' })).toMatchObject({ status: 'pass', message: 'fails as expected: the Deployment is not Available' });
  });

  it('given a check still pending, when negated, then it holds (not there is not passing)', async () => {
    const { checker } = switchable(pending('0 pods'));
    expect(await runCheck(checker, {}, ctx, { timeoutMs: 0, signal: ctx.signal, expect: 'fail' })).toMatchObject({ status: 'pass' });
  });

  it('given a check that passes, when negated, then it waits for it to stop passing and fails at the deadline, saying so', async () => {
    const { checker } = switchable(pass('rbac-user can delete pods'));
    const result = await runCheck(checker, {}, ctx, { timeoutMs: 300, signal: ctx.signal, expect: 'fail' });
    expect(result).toMatchObject({ status: 'fail', message: 'still passes after 0 s, but this check must fail: rbac-user can delete pods' });
  });

  it('given a negated check that passes at first, when the state changes, then it passes without waiting for the deadline', async () => {
    const { state, checker } = switchable(pass('Available'));
    setTimeout(() => (state.result = fail('not Available')), 50);
    const started = performance.now();
    expect(await runCheck(checker, {}, ctx, { timeoutMs: 10_000, signal: ctx.signal, expect: 'fail' })).toMatchObject({ status: 'pass' });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('given a broken check, when negated, then it stays an error: a broken check proves nothing', async () => {
    const checker = defineChecker({ id: 'broken', description: 'test', args: z.object({}), async run() { throw new Error('boom'); } });
    expect(await runCheck(checker, {}, ctx, { timeoutMs: 0, signal: ctx.signal, expect: 'fail' })).toMatchObject({ status: 'error' });
  });
});

describe('a check that throws', () => {
  const throwing = (message: string) =>
    defineChecker({
      id: 'throws',
      description: 'test',
      args: z.object({}).strict(),
      async run() {
        throw new Error(message);
      },
    });
  const withServer = { ...ctx, kubeConfig: { getCurrentCluster: () => ({ server: 'https://127.0.0.1:6443' }) } } as unknown as CheckContext;

  it('given a client key that does not match its certificate, then it fails saying so, not "cannot reach the API server"', async () => {
    const result = await runCheck(throwing('error:05800074:x509 certificate routines::key values mismatch'), {}, withServer, { timeoutMs: 0, signal: ctx.signal });
    expect(result).toMatchObject({ status: 'fail', message: 'the client certificate in the kubeconfig was not issued for its private key' });
  });

  it('given a refused connection, then it is an error naming the server, with the cluster status hint', async () => {
    const result = await runCheck(throwing('connect ECONNREFUSED 127.0.0.1:6443'), {}, withServer, { timeoutMs: 0, signal: ctx.signal });
    expect(result).toMatchObject({ status: 'error', message: expect.stringContaining('cannot reach the API server (https://127.0.0.1:6443)'), hint: 'Is the cluster up? Run: kubelab cluster status' });
  });
});

describe('settle, then say (one check)', () => {
  it('given a wrong value nothing changes, then it fails once the quiet moment has passed, long before the timeout', async () => {
    const { checker } = switchable(wrong('data.GREETING is "hello", expected "bonjour"'));
    const started = performance.now();
    const result = await runCheck(checker, {}, ctx, { timeoutMs: 60_000, signal: ctx.signal, settleMs: 200 });
    expect(result).toEqual({ status: 'fail', message: 'data.GREETING is "hello", expected "bonjour"' });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('given a controller still at work, then it is waited for up to the timeout, and the timeout says what was still moving', async () => {
    const { checker } = switchable(converging('web: 1/2 replicas ready', 'rollout of Deployment web: 1 of 2 pods ready'));
    const result = await runCheck(checker, {}, ctx, { timeoutMs: 600, signal: ctx.signal, settleMs: 50 });
    expect(result).toMatchObject({ status: 'fail', message: 'still not settled after 1 s: web: 1/2 replicas ready (rollout of Deployment web: 1 of 2 pods ready)' });
    expect(result).not.toHaveProperty('state');
  });

  it('given a wrong value that keeps changing (a rollout on its way), then it is not failed while it changes, and passes when it gets there', async () => {
    const { state, checker } = switchable(wrong('0 of 2 updated'));
    let n = 0;
    const moving = setInterval(() => {
      n++;
      state.result = n < 8 ? wrong(`${n} of 2 updated`) : pass('2 of 2 updated');
    }, 40);
    try {
      expect(await runCheck(checker, {}, ctx, { timeoutMs: 10_000, signal: ctx.signal, settleMs: 150 })).toMatchObject({ status: 'pass' });
    } finally {
      clearInterval(moving);
    }
  });

  it('given something not there yet, then it is waited for (pending keeps its meaning) and the timeout says "not there"', async () => {
    const { checker } = switchable(missing('ConfigMap app-config does not exist'));
    expect(await runCheck(checker, {}, ctx, { timeoutMs: 400, signal: ctx.signal, settleMs: 50 })).toMatchObject({ status: 'fail', message: 'still not there after 0 s: ConfigMap app-config does not exist' });
  });

  it('given "evaluate once" with confirmWrong, then a wrong value is said as a failure after it settles, and a missing one stays pending at once', async () => {
    const { checker } = switchable(wrong('replicas is 2, expected 3'));
    expect(await runCheck(checker, {}, ctx, { timeoutMs: 0, signal: ctx.signal, settleMs: 100, confirmWrong: true })).toMatchObject({ status: 'fail', message: 'replicas is 2, expected 3' });
    const absent = switchable(missing('no Deployment web yet'));
    expect(await runCheck(absent.checker, {}, ctx, { timeoutMs: 0, signal: ctx.signal, confirmWrong: true })).toMatchObject({ status: 'pending', state: 'missing' });
  });

  it('given a negated check that keeps passing, then it fails once settled, not at its timeout', async () => {
    const { checker } = switchable(pass('rbac-user can delete pods'));
    const started = performance.now();
    expect(await runCheck(checker, {}, ctx, { timeoutMs: 60_000, signal: ctx.signal, expect: 'fail', settleMs: 100 })).toMatchObject({ status: 'fail', message: 'rbac-user can delete pods (this check must fail)' });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
