import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookCheckId, hookUnavailable, runHook, type HookRun } from '../../../src/engine/running/hooks.js';
import { Redactor } from '../../../src/engine/running/redact.js';

// Hooks in their style: functions named after the phase, dispatched by "$@".
const script = (before: string, after: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-hooks-'));
  const path = join(dir, 'hook-demo.sh');
  writeFileSync(path, `set -Eeuo pipefail\nbefore() {\n${before}\n}\nafter() {\n${after}\n}\n"$@"\n`);
  return path;
};
const run = (path: string, extra: Partial<HookRun> = {}) =>
  runHook({
    script: path,
    phase: 'after',
    timeoutSeconds: 10,
    shell: { env: { PATH: process.env.PATH ?? '', GREETING: 'hello' }, cwd: tmpdir() },
    signal: new AbortController().signal,
    redactor: new Redactor(),
    ...extra,
  });

describe('eks-workshop-v2 hooks as checks', () => {
  it('given an after hook reading TEST_OUTPUT, when the output is right, then the check passes with the hook’s last line as its message', async () => {
    const path = script('echo noop', 'grep -q "created" <<< "$TEST_OUTPUT"\necho "saw: $TEST_OUTPUT from $GREETING"');
    const { result } = await run(path, { testOutput: 'configmap/x created' });
    expect(result).toEqual({ status: 'pass', message: 'hook-demo.sh after: saw: configmap/x created from hello' });
  });

  it('given the same hook, when the output is wrong, then the check fails with the hook’s own words', async () => {
    const path = script('echo noop', 'if ! grep -q "created" <<< "$TEST_OUTPUT"; then >&2 echo "nothing was created"; exit 1; fi');
    const { result } = await run(path, { testOutput: 'configmap/x unchanged' });
    expect(result).toMatchObject({ status: 'fail', message: 'hook-demo.sh after: exit code 1: nothing was created' });
  });

  it('given a before hook, when run, then it is called with "before" and sees no TEST_OUTPUT', async () => {
    const path = script('echo "before, output=${TEST_OUTPUT:-none}"', 'exit 1');
    const { result } = await run(path, { phase: 'before' });
    expect(result).toEqual({ status: 'pass', message: 'hook-demo.sh before: before, output=none' });
  });

  it('given a hook slower than its hookTimeout, when run, then it is stopped and fails saying so', async () => {
    const path = script('echo noop', 'echo waiting; sleep 30');
    const started = performance.now();
    const { result } = await run(path, { timeoutSeconds: 1 });
    expect(result).toMatchObject({ status: 'fail', message: 'hook-demo.sh after: did not finish within 1 s (last output: waiting)' });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('given a timed-out hook whose shell reports the killed job, when it fails, then the message quotes the hook, not bash’s "Terminated"', async () => {
    const path = script('echo noop', 'echo "waiting for pods"; >&2 echo "hook-demo.sh: line 5:   812 Terminated              sleep 30"; sleep 30');
    const { result } = await run(path, { timeoutSeconds: 1 });
    expect(result).toMatchObject({ status: 'fail', message: 'hook-demo.sh after: did not finish within 1 s (last output: waiting for pods)' });
  });

  it('given an abort, when a hook runs, then it stops and is an error, not a failure', async () => {
    const path = script('echo noop', 'sleep 30');
    const controller = new AbortController();
    const pending = run(path, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect((await pending).result).toMatchObject({ status: 'error', message: 'hook-demo.sh after: interrupted' });
  });

  it('given a hook that execs into a container, when the provider has no real node, then it is a skip saying why', () => {
    const hook = { name: 'ready', script: '/x/tests/hook-ready.sh', timeoutSeconds: 5, needs: { kind: 'node' as const, reason: 'needs a real node (a running container): kubectl exec' } };
    expect(hookUnavailable(hook, 'local')).toEqual({ status: 'skip', message: 'hook-ready.sh not run on local: needs a real node (a running container): kubectl exec' });
    expect(hookUnavailable(hook, 'kind')).toBeUndefined();
    expect(hookCheckId('/x/tests/hook-ready.sh', 'after')).toBe('hook:ready:after');
  });
});
