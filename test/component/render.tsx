import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/components/App.js';
import { afterEach } from 'vitest';
import { testApp, until, type TestApp, type TestAppOptions } from '../support/ui-app.js';

export const KEY = { enter: '\r', up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', escape: '\u001B', ctrlC: '\u0003' };

/** The app on ink-testing-library's fake terminal, with helpers to type and wait for text. */
export function renderApp(app: TestApp) {
  const ui = render(<App store={app.store} controller={app.controller} />);
  const frame = () => ui.lastFrame() ?? '';
  return {
    ...ui,
    frame,
    async press(...keys: string[]) {
      for (const key of keys) {
        ui.stdin.write(key);
        // Ink reads input asynchronously: give each key a turn before the next.
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async see(text: string | RegExp) {
      await until(() => (typeof text === 'string' ? frame().includes(text) : text.test(frame())), `screen to show ${text}\n---\n${frame()}`);
    },
  };
}

let unmountLast: (() => void) | undefined;
afterEach(() => {
  unmountLast?.();
  unmountLast = undefined;
});

/** The app opened on the fixture workshop's first lesson, at step `step` (0-based); unmounted after the test. */
export async function openStep(options: TestAppOptions = {}, step = 0) {
  const app = await testApp(options);
  const ui = renderApp(app);
  unmountLast = ui.unmount;
  await app.controller.start();
  await ui.press(KEY.enter);
  for (let i = 0; i < step; i++) await ui.press('n');
  await ui.see(`Step ${step + 1}/3`);
  return { app, ui };
}
