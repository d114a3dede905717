/**
 * The built app in a real terminal (tmux) while its cluster changes behind it (issue 16): it
 * notices the cluster come up and go down without a key being pressed, and after the cluster is
 * recreated (new port and CA) its checks use the new credentials. Its own cluster, by --name, in
 * its own state folder, so the suite's cluster is never touched. Needs `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote, Terminal } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const WORKSHOP = join(ROOT, 'test', 'fixtures', 'tui-workshop');
const NAME = 'walk-e2e';
const terminal = new Terminal(`kubelab-e2e-changing-${process.pid}`);
const stateDir = mkdtempSync(join(tmpdir(), 'kubelab-e2e-changing-'));
const cluster = (action: 'up' | 'down') =>
  promisify(execFile)(process.execPath, [CLI, 'cluster', action, '--provider', 'local', '--name', NAME], { env: { ...process.env, KUBELAB_STATE_DIR: stateDir }, timeout: 300_000 });

/** The status bar: the last non-empty line of the visible screen. */
const statusBar = () => terminal.visible().split('\n').filter((l) => l.trim()).at(-1) ?? '';
async function statusBarShows(text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!statusBar().includes(text)) {
    if (Date.now() > deadline) throw new Error(`the status bar never showed "${text}". The screen:\n${terminal.visible()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
async function seeTimes(text: string, times: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (terminal.screen().split(text).length - 1 < times) {
    if (Date.now() > deadline) throw new Error(`the screen never showed "${text}" ${times} times. It shows:\n${terminal.screen()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('Build the CLI first: npm run build');
});

afterAll(async () => {
  terminal.kill();
  await cluster('down').catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

// Two cluster ups on a busy 2-core machine: up to a minute or two each.
const SLOW = { timeout: 600_000 };

describe('kubelab app while its cluster changes', () => {
  it('Given the app is open, when the cluster comes up, goes down and is recreated, then the app follows each change and checks pass on the new cluster', SLOW, async () => {
    terminal.start(['env -u CI -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8', `KUBELAB_STATE_DIR=${quote(stateDir)}`, 'TERM=xterm-256color', `node ${quote(CLI)} --workshop ${quote(WORKSHOP)} --provider local --name ${NAME}`].join(' '));
    await statusBarShows('✘ no cluster');

    await cluster('up');
    await statusBarShows(`"${NAME}" · context kwok-${NAME} · ✔ reachable`);

    await terminal.press('Enter');
    await terminal.see('Step 1/3: Create the web deployment');
    await terminal.press('r');
    await terminal.see('✔ Step passed. Press n for the next step.', 120_000);

    // The whole output, not only the last lines.
    await terminal.press('o');
    await terminal.see('Output of “Create the web deployment”');
    expect(terminal.visible()).toContain('$ kubectl create namespace tui-e2e');
    await terminal.press('Escape');

    await cluster('down');
    await statusBarShows('✘ no cluster');

    await cluster('up');
    await statusBarShows('✔ reachable');
    await terminal.press('r');
    // Each run's check result stays in the transcript: the second is the recreated cluster's.
    await seeTimes('✔ deployment-ready: web: 2/2 replicas ready', 2, 120_000);
    await terminal.see('✔ Step passed. Press n for the next step.');
    expect(terminal.screen()).not.toContain('unable to verify the first certificate');

    await terminal.press('q');
    await terminal.see('KUBELAB_EXIT=0');
  });
});
