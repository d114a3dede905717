import { describe, expect, it } from 'vitest';
import type { Intent } from '../../../src/ui/keymap.js';
import { testApp, until, type TestApp } from '../../support/ui-app.js';

/** One message, whatever was pressed: the learner reads the same thing every time. */
const BUSY = 'A command is running: wait for it or press Ctrl-C to stop it.';

/** A step whose command runs until Ctrl-C, with the app on it: the first step, or the second (it has hints). */
async function busyApp(stepIndex: 0 | 1 = 0): Promise<TestApp> {
  const app = await testApp({ script: { hang: true, output: { 0: ['waiting…'] } } });
  await app.controller.start();
  app.controller.handle('open');
  if (stepIndex === 1) app.controller.handle('next-step');
  app.controller.handle('run');
  // The second step is a challenge: running its commands asks first.
  if (stepIndex === 1) app.controller.handle('confirm-yes');
  await until(() => app.store.getState().output.total === 1, 'the command is running');
  return app;
}

/** What a refused intent must leave as it was. */
const snapshot = (app: TestApp) => {
  const s = app.store.getState();
  return { screen: s.screen, lessonIndex: s.lessonIndex, stepIndex: s.stepIndex, activity: s.activity, transcript: s.transcript.length, progress: s.progress, overlay: s.overlay, runners: app.runners, provider: s.cluster.provider };
};

describe('the busy guard', () => {
  const waiting: Intent[] = ['run', 'check', 'catch-up', 'confirm-yes', 'skip', 'reset-step', 'previous-step', 'next-step', 'lessons'];

  it.each(waiting)('Given a command is running, when "%s" is pressed, then the app says the one busy message and nothing starts or moves', async (intent) => {
    const app = await busyApp();
    app.store.dispatch({ type: 'notice', notice: undefined });
    const before = snapshot(app);
    app.controller.handle(intent);
    expect(app.store.getState().notice).toEqual({ tone: 'warn', text: BUSY });
    expect(snapshot(app)).toEqual(before);
    app.controller.handle('interrupt');
    await until(() => app.store.getState().activity.kind === 'idle', 'stopped');
  });

  it('Given a command is running, when another provider is picked, then the picker closes with the busy message and the provider stays', async () => {
    const app = await busyApp();
    app.controller.handle('pick-provider');
    expect(app.store.getState().overlay.kind).toBe('provider');
    app.controller.handle('cursor-down');
    app.controller.handle('open');
    expect(app.store.getState().overlay.kind).toBe('none');
    expect(app.store.getState().notice).toEqual({ tone: 'warn', text: BUSY });
    expect(app.store.getState().cluster.provider).toBe('local');
    expect(app.store.getState().activity.kind).toBe('busy');
    app.controller.handle('interrupt');
    await until(() => app.store.getState().activity.kind === 'idle', 'stopped');
    expect(app.saved.every((p) => p.provider !== 'existing')).toBe(true);
  });

  it('Given a command is running, when a hint or the output view is asked for, then they work meanwhile', async () => {
    const app = await busyApp(1);
    app.controller.handle('output');
    expect(app.store.getState().overlay.kind).toBe('output');
    app.controller.handle('close');
    app.controller.handle('hint');
    expect(app.store.getState().transcript.at(-1)?.kind).toBe('hint');
    expect(app.store.getState().notice?.text).not.toBe(BUSY);
    app.controller.handle('interrupt');
    await until(() => app.store.getState().activity.kind === 'idle', 'stopped');
  });

  it('Given the command ended, when the same intents are pressed, then the busy message is gone: n moves on', async () => {
    const app = await busyApp();
    app.controller.handle('interrupt');
    await until(() => app.store.getState().activity.kind === 'idle', 'stopped');
    app.controller.handle('next-step');
    expect(app.store.getState().notice?.text).not.toBe(BUSY);
    expect(app.store.getState().stepIndex).toBe(1);
  });
});
