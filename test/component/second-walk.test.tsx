/**
 * A second learner's full walk (issue 24, items 1 to 7, and the catch-up and bundle keys), each
 * defect shown on the app with the real session and scripted ports.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyProgress, loadProgress, resetLesson, saveProgress, updateStep, type ClusterKey } from '../../src/engine/running/progress.js';
import { ProgressSync } from '../../src/engine/running/progress-sync.js';
import { renderBlocks } from '../../src/ui/markdown.js';
import { blockShown } from '../../src/engine/standard-plan.js';
import { targetOf } from '../../src/engine/plan.js';
import { goodbye } from '../../src/ui/goodbye.js';
import { reduce, resumePoint } from '../../src/ui/state.js';
import { BUNDLED_DIR, REACHABLE, testApp, until } from '../support/ui-app.js';
import { KEY, openStep, renderApp } from './render.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const FORBIDDEN = 'Error from server (Forbidden): pods is forbidden: User "rbac-user" cannot list resource "pods" in API group "" in the namespace "default"';
const flat = (frame: string) => frame.replace(/\s+/g, ' ');
/** Waits for text that may wrap across rows. */
const seeFlat = (ui: { frame(): string }, text: string) => until(() => flat(ui.frame()).includes(flat(text)), `screen to show ${text}\n${ui.frame()}`);

