/**
 * Defects found in a learner's full walk through the workshop (issue 16), each shown on the app
 * with the real session and scripted ports.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyProgress, updateStep } from '../../src/engine/running/progress.js';
import type { Connected } from '../../src/ui/controller.js';
import { CONNECTION, REACHABLE, testApp, until, type Script, type TestAppOptions } from '../support/ui-app.js';
import { KEY, openStep, renderApp } from './render.js';

// Apps a test renders itself; the ones openStep renders are unmounted by render.tsx.
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const onStep = (options: TestAppOptions = {}, step = 0) => openStep(options, step);

const DOWN: Connected = {
  cluster: { state: 'down', provider: 'local', detail: 'No local cluster named "kubelab" is up', next: 'Start one with: kubelab cluster up --provider local' },
  connection: CONNECTION,
};

describe('The app against a changing cluster', () => {
  it('Given a reachable cluster, when it is taken down behind the app, then the status bar says so without a key being pressed', async () => {
    const app = await testApp({ clusters: [{ cluster: REACHABLE, connection: CONNECTION, fingerprint: 'a' }, DOWN], watchIntervalMs: 20 });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('cluster: local · ✘ no cluster');
    expect(ui.frame()).not.toContain('✔ reachable');
  });

  it('Given a dead controller manager, then the status bar shows the cluster as unhealthy, naming it', async () => {
    const unhealthy: Connected = {
      cluster: { state: 'unhealthy', provider: 'local', name: 'kubelab', context: 'kwok-kubelab', detail: 'kube-controller-manager is down (process 4242 is gone)', next: 'Restart it with: kubelab cluster up' },
      connection: CONNECTION,
      fingerprint: 'a',
    };
    const app = await testApp({ clusters: [{ cluster: REACHABLE, connection: CONNECTION, fingerprint: 'a' }, unhealthy], watchIntervalMs: 20 });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('⚠ kube-controller-manager is down (process 4242 is gone)');
    expect(ui.frame()).toContain('Restart it with: kubelab cluster up');
  });

  it('Given the cluster was recreated (new port and CA in the kubeconfig), then the next check reads the new credentials', async () => {
    const first = { cluster: REACHABLE, connection: CONNECTION, fingerprint: 'port 6443, CA 1' };
    const recreated = { cluster: REACHABLE, connection: CONNECTION, fingerprint: 'port 37017, CA 2' };
    const answers = [first];
    const app = await testApp({ clusters: answers, watchIntervalMs: 20 });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.press(KEY.enter, 'c');
    await ui.see('✔ Step passed');
    expect(app.runner?.credentialLoads).toBe(1);
    answers.push(recreated);
    await until(() => ui.frame().includes('✔ reachable') && answers.length === 2, 'watch');
    // Let the watch see the new fingerprint, then check again.
    await new Promise((r) => setTimeout(r, 100));
    await ui.press('c');
    await until(() => (app.runner?.credentialLoads ?? 0) === 2, 'credentials read again');
  });
});

describe('Step output', () => {
  it('Given a step printed more than the screen keeps, when o is pressed, then every line can be scrolled to; ? lists the key', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `node-${String(i).padStart(2, '0')}   Ready   agent   5m   v1.33.13`);
    const { ui } = await onStep({ script: { output: { 0: lines } } });
    await ui.press('r');
    await ui.see('✔ Step passed');
    expect(ui.frame()).not.toContain('node-00 ');
    await ui.press('o');
    await ui.see('node-59');
    await ui.press('g');
    await ui.see('node-00 ');
    expect(ui.frame()).toContain('$ kubectl create namespace tui-e2e');
    await ui.press(KEY.down, 'G');
    await ui.see('node-59');
    await ui.press(KEY.escape);
    await ui.see('r run · c check');
    await ui.press('?');
    await ui.see(/o\s+the step’s whole output, scrollable/);
  });

  it('Given a block printing more than 10 000 lines, then the output view keeps the last 10 000 and says how many were dropped', async () => {
    const lines = Array.from({ length: 10_250 }, (_, i) => `line ${i}`);
    const { app, ui } = await onStep({ script: { output: { 0: lines } } });
    await ui.press('r');
    await ui.see('✔ Step passed');
    expect(app.store.getState().stepOutput[0]).toMatchObject({ dropped: 250 });
    expect(app.store.getState().stepOutput[0].lines).toHaveLength(10_000);
    await ui.press('o', 'g');
    await ui.see('… 250 earlier line(s) dropped');
    expect(ui.frame()).toContain('line 250');
  });
});

describe('Challenge steps', () => {
  it('Given a challenge, when r is pressed, then it asks before running the hidden solution; n runs nothing', async () => {
    const { app, ui } = await onStep({}, 1);
    await ui.press('r');
    await ui.see('This runs the solution; to do it yourself, run the commands in another terminal and press c.');
    expect(ui.frame()).not.toContain('scale deployment web --replicas=3');
    await ui.press('n');
    await ui.see('Not run. Nothing was created or deleted.');
    expect(app.store.getState().transcript.map((t) => t.kind)).not.toContain('block');
    await ui.press('r', 'y');
    await ui.see('✔ Step passed');
  });

  it('Given a challenge, then it says where to do it: another terminal, the KUBECONFIG line and the lesson folder', async () => {
    const { app, ui } = await onStep({}, 1);
    await ui.see('Do it yourself in another terminal, then press c to check:');
    expect(ui.frame()).toContain(`export KUBECONFIG=${CONNECTION.kubeconfig}`);
    expect(ui.frame()).toContain(`cd ${app.store.getState().workshop.lessons[0].dir}`);
  });

  it('Given a failing check that keeps waiting, when c is pressed, then its first verdict shows at once as "not yet"', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const script: Script = {
      holdChecks: hold,
      checks: { 'deployment-ready': [{ result: { status: 'pending', message: 'web asks for 2 replicas, expected 3' }, remainingMs: 19_400 }, { result: { status: 'pass', message: 'web: 3/3 replicas ready' } }] },
    };
    const { ui } = await onStep({ script }, 1);
    await ui.press('c');
    await ui.see('deployment-ready: not yet: web asks for 2 replicas, expected 3 (waiting 20 s)');
    release();
    await ui.see('✔ deployment-ready: web: 3/3 replicas ready');
  });
});

describe('Moving through the workshop', () => {
  it('Given a step with no commands and no checks, when n is pressed, then it counts as done', async () => {
    const { app, ui } = await onStep({
      workshop: (w) => {
        const step = w.lessons[0].steps[0];
        step.blocks = step.blocks.filter((b) => !b.run);
        step.checks = [];
      },
    });
    await ui.press('n');
    await ui.see('Step 2/3');
    const stepId = app.store.getState().workshop.lessons[0].steps[0].id;
    expect(app.saved.at(-1)?.steps.deploy[stepId]?.status).toBe('passed');
  });

  it('Given saved progress, when the learner presses a key before the app resumes, then it stays where the learner is', async () => {
    const progress = updateStep(emptyProgress('kubelab-tui-e2e'), 'deploy', 'scale-web-to-three-replicas', { status: 'failed' });
    const app = await testApp({ progress });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await ui.see('Lessons');
    await ui.press(KEY.down);
    await app.controller.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(app.store.getState().screen).toBe('home');
    expect(ui.frame()).toContain('Lessons');
  });

  it('Given a command longer than the terminal, then it wraps with the shell’s own continuation, so the lines copied from the screen are still that command', async () => {
    const long = `kubectl -n tui-e2e create deployment web --image=nginx:1.27 --replicas=2 --dry-run=client -o yaml --save-config --field-manager=kubelab-walk-test | kubectl apply -f -`;
    const { ui } = await onStep({ size: { columns: 80, rows: 30 }, workshop: (w) => void w.lessons[0].steps[0].render!.push({ kind: 'code', language: 'bash', code: long }) });
    await ui.see('--field-manager=kubelab-walk-test');
    const lines = ui.frame().split('\n');
    expect(lines.join('\n')).not.toContain('↪');
    // The command's rows as a learner selects them: the first, and each after a row ending in "\".
    const first = lines.map((l) => l.includes('kubectl -n tui-e2e create deployment web')).lastIndexOf(true);
    const rows = [lines[first]];
    while (rows.at(-1)!.trimEnd().endsWith('\\')) rows.push(lines[first + rows.length]);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.length <= 80)).toBe(true);
    // Pasted into bash, the rows are the same words as the command (the pipe swapped for a word).
    const pasted = rows.join('\n').replace(' | ', ' PIPE ');
    const words = execFileSync('bash', ['-c', `printf '%s\\n' ${pasted}`], { encoding: 'utf8' }).trim().split('\n');
    expect(words).toEqual(long.replace(' | ', ' PIPE ').split(' '));
  });

  it('Given the last step, when n is pressed, then a recap shows lessons done, hints used and how to delete the cluster', async () => {
    const { app, ui } = await onStep({}, 0);
    await ui.press('r');
    await ui.see('✔ Step passed');
    await ui.press('n', 'h', 'n', 'n');
    await ui.see('That was the last step of');
    const frame = ui.frame();
    expect(frame).toContain('Lessons done: 0 of 1');
    expect(frame).toContain('1 hint used');
    expect(frame).toContain('kubelab cluster down --provider local --name kubelab');
    await ui.press(KEY.enter);
    await ui.see('Lessons');
    expect(app.exitCodes).toEqual([]);
  });
});
