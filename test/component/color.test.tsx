import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testApp, until } from '../support/ui-app.js';
import type { renderApp as RenderApp } from './render.js';

// Colour must be forced on before chalk (inside ink) is loaded, so ink is imported late here.
let renderApp: typeof RenderApp;
beforeAll(async () => {
  process.env.FORCE_COLOR = '1';
  ({ renderApp } = await import('./render.js'));
});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const COLOR = /\u001B\[3[0-9]m/;

describe('Colour', () => {
  it('Given colour is on, then status marks are coloured', async () => {
    const app = await testApp({ color: true });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('reachable');
    expect(ui.frame()).toMatch(COLOR);
  });

  it('Given NO_COLOR (colour off), then no colour codes are drawn, but bold stays', async () => {
    const app = await testApp({ color: false });
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.see('reachable');
    expect(ui.frame()).not.toMatch(COLOR);
    expect(ui.frame()).toContain('\u001B[1m');
  });
});

describe('Quitting', () => {
  it('Given the app, when q is pressed, then it ends with exit code 0', async () => {
    const app = await testApp();
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.press('q');
    await until(() => app.exitCodes.length > 0, 'exit');
    expect(app.exitCodes).toEqual([0]);
  });

  it('Given nothing runs, when Ctrl-C is pressed twice, then the first warns and the second quits with 130', async () => {
    const app = await testApp();
    const ui = renderApp(app);
    cleanup = ui.unmount;
    await app.controller.start();
    await ui.press('\u0003');
    await ui.see('Press Ctrl-C again (or q) to quit. Your progress is saved.');
    await ui.press('\u0003');
    await until(() => app.exitCodes.length > 0, 'exit');
    expect(app.exitCodes).toEqual([130]);
  });
});
