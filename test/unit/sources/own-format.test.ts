import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadWorkshop } from '../../../src/engine/loading/sources.js';
import { testApp, until } from '../../support/ui-app.js';

// A format kubelab does not ship, in a module of its own (examples/lesson-format): nothing outside it and
// its registration (KUBELAB_LESSON_SOURCES) knows it. The same fixture runs through the built CLI
// with `validate --prove` in test/integration/own-format.test.ts.
const FORMATS = resolve(import.meta.dirname, '..', '..', '..', 'examples', 'lesson-format');
const CONTENT = join(FORMATS, 'recipe-content');

describe('a lesson format of its own (the lesson-source seam)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('Given the module is not registered, when the folder is opened, then kubelab says it does not recognise it and names the formats it knows', async () => {
    vi.stubEnv('KUBELAB_LESSON_SOURCES', '');
    const { workshop, diagnostics } = await loadWorkshop(CONTENT);
    expect(workshop).toBeUndefined();
    expect(diagnostics.items[0].message).toMatch(/does not recognise this content.*workshop\.yaml.*Docusaurus/);
  });

  it('Given the module is registered, when the folder is opened, then its lesson, plan and render model are what the module made', async () => {
    vi.stubEnv('KUBELAB_LESSON_SOURCES', join(FORMATS, 'recipe-source.mjs'));
    const { workshop, diagnostics, source } = await loadWorkshop(CONTENT);
    expect(diagnostics.items).toEqual([]);
    expect(source?.format).toBe('recipe');
    expect(workshop?.format).toBe('recipe');
    const step = workshop!.lessons[0].steps[0];
    expect(step.plan!.actions.map((a) => a.kind)).toEqual(['format', 'block']);
    expect(step.render!.map((r) => r.kind)).toEqual(['prose', 'commands']);
  });

  it('Given the module is registered, when the app opens the step and runs it, then it draws the module\'s render model, runs the format\'s own action through the module\'s runner, and passes', async () => {
    vi.stubEnv('KUBELAB_LESSON_SOURCES', join(FORMATS, 'recipe-source.mjs'));
    const app = await testApp({ workshopDir: CONTENT });
    await app.controller.start();
    app.controller.handle('open');
    const first = app.store.getState().transcript[0];
    expect(JSON.stringify(first)).toContain('a namespace is a room of its own');
    expect(JSON.stringify(first)).toContain('kubectl create namespace recipe-demo');
    app.controller.handle('run');
    // Without the module's `say` runner the step would fail: "no runner for "say" actions".
    await until(() => app.store.getState().outcome !== undefined && app.store.getState().activity.kind !== 'busy', 'the step to end');
    expect(app.store.getState().outcome).toMatchObject({ status: 'passed' });
    expect(app.saved.at(-1)!.steps['make-room'].s1.status).toBe('passed');
  });
});
