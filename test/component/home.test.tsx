import { afterEach, describe, expect, it } from 'vitest';
import { emptyProgress, updateStep } from '../../src/engine/running/progress.js';
import { BUNDLED_DIR, testApp } from '../support/ui-app.js';
import { KEY, renderApp } from './render.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('Home screen', () => {
  it('Given a fresh learner, then it shows the workshop, each lesson with minutes and state, and the reachable cluster', async () => {
    const app = await testApp();
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('✔ reachable');
    const frame = ui.frame();
    expect(frame).toContain('TUI test workshop: deploy, check, scale');
    expect(frame).toMatch(/› 1\. Deploy a web app\s+5 min {2}○ not started/);
    expect(frame).toContain('Cluster: local "kubelab", context kwok-kubelab ✔ reachable');
    expect(frame).toContain('Enter open · p provider · ? help · q quit');
  });

  it('Given the bundled workshop, then the three core lessons come first and the optional ones under "Go further"', async () => {
    const app = await testApp({ workshopDir: BUNDLED_DIR, size: { columns: 100, rows: 40 } });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('Go further (optional)');
    const lines = ui.frame().split('\n');
    const at = (text: string | RegExp) => lines.findIndex((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));
    expect(lines[at('Lessons')]).toContain('Lessons — the core path');
    expect(at(/3\. Test RBAC/)).toBeLessThan(at('Go further (optional)'));
    expect(at('Go further (optional)')).toBe(at(/4\. Labels, selectors and annotations/) - 1);
    expect(at(/8\. Who is calling\? Identities/)).toBeGreaterThan(at('Go further (optional)'));
  });

  it('Given a workshop without optional lessons, then there is no "Go further" heading', async () => {
    const app = await testApp();
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('✔ reachable');
    expect(ui.frame()).not.toContain('Go further');
    expect(ui.frame()).not.toContain('core path');
  });

  it('Given progress on step 2, then the lesson is in progress and the app resumes on that step', async () => {
    const workshopId = 'kubelab-tui-e2e';
    const progress = updateStep(updateStep(emptyProgress(workshopId), 'deploy', 'create-the-web-deployment', { status: 'passed' }), 'deploy', 'scale-web-to-three-replicas', { status: 'failed' });
    const app = await testApp({ progress });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('Step 2/3: Scale web to three replicas [challenge]');
    await ui.press('b');
    await ui.see(/◐ in progress \(1\/3 steps\)/);
    expect(ui.frame()).toContain('Resume: Deploy a web app › Scale web to three replicas  (Enter)');
  });

  it('Given no cluster is up, then the home screen says so and what to do', async () => {
    const app = await testApp({ cluster: { cluster: { state: 'down', provider: 'local', detail: 'No local cluster named "kubelab" is up', next: 'Start one with: kubelab cluster up --provider local' } } });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('✘ not up');
    expect(ui.frame()).toContain('Start one with: kubelab cluster up --provider local  (p picks another provider)');
    expect(ui.frame()).toContain('cluster: local · ✘ no cluster');
  });

  it('Given the home screen, when p is pressed, then the provider picker lists the workshop providers; Enter picks one', async () => {
    const app = await testApp();
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.press('p');
    await ui.see('Which cluster should the lessons use?');
    expect(ui.frame()).toMatch(/› local\s+a real control plane.*\(in use\)/);
    await ui.press(KEY.down);
    await ui.see(/› existing/);
    await ui.press(KEY.enter);
    await ui.see('cluster: local "kubelab"');
    expect(app.store.getState().progress.provider).toBe('existing');
  });

  it('Given the home screen, when Enter is pressed, then the lesson opens on its first step', async () => {
    const app = await testApp();
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.press(KEY.enter);
    await ui.see('Step 1/3: Create the web deployment');
  });

  it('Given a running kubelab EKS cluster, then the home screen reminds of it', async () => {
    const app = await testApp();
    const ui = renderApp(app);
    cleanup = ui.unmount;
    app.store.dispatch({ type: 'eks-reminders', lines: ['EKS cluster eks-workshop (us-west-2) running 2 h 0 min, about $0.60 so far — delete it with: kubelab cluster down --provider eks'] });
    await ui.see('EKS cluster eks-workshop (us-west-2) running 2 h 0 min');
  });

  it('Given an 80×24 terminal, then no line is wider than 80 columns', async () => {
    const app = await testApp({ size: { columns: 80, rows: 24 } });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('✔ reachable');
    for (const line of ui.frame().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});

describe('Home screen: finding a lesson by typing', () => {
  it('Given a collection of Killercoda scenarios, when the learner types / and part of a title, then only matching lessons show and Enter opens the one under the cursor', async () => {
    const app = await testApp({ workshopDir: 'test/fixtures/killercoda', size: { columns: 100, rows: 24 } });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('A web Deployment');
    await ui.press('/');
    await ui.see('Find: ▏ 4 of 4 match');
    // Letters are text here, not keys: "p" (provider) and "q" (quit) are typed into the filter.
    await ui.press('p', 'o', 'd', 's');
    await ui.see('Find: pods▏ 1 of 4 match');
    expect(ui.frame()).toMatch(/› 2\. Pods on a chosen node/);
    expect(ui.frame()).not.toContain('A web Deployment');
    expect(app.store.getState().overlay.kind).toBe('none');
    await ui.press(KEY.escape);
    await ui.see('A web Deployment');
    expect(app.store.getState().homeCursor).toBe(1);
    await ui.press('/', 'k', 'a', 't', 'a', KEY.enter);
    await ui.see('Create a ConfigMap');
    expect(app.store.getState()).toMatchObject({ screen: 'step', lessonIndex: 2 });
  });
});
