import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLED_DIR, testApp } from '../support/ui-app.js';
import { renderApp } from './render.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** What each provider costs, as the picker must show it whole (a learner decides on it). */
const COSTS = {
  local: 'none, it runs on this machine',
  kind: 'none, it runs in Docker on this machine',
  eks: 'billed by the hour until you delete it',
  existing: 'whatever that cluster already costs',
};

describe('Provider picker', () => {
  for (const columns of [100, 80]) {
    it(`Given a ${columns}-column terminal, when the picker opens, then each provider's cost is shown whole and no line is wider than ${columns}`, async () => {
      const app = await testApp({ workshopDir: BUNDLED_DIR, size: { columns, rows: 30 } });
      const ui = renderApp(app);
      cleanup = ui.unmount;
      await app.controller.start();
      await ui.see('reachable');
      await ui.press('p');
      await ui.see('Which cluster should the lessons use?');
      const frame = ui.frame();
      expect(app.store.getState().providers).toEqual(['local', 'kind', 'eks', 'existing']);
      for (const cost of Object.values(COSTS)) expect(frame).toContain(cost);
      expect(frame).not.toContain('…');
      for (const line of frame.split('\n')) expect(line.length, line).toBeLessThanOrEqual(columns);
    });
  }
});
