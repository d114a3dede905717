import { afterEach, describe, expect, it } from 'vitest';
import { testApp, type Script } from '../support/ui-app.js';
import { KEY, openStep, renderApp } from './render.js';

// Apps a test renders itself; the ones openStep renders are unmounted by render.tsx.
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const onStep = (script: Script = {}, step = 0, size?: { columns: number; rows: number }) => openStep({ script, size }, step);

describe('Step view', () => {
  it('Given a step, then its Markdown is rendered: emphasis text, link with URL, table grid, and the commands before running', async () => {
    const { ui } = await onStep();
    const frame = ui.frame();
    expect(frame).toContain('━━ Lesson 1 · Deploy a web app › Step 1/3: Create the web deployment');
    expect(frame).toContain('Create a namespace and a Deployment with two replicas.');
    // Prose wraps at the terminal's width, not where the source broke its lines.
    expect(frame.replace(/\s+/g, ' ')).toContain('Deployment docs (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/)');
    expect(frame).toContain('Deployment │ web     │ 2');
    expect(frame).toContain('  kubectl --as=system:anonymous -n tui-e2e get pods');
    // Every command r runs is named, not only the first of each block.
    expect(frame).toMatch(/r runs 3 commands: kubectl create namespace tui-e2e/);
  });

  it('Given a step, when r is pressed, then output, exit status, the expected failure as success and the passing check show', async () => {
    const { ui } = await onStep({ output: { 0: ['namespace/tui-e2e created', 'deployment.apps/web created'], 1: ['Error from server (Forbidden): pods is forbidden'] } });
    await ui.press('r');
    await ui.see('✔ Step passed. Press n for the next step.');
    const frame = ui.frame();
    expect(frame).toContain('deployment.apps/web created');
    expect(frame).toContain('✔ done (exit 0, 0.0 s)');
    expect(frame).toContain('Error from server (Forbidden): pods is forbidden');
    expect(frame).toContain('✔ failed as expected (exit 1) — that is the point of this step');
    expect(frame).toContain('✔ deployment-ready: deployment-ready is fine');
  });

  it('Given a check is waiting, then a live line shows its progress and the time left', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const { ui } = await onStep({
      holdChecks: hold,
      checks: { 'deployment-ready': [{ result: { status: 'pending', message: 'web: 2/3 replicas ready' }, remainingMs: 40_200 }, { result: { status: 'pass', message: 'web: 3/3 replicas ready' } }] },
    });
    await ui.press('c');
    await ui.see('… deployment-ready: not yet: web: 2/3 replicas ready (waiting 41 s)');
    release();
    await ui.see('✔ deployment-ready: web: 3/3 replicas ready');
  });

  it('Given a failing check with its own hint, then expected vs actual and that hint show; the lesson’s next hint waits for h', async () => {
    const { ui } = await onStep(
      { checks: { 'deployment-ready': [{ result: { status: 'fail', message: 'web asks for 2 replicas, expected 3', expected: '3 replicas', actual: '2 replicas', hint: 'kubectl scale deployment web --replicas=3' } }] } },
      1,
    );
    await ui.press('c');
    await ui.see('✘ Not yet: deployment-ready: web asks for 2 replicas, expected 3');
    const frame = ui.frame();
    expect(frame).toContain('expected: 3 replicas');
    expect(frame).toContain('actual:   2 replicas');
    expect(frame).toContain('hint: kubectl scale deployment web --replicas=3');
    // The check already said what to do: the lesson's more general hint is not pushed on top of it.
    expect(frame).not.toContain('Hint 1/2:');
    await ui.press('h');
    await ui.see('Hint 1/2: kubectl scale changes the replica count of a Deployment.');
  });

  it('Given a check returns a table, then it is drawn as a small grid', async () => {
    const table = { columns: ['get', 'delete'], rows: [{ label: 'pods', cells: ['yes', 'no'] }] };
    const { ui } = await onStep({ checks: { 'deployment-ready': [{ result: { status: 'fail', message: 'rbac-user may delete pods', table } }] } });
    await ui.press('c');
    await ui.see('pods │ yes │ no');
    expect(ui.frame()).toContain('     │ get │ delete');
  });

  it('Given a challenge step, then commands are hidden; h shows hints one by one and s shows the solution', async () => {
    const { ui } = await onStep({}, 1);
    expect(ui.frame()).toContain('(1 command block hidden: a challenge.');
    expect(ui.frame()).not.toContain('  kubectl -n tui-e2e scale deployment web --replicas=3');
    await ui.press('h');
    await ui.see('Hint 1/2: kubectl scale changes the replica count of a Deployment.');
    await ui.press('h');
    await ui.see('Hint 2/2: kubectl -n tui-e2e scale deployment web --replicas=3');
    await ui.press('h');
    await ui.see('No more hints (all 2 shown above). Press s for the solution.');
    await ui.press('s');
    await ui.see(/Solution:\n\s+kubectl -n tui-e2e scale deployment web --replicas=3/);
  });

  it('Given a long-running command, when Ctrl-C is pressed, then it stops and the app stays', async () => {
    const { app, ui } = await onStep({ hang: true, output: { 0: ['still going'] } });
    await ui.press('r');
    await ui.see('▶ running, Ctrl-C stops it');
    await ui.press(KEY.ctrlC);
    await ui.see('✘ stopped (Ctrl-C)');
    await ui.see('Stopped. Nothing was recorded as failed');
    expect(app.runner?.aborted).toBe(true);
    expect(app.exitCodes).toEqual([]);
  });

  it('Given the step view, when ? is pressed, then the help overlay lists the keymap; Esc closes it', async () => {
    const { ui } = await onStep();
    await ui.press('?');
    await ui.see('Keys in a step');
    expect(ui.frame()).toMatch(/R\s+reset this step/);
    expect(ui.frame()).toMatch(/Ctrl-C\s+stop the running command; press twice to quit/);
    await ui.press(KEY.escape);
    await ui.see('r run · c check');
    expect(ui.frame()).not.toContain('Keys in a step');
  });

  it('Given steps, when n, p, x and b are pressed, then it moves, skips and goes back to the lessons', async () => {
    const { app, ui } = await onStep();
    await ui.press('n');
    await ui.see('Step 2/3');
    await ui.press('p');
    await ui.see(/Step 1\/3: Create the web deployment\n/);
    await ui.press('x');
    await ui.see('Skipped: Create the web deployment');
    expect(app.store.getState().stepIndex).toBe(1);
    await ui.press('b');
    await ui.see('Lessons');
  });

  it('Given a step with results, when R is pressed, then the results clear and the step shows again', async () => {
    const { ui } = await onStep();
    await ui.press('r');
    await ui.see('✔ Step passed');
    await ui.press('R');
    await ui.see('Step reset: results and hints cleared.');
    expect(ui.frame()).not.toContain('✔ Step passed');
  });

  it('Given a command printing many lines, then only the newest fit on an 80×24 screen, each within 80 columns', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(120)}`);
    const { app, ui } = await onStep({ output: { 0: lines }, hang: true }, 0, { columns: 80, rows: 24 });
    await ui.press('r');
    await ui.see('line 499');
    const live = ui.frame().split('▶ running')[1];
    expect(live).not.toContain('line 480 ');
    expect(live.split('\n').length).toBeLessThan(24);
    for (const line of ui.frame().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(app.store.getState().output.total).toBe(500);
    await ui.press(KEY.ctrlC);
  });

  it('Given a block that costs money, when r is pressed, then a confirmation says what it does before anything runs', async () => {
    const app = await testApp({ workshop: (w) => void (w.lessons[0].steps[0].blocks[0].confirm = 'creates an EKS cluster: about $0.30 per hour until deleted') });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.press(KEY.enter, 'r');
    await ui.see('Before this runs');
    expect(ui.frame()).toContain('• creates an EKS cluster: about $0.30 per hour until deleted');
    expect(ui.frame()).toContain('Run it? y yes · n no');
    await ui.press('n');
    await ui.see('Not run. Nothing was created or deleted.');
    await ui.press('r', 'y');
    await ui.see('✔ Step passed');
  });

  it('Given the terminal is resized, then the live region follows the new width', async () => {
    const { app, ui } = await onStep();
    app.controller.resized(60, 20);
    await ui.see('r run · c check · h hint · s solution · n next · o output ·…');
  });
});
