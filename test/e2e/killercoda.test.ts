/**
 * A Killercoda scenario in the built app, in a real terminal (tmux) against the real local test
 * cluster: open it, run a step (background, assets and {{exec}} commands, then its verify script as
 * the check), go on to the next step and reveal a <details> hint.
 * Needs `npm run build` first (the test starts bin/kubelab.js).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { quote, Terminal } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const SCENARIO = join(ROOT, 'test', 'fixtures', 'killercoda', 'web-deployment');
const terminal = new Terminal(`kubelab-e2e-killercoda-${process.pid}`);

let stateDir: string;
let kubeconfig: string;
const kubectl = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function forget(): void {
  rmSync(join(stateDir, 'progress', 'web-deployment.json'), { force: true });
  rmSync(join(stateDir, 'workspace', 'web-deployment'), { recursive: true, force: true });
  kubectl('delete', 'namespace', 'shop', '--ignore-not-found', '--wait=true', '--timeout=60s');
  kubectl('delete', 'node', 'controlplane', '--ignore-not-found');
}

beforeAll(() => {
  stateDir = inject('stateDir');
  kubeconfig = inject('kubeconfig');
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('Build the CLI first: npm run build');
  forget();
}, 120_000);

afterAll(() => {
  terminal.kill();
  forget();
}, 120_000);

describe('a Killercoda scenario in the app, in a real terminal', () => {
  it('Given a scenario folder, when the learner opens it, runs step 1 and asks for a hint on step 2, then the verify passes with its ✅ line and the hint shows', async () => {
    terminal.start(['env -u CI', `KUBELAB_STATE_DIR=${quote(stateDir)}`, 'TERM=xterm-256color', `node ${quote(CLI)} --workshop ${quote(SCENARIO)}`].join(' '));
    await terminal.see('A web Deployment');
    await terminal.see('✔ reachable');
    await terminal.press('Enter');
    await terminal.see('Create the Deployment');
    // The page as the learner reads it: no killercoda markup left.
    expect(terminal.screen()).not.toMatch(/\{\{exec\}\}|\{\{copy\}\}/);

    await terminal.press('r');
    await terminal.see('✔ Step passed. Press n for the next step.', 120_000);
    const afterRun = terminal.screen();
    expect(afterRun).toContain('deployment.apps/web created');
    expect(afterRun).toContain('✅ Deployment web exists in shop');

    await terminal.press('n');
    await terminal.see('Scale it to three');
    await terminal.press('h');
    await terminal.see('Hint 1/2:');
    expect(terminal.screen()).toMatch(/Hint 1\/2:.*takes/);

    await terminal.press('q');
    await terminal.see('KUBELAB_EXIT=0');
  });
});
