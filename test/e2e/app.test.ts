/**
 * The built CLI in a real terminal (a tmux pane, 100×30) against the real local test cluster:
 * run a step, its check passes, a failing check shows its hint, quit, reopen, resumed.
 * Needs `npm run build` first (the test starts bin/kubelab.js).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { quote, Terminal } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const WORKSHOP = join(ROOT, 'test', 'fixtures', 'tui-workshop');
const SESSION = `kubelab-e2e-app-${process.pid}`;

const terminal = new Terminal(SESSION);
const { screen, visible } = { screen: () => terminal.screen(), visible: () => terminal.visible() };
const see = (text: string, timeoutMs?: number) => terminal.see(text, timeoutMs);
const press = (key: string) => terminal.press(key);

let stateDir: string;
let kubeconfig: string;

function startApp(): void {
  terminal.start(['env -u CI -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8', `KUBELAB_STATE_DIR=${quote(stateDir)}`, 'TERM=xterm-256color', `node ${quote(CLI)} --workshop ${quote(WORKSHOP)}`].join(' '));
}

const kubectl = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  stateDir = inject('stateDir');
  kubeconfig = inject('kubeconfig');
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('Build the CLI first: npm run build');
  // The fixture's own workshop id keeps this progress file apart from every other test's.
  rmSync(join(stateDir, 'progress', 'kubelab-tui-e2e.json'), { force: true });
  kubectl('delete', 'namespace', 'tui-e2e', '--ignore-not-found', '--wait=true', '--timeout=60s');
});

afterAll(() => {
  terminal.kill();
  kubectl('delete', 'namespace', 'tui-e2e', '--ignore-not-found', '--wait=false');
});

describe('kubelab app in a real terminal', () => {
  it('Given the local cluster, when the learner runs a step, checks a failing one, quits and reopens, then the app resumes on that step', async () => {
    startApp();
    await see('TUI test workshop: deploy, check, scale');
    await see('✔ reachable');
    expect(visible()).toMatch(/› 1\. Deploy a web app\s+5 min\s+○ not started/);

    await press('Enter');
    await see('Step 1/3: Create the web deployment');
    expect(screen()).toContain('Deployment │ web     │ 2');

    await press('r');
    await see('✔ Step passed. Press n for the next step.', 90_000);
    const afterRun = screen();
    expect(afterRun).toContain('deployment.apps/web created');
    expect(afterRun).toContain('✔ failed as expected (exit 1) — that is the point of this step');
    expect(afterRun).toContain('✔ deployment-ready: web: 2/2 replicas ready');

    await press('n');
    await see('Step 2/3: Scale web to three replicas [challenge]');
    expect(screen()).toContain('(1 command block hidden: a challenge.');
    await press('c');
    await see('✘ Not yet: deployment-ready: web asks for 2 replicas, expected 3', 60_000);
    const afterCheck = screen();
    expect(afterCheck).toContain('expected: 3 replicas');
    expect(afterCheck).toContain('actual:   2 replicas');
    // The check's own hint says what to do; the lesson's general hint comes on h.
    expect(afterCheck).toContain('hint: ');
    expect(afterCheck).not.toContain('Hint 1/2:');
    await press('h');
    await see('Hint 1/2: kubectl scale changes the replica count of a Deployment.');

    await press('q');
    await see('KUBELAB_EXIT=0');

    startApp();
    await see('Step 2/3: Scale web to three replicas [challenge]');
    const reopened = visible();
    expect(reopened).toContain('━━ Lesson 1 · Deploy a web app › Step 2/3: Scale web to three replicas');
    expect(reopened).not.toContain('Lessons');
    await see('✔ reachable');
    await press('q');
    await see('KUBELAB_EXIT=0');
  });
});
