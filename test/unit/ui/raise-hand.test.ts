import { describe, expect, it } from 'vitest';
import { helpLines, intentFor } from '../../../src/ui/keymap.js';
import { testApp } from '../../support/ui-app.js';

describe('raising a hand from the app', () => {
  it('Given the lessons or a step, when a is pressed, then it means raise-hand, and the help overlay lists it', () => {
    expect(intentFor('step', 'a', {})).toBe('raise-hand');
    expect(intentFor('home', 'a', {})).toBe('raise-hand');
    expect(helpLines('step').find((l) => l.keys === 'a')?.description).toMatch(/raise your hand/);
  });

  it('Given a learner in a class, when a is pressed twice, then the hand goes up and down with a notice each time', async () => {
    let up = false;
    const app = await testApp({ toggleHand: () => (up = !up) });
    await app.controller.start();
    app.controller.handle('raise-hand');
    expect(up).toBe(true);
    expect(app.store.getState().notice).toMatchObject({ tone: 'ok', text: expect.stringMatching(/Hand raised/) });
    app.controller.handle('raise-hand');
    expect(up).toBe(false);
    expect(app.store.getState().notice?.text).toBe('Hand lowered.');
  });

  it('Given a learner in no class, when a is pressed, then the app says how to join one', async () => {
    const app = await testApp({ toggleHand: () => undefined });
    await app.controller.start();
    app.controller.handle('raise-hand');
    expect(app.store.getState().notice?.text).toMatch(/kubelab class join/);
  });
});
