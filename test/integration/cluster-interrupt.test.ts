/**
 * Ctrl-C during `kubelab cluster up` (local) must not leave a half-started control plane behind,
 * and `cluster` commands in a lesson step use the app's cluster name (issue 16).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Redactor } from '../../src/engine/running/redact.js';
import { runBlock } from '../../src/engine/running/runner.js';
import { WorkshopSession } from '../../src/engine/running/session.js';
import { loadWorkshop } from '../../src/engine/loading/sources.js';
import { kubelab, ROOT } from '../support/cli.js';
import { running } from '../support/process.js';

const stateDir = mkdtempSync(join(tmpdir(), 'kubelab-interrupt-'));
const NAME = 'walk-interrupted';

/** Processes whose command line names this test's state folder: the cluster's components. */
function componentsOfThisCluster(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(stateDir) && running(pid) && pid !== process.pid;
      } catch {
        return false;
      }
    });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  await kubelab(['cluster', 'down', '--provider', 'local', '--name', NAME], { KUBELAB_STATE_DIR: stateDir });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('kubelab cluster up, interrupted', () => {
  it('Given cluster up has started components, when Ctrl-C arrives, then it exits 130 and no component is left running', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kubelab.js'), 'cluster', 'up', '--provider', 'local', '--name', NAME], {
      env: { ...process.env, KUBELAB_STATE_DIR: stateDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Wait until the control plane is being started: some of its processes exist.
    await waitFor(() => componentsOfThisCluster().length >= 2, `components to start (stderr so far: ${stderr})`, 120_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    await waitFor(() => componentsOfThisCluster().length === 0, `components to end (left: ${componentsOfThisCluster().join(', ')})`, 30_000);
    expect(stderr).toContain(`Interrupted: removing the half-started local cluster "${NAME}"`);
    expect(existsSync(join(stateDir, 'clusters', `local-${NAME}`, 'kubeconfig'))).toBe(false);
    const status = await kubelab(['cluster', 'status', '--provider', 'local', '--name', NAME], { KUBELAB_STATE_DIR: stateDir });
    expect(status.stdout).toContain(`local cluster "${NAME}": down`);
  });
});

describe('cluster commands inside a lesson step', () => {
  it('Given the app runs on a cluster named with --name, when a step runs `kubelab cluster status` without --name, then it is about that cluster', async () => {
    const { workshop } = await loadWorkshop(join(ROOT, 'test', 'fixtures', 'tui-workshop'));
    const events: string[] = [];
    const connection = { provider: 'local' as const, name: 'walk-named', kubeconfig: join(stateDir, 'nowhere', 'kubeconfig'), context: 'kwok-walk-named', simulated: true, variables: {} };
    const session = new WorkshopSession({
      workshop: workshop!,
      connection,
      checkers: new Map(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, KUBELAB_STATE_DIR: inject('stateDir'), NO_COLOR: '1' },
      emit: (e) => void (e.type === 'output' && events.push(e.line)),
    });
    // The step's shell as the session sets it up (KUBELAB_CLUSTER_NAME, KUBELAB_PROVIDER, kubelab on PATH).
    const out = await runBlock('kubelab cluster status --provider local || true', session.shell, {
      timeoutMs: 60_000,
      expect: 'success',
      signal: AbortSignal.timeout(60_000),
      redactor: Redactor.fromEnv({}),
      onLine: (_stream, line) => events.push(line),
    });
    expect(out.outcome).toBe('ok');
    // The suite's own cluster is "kubelab" and up: a status about it would say "up".
    expect(events.join('\n')).toContain('local cluster "walk-named": down');
  });
});
