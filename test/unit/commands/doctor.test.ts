import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../../src/commands/doctor.js';
import type { CommandContext } from '../../../src/commands/context.js';
import { ExitCode } from '../../../src/errors.js';
import { CONTROL_PLANE_VERSION } from '../../../src/providers/control-plane-version.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  return { stream, text: () => text };
}

describe('kubelab doctor (command)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kubelab-doctor-cmd-'));
    mkdirSync(join(root, 'bin'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const context = (stdout: Writable, stderr: Writable): CommandContext => ({
    signal: new AbortController().signal, stdout, stderr, env: { PATH: join(root, 'bin'), KUBELAB_CACHE_DIR: join(root, 'cache'), HOME: root }, cwd: root, interactive: false, color: false,
  });

  it('given an empty PATH and cache, when run with --json, then it prints the report as JSON and exits 3', async () => {
    const out = capture();
    const code = await doctorCommand(['--json'], context(out.stream, capture().stream));
    expect(code).toBe(ExitCode.environment);
    const report = JSON.parse(out.text()) as { ready: boolean; checks: { id: string; state: string; fix?: string }[] };
    expect(report.ready).toBe(false);
    expect(report.checks.find((c) => c.id === 'kubectl')).toMatchObject({ state: 'missing' });
  });

  it('given everything needed, when run, then it exits 0', async () => {
    for (const [name, out] of [['kubectl', '{"clientVersion":{"gitVersion":"v1.33.1"}}'], ['go', 'go version go1.24.3 linux/amd64'], ['openssl', 'OpenSSL 3.0.13']]) {
      writeFileSync(join(root, 'bin', name), `#!/bin/sh\necho '${out}'\n`);
      chmodSync(join(root, 'bin', name), 0o755);
    }
    const bin = join(root, 'cache', CONTROL_PLANE_VERSION, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const b of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok', 'kwokctl']) writeFileSync(join(bin, b), '');
    const out = capture();
    expect(await doctorCommand([], context(out.stream, capture().stream))).toBe(ExitCode.ok);
    expect(out.text()).toContain('Ready:');
  });

  it('given a stray argument, when run, then it is a usage error (exit 2) that shows the usage', async () => {
    const err = capture();
    expect(await doctorCommand(['extra'], context(capture().stream, err.stream))).toBe(ExitCode.usage);
    expect(err.text()).toContain('Unexpected argument "extra"');
    expect(err.text()).toContain('kubelab doctor [--json]');
  });
});
