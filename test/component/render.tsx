import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/components/App.js';
import { until, type TestApp } from '../support/ui-app.js';

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
