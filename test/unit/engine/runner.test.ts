import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/engine/running/redact.js';
import { runBlock, type ShellSession } from '../../../src/engine/running/runner.js';
import { running } from '../../support/process.js';

/** Waits (in the block) until the last background job leads its own session: it has escaped the group. */
const ESCAPED = 'until [ "$(cut -d" " -f6 /proc/$!/stat 2>/dev/null)" = "$!" ]; do :; done';
const newSession = (): ShellSession => ({ env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, cwd: mkdtempSync(join(tmpdir(), 'kubelab-runner-')) });
const run = (code: string, session = newSession(), options: Partial<Parameters<typeof runBlock>[2]> = {}) => {
  const lines: string[] = [];
  const result = runBlock(code, session, {
    timeoutMs: 10_000,
    expect: 'success',
    signal: new AbortController().signal,
    redactor: new Redactor(),
    onLine: (stream, line) => lines.push(`${stream}: ${line}`),
    ...options,
  });
  return { result, lines, session };
};

describe('step runner', () => {
  it('given a block printing to both streams, when run, then every line is streamed in order with its stream', async () => {
    const { result, lines } = run('echo one\necho two >&2\necho three');
    expect((await result).outcome).toBe('ok');
    expect(lines).toEqual(expect.arrayContaining(['stdout: one', 'stderr: two', 'stdout: three']));
  });

  it('given variables and a cd in one block, when the next block runs, then it sees both, as in a shell', async () => {
    const session = newSession();
    await run('GREETING=hello\nexport TARGET=world\nmkdir -p sub && cd sub', session).result;
    const { result, lines } = run('echo "$GREETING $TARGET from $(basename "$PWD")"', session);
    expect((await result).outcome).toBe('ok');
    expect(lines).toContain('stdout: hello world from sub');
  });

  it('given a failing command in the middle, when run, then -e stops the block and the exit code is kept', async () => {
    const { result, lines } = run('echo before\nfalse\necho after');
    expect(await result).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(lines).not.toContain('stdout: after');
  });

  it('given a failure inside a pipeline, when run, then pipefail makes the block fail', async () => {
    expect((await run('false | cat').result).outcome).toBe('failed');
  });

  it('given a block meant to fail, when it fails, then that is the expected outcome; when it succeeds, that is wrong', async () => {
    expect((await run('exit 1', newSession(), { expect: 'fail' }).result).outcome).toBe('expected-failure');
    expect((await run('true', newSession(), { expect: 'fail' }).result).outcome).toBe('unexpected-success');
  });

  it('given a block that outlives its timeout, when run, then it is stopped and reported as a timeout', async () => {
    const started = Date.now();
    const { result } = run('sleep 30', newSession(), { timeoutMs: 300 });
    expect((await result).outcome).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('given a block whose grandchild is running, when aborted, then the whole process tree is killed', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const result = runBlock('bash -c "sleep 60 & echo grandchild=$!; wait"', newSession(), {
      timeoutMs: 30_000,
      expect: 'success',
      signal: controller.signal,
      redactor: new Redactor(),
      onLine: (_s, line) => {
        lines.push(line);
        if (line.startsWith('grandchild=')) controller.abort();
      },
    });
    expect((await result).outcome).toBe('aborted');
    const pid = Number(lines.find((l) => l.startsWith('grandchild='))!.split('=')[1]);
    await new Promise((r) => setTimeout(r, 200));
    expect(running(pid)).toBe(false);
  });

  it('given output with secrets, when streamed, then keys, tokens and private keys are redacted', async () => {
    const session = newSession();
    session.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const { result, lines } = run(
      [
        'echo "key AKIAIOSFODNN7EXAMPLE"',
        'echo "secret $AWS_SECRET_ACCESS_KEY"',
        'echo "Authorization: Bearer abc.def.ghi"',
        'echo "    client-key-data: LS0tLS1CRUdJTiBSU0E="',
        'printf -- "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----\\n"',
      ].join('\n'),
      session,
      { redactor: Redactor.fromEnv(session.env) },
    );
    await result;
    const text = lines.join('\n');
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'abc.def.ghi', 'LS0tLS1CRUdJTiBSU0E=', 'MIIEpAIBAAKCAQEA', 'BEGIN RSA']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[REDACTED]');
  });

  it('given a block with timeout=5 that starts `setsid sleep 40 &` then echoes, when run with a run marker, then it ends at once, names the escaped process and leaves nothing running (issue 25, item 1)', async () => {
    const session = newSession();
    session.env.KUBELAB_RUN_ID = `${process.pid}-runner-test`;
    const { result, lines } = run(`setsid sleep 41 &\n${ESCAPED}\necho started`, session, { timeoutMs: 5000 });
    const outcome = await result;
    expect(outcome.outcome).toBe('ok');
    expect(lines).toContain('stdout: started');
    expect(lines).toContainEqual(expect.stringMatching(/^stderr: kubelab stopped 1 process\(es\) this block left running outside its process group: \d+ (setsid )?sleep 41$/));
    expect(outcome.durationMs).toBeLessThan(5000);
  });
});