describe('1. long lines', () => {
  it('Given a line longer than the screen, then the transcript and the output view show all of it, wrapped', async () => {
    const { app, ui } = await openStep({ size: { columns: 60, rows: 30 }, script: { output: { 1: [FORBIDDEN] } } });
    app.controller.resized(60, 30);
    await ui.press('r');
    await ui.see('✔ Step passed');
    expect(flat(ui.frame())).toContain(flat(FORBIDDEN));
    await ui.press('o');
    await ui.see('Output of');
    expect(flat(ui.frame())).toContain('cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('Given the terminal gets narrower, then the transcript is drawn again at the new width, wrapped between words', async () => {
    const { app, ui } = await openStep();
    const epoch = app.store.getState().transcriptEpoch;
    app.controller.resized(44, 30);
    await until(() => app.store.getState().transcriptEpoch === epoch + 1, 'a new transcript epoch');
    await ui.see(/^Create a namespace and a Deployment with$/m);
    // Same width again (a height change): nothing is redrawn.
    app.controller.resized(44, 20);
    expect(app.store.getState().transcriptEpoch).toBe(epoch + 1);
  });
});

describe('2. progress changed by another terminal', () => {
  it('Given the lesson done in the app, when another terminal resets it, then the app shows it not done and never writes it back', async () => {
    const env = { KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-sync-')) };
    const key: ClusterKey = { provider: 'local', name: 'kubelab', isDefault: true };
    const ids = ['create-the-web-deployment', 'scale-web-to-three-replicas', 'clean-up'];
    const done = ids.reduce((p, id) => updateStep(p, 'deploy', id, { status: 'passed' }), emptyProgress('kubelab-tui-e2e'));
    await saveProgress(done, env, key);
    const loaded = (await loadProgress('kubelab-tui-e2e', env, key)).progress;
    const sync = new ProgressSync(loaded, env, key);
    const app = await testApp({ progress: loaded, watchIntervalMs: 20, deps: { saveProgress: (p) => sync.save(p), reloadProgress: (p) => sync.reload(p) } });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('✔ done');
    // kubelab reset deploy, in another terminal.
    await saveProgress(resetLesson((await loadProgress('kubelab-tui-e2e', env, key)).progress, 'deploy'), env, key);
    await ui.see('○ not started');
    // A later save of the app's (a hint) keeps the reset.
    await ui.press(KEY.enter, 'n', 'h');
    let onDisk = (await loadProgress('kubelab-tui-e2e', env, key)).progress;
    for (let i = 0; i < 500 && onDisk.steps.deploy?.['scale-web-to-three-replicas']?.hintsRevealed !== 1; i++) {
      await new Promise((r) => setTimeout(r, 20));
      onDisk = (await loadProgress('kubelab-tui-e2e', env, key)).progress;
    }
    expect(onDisk.steps.deploy?.['scale-web-to-three-replicas']?.hintsRevealed).toBe(1);
    expect(onDisk.steps.deploy?.['create-the-web-deployment']).toBeUndefined();
  });
});

describe('3. --name reaches what the learner reads', () => {
  it('Given --name walk2, then a lesson’s cluster commands name walk2', async () => {
    const { ui } = await openStep({
      state: { clusterName: 'walk2' },
      workshop: (w) => void w.lessons[0].steps[0].render!.push({ kind: 'code', language: 'bash', code: 'kubelab cluster down --provider local' }),
    });
    await ui.see('kubelab cluster down --name walk2 --provider local');
  });
});

describe('4. providers, hints and what the screen says', () => {
  it('Given kind is not installed, then the provider picker says so', async () => {
    const app = await testApp({ state: { providerMissing: { kind: ['kind'], local: [] } }, workshop: (w) => void (w.providers = ['local', 'kind']) });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await ui.see('Lessons');
    await ui.press('p');
    await ui.see('⚠ not installed here: kind');
  });

  it('Given a hint with `code`, then it shows as code, without backticks, numbered by hints shown', async () => {
    const { ui } = await openStep({ workshop: (w) => void (w.lessons[0].steps[1].hints = ['Run `kubectl get deploy web` to see its replicas.', 'two']) }, 1);
    await ui.see('h hint (0 of 2 shown)');
    await ui.press('h');
    await ui.see('Hint 1/2: Run kubectl get deploy web to see its replicas.');
    await ui.see('h hint (1 of 2 shown)');
    expect(ui.frame()).not.toContain('`kubectl');
  });

  it('Given a block shown only, when the step runs, then the note says why in the learner’s words, with no line number or attribute', async () => {
    const { ui } = await openStep({
      workshop: (w) =>
        void w.lessons[0].steps[0].blocks.push({ code: 'kubelab cluster down --provider local', run: false, skipReason: 'shown only (norun): run it yourself when the lesson says so', timeoutSeconds: 5, expect: 'success', location: { file: 'lesson.md', line: 142, column: 1 } }),
    });
    await ui.press('r');
    await seeFlat(ui, 'Not run by kubelab: shown only: run it yourself when the lesson says so — $ kubelab cluster down --provider local');
    expect(ui.frame()).not.toMatch(/\(line 142\)|\(norun\)/);
  });

  it('Given a check not applicable here that says so, then "(not applicable here)" is not added again', async () => {
    const message = "not applicable on a simulated cluster: web's pods never really run here (they do on kind and EKS)";
    const { ui } = await openStep({ script: { checks: { 'deployment-ready': [{ result: { status: 'skip', message } }] } } });
    await ui.press('c');
    await seeFlat(ui, '(they do on kind and EKS)');
    expect(ui.frame()).not.toContain('(not applicable here)');
  });

  it('Given the bundled lesson 1 on local, then the line that introduces the existing-cluster command is not left dangling, and EKS-only hints are not counted', async () => {
    const { workshop } = await import('../../src/engine/loading/sources.js').then((m) => m.loadWorkshop(BUNDLED_DIR));
    const create = workshop!.lessons[0].steps[1];
    const drawn = (provider: 'local' | 'existing') => JSON.stringify(renderBlocks(create.render!, { shown: (i) => blockShown(create, i, targetOf(provider)) }));
    expect(drawn('local')).not.toContain('kubelab only reads your kubeconfig');
    expect(drawn('existing')).toContain('kubelab only reads your kubeconfig');
    const { hintsFor } = await import('../../src/engine/running/hints.js');
    const done = workshop!.lessons[0].steps[3];
    expect(hintsFor(done, 'local').map((h) => h.text).join(' ')).not.toContain('--provider eks');
  });
});

describe('5. steps with several commands', () => {
  it('Given a block of two commands, then r names both, and the output view puts each command before its output', async () => {
    const { app, ui } = await openStep();
    await ui.see('r runs 3 commands: kubectl create namespace tui-e2e');
    // The runner announces each command (see the runner test); the view places them.
    const at = { lessonId: 'deploy', stepId: 'create-the-web-deployment' };
    let s = reduce(app.store.getState(), { type: 'engine', event: { type: 'block-start', ...at, blockIndex: 0, code: 'a\nb', expect: 'success' } });
    s = reduce(s, { type: 'engine', event: { type: 'command-start', ...at, blockIndex: 0, code: 'echo one' } });
    s = reduce(s, { type: 'output', lines: [{ stream: 'stdout', text: 'one' }], total: 1 });
    s = reduce(s, { type: 'engine', event: { type: 'command-start', ...at, blockIndex: 0, code: 'echo two' } });
    s = reduce(s, { type: 'output', lines: [{ stream: 'stdout', text: 'two' }], total: 1 });
    const { outputViewLines } = await import('../../src/ui/state.js');
    expect(outputViewLines(s).map((l) => l.text)).toEqual(['$ echo one', '  one', '$ echo two', '  two']);
  });
});

describe('6. moving around', () => {
  it('Given a passed step, when the learner goes back to it, then it says it passed', async () => {
    const { ui } = await openStep();
    await ui.press('r');
    await ui.see('✔ Step passed');
    await ui.press('n', 'p');
    await ui.see('✔ You passed this step');
  });

  it('Given the last step of a lesson, when n is pressed, then the lesson’s end is said before the next lesson opens', async () => {
    const app = await testApp({ workshopDir: BUNDLED_DIR });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.press(KEY.enter);
    await ui.see('Step 1/4');
    for (const n of [2, 3, 4]) {
      app.controller.handle('next-step');
      await until(() => app.store.getState().stepIndex === n - 1, `step ${n}`);
    }
    app.controller.handle('next-step');
    await ui.see('End of lesson 1 "Build a cluster"');
    expect(app.store.getState().lessonIndex).toBe(0);
    app.controller.handle('next-step');
    await until(() => app.store.getState().lessonIndex === 1, 'lesson 2');
  });

  it('Given the whole workshop done, then home offers no Resume; given a look at lesson 1, then Resume stays on the lesson in progress', async () => {
    const fixture = await testApp();
    const lesson = fixture.store.getState().workshop.lessons[0];
    const all = lesson.steps.reduce((p, st) => updateStep(p, lesson.id, st.id, { status: 'passed' }), emptyProgress(fixture.store.getState().workshop.id));
    expect(resumePoint({ ...fixture.store.getState(), progress: all })).toBeUndefined();

    const app = await testApp({ workshopDir: BUNDLED_DIR });
    const inRbac = updateStep(emptyProgress(app.store.getState().workshop.id), 'rbac', app.store.getState().workshop.lessons[2].steps[1].id, { status: 'failed' });
    app.store.dispatch({ type: 'progress', progress: inRbac });
    app.controller.handle('open');
    await until(() => app.store.getState().screen === 'step', 'lesson 1 open');
    app.controller.handle('lessons');
    expect(resumePoint(app.store.getState())?.lessonIndex).toBe(2);
    expect(app.saved.every((p) => p.current?.lessonId !== 'cluster')).toBe(true);
  });
});

describe('7. home and quitting', () => {
  it('Given an 80-column terminal, then the workshop description is shown whole, wrapped', async () => {
    const app = await testApp({ workshopDir: BUNDLED_DIR, size: { columns: 80, rows: 30 } });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await ui.see('Lessons');
    expect(flat(ui.frame())).toContain('in Docker with kind, or on Amazon EKS');
    expect(flat(ui.frame())).toContain('watch the API server say no.');
  });

  it('Given the learner started with npm start and a local cluster named walk2 is up, then quitting says how to come back and how to stop it', async () => {
    const app = await testApp();
    const state = { ...app.store.getState(), cluster: { ...REACHABLE, name: 'walk2' } };
    const lines = goodbye(state, undefined, { name: 'walk2' }, { npm_lifecycle_event: 'start' });
    expect(lines[0]).toContain('Run npm start');
    expect(lines[1]).toBe('The local cluster "walk2" is still running (it uses memory and CPU). Stop it with: kubelab cluster down --provider local --name walk2');
    expect(goodbye({ ...state, cluster: REACHABLE }, undefined, {}, {})[1]).toContain('kubelab cluster down --provider local');
  });
});

describe('12 and 13. catch-up and the support bundle from the app', () => {
  it('Given the second step, when C is pressed, then the steps before it run for the learner and are recorded as caught up', async () => {
    const asked: string[] = [];
    const { app, ui } = await openStep(
      {
        deps: {
          catchUp: () => async (target, progress, options) => {
            asked.push(target.step.id);
            options.onStep({ lesson: target.lesson, step: target.lesson.steps[0] }, 0, 1);
            return { ok: true, interrupted: false, ran: 1, progress: updateStep(progress, target.lesson.id, target.lesson.steps[0].id, { status: 'caught-up' }) };
          },
        },
      },
      1,
    );
    await ui.press('C');
    await ui.see('Caught up: 1 step run for you');
    expect(ui.frame()).toContain('↻ Catching up [1/1]: Deploy a web app › Create the web deployment');
    expect(asked).toEqual(['scale-web-to-three-replicas']);
    await until(() => app.saved.at(-1)?.steps.deploy?.['create-the-web-deployment']?.status === 'caught-up', 'caught-up saved');
  });

  it('Given B is pressed, then a bundle is written and the screen says where', async () => {
    const { ui } = await openStep({ deps: { writeBundle: async () => '/tmp/kubelab-bundle-x.tar.gz' } });
    await ui.press('B');
    await ui.see('Support bundle written (secrets redacted): /tmp/kubelab-bundle-x.tar.gz');
  });
});
