import { describe, expect, it } from 'vitest';
import { emptyProgress } from '../../../src/engine/running/progress.js';
import { createStore } from '../../../src/ui/store.js';
import { initialState } from '../../../src/ui/state.js';
import { fixtureWorkshop } from '../../support/ui-app.js';

async function freshStore() {
  const workshop = await fixtureWorkshop();
  return createStore(initialState({ workshop, progress: emptyProgress(workshop.id), provider: 'local', size: { columns: 100, rows: 30 }, color: false }));
}

describe('the app store', () => {
  it('Given a subscriber, when an action changes the state, then the reducer\'s new state is read and the subscriber hears of it once', async () => {
    const store = await freshStore();
    let heard = 0;
    store.subscribe(() => heard++);
    store.dispatch({ type: 'open-step', lessonIndex: 0, stepIndex: 1 });
    expect(store.getState()).toMatchObject({ screen: 'step', lessonIndex: 0, stepIndex: 1 });
    expect(heard).toBe(1);
  });

  it('Given a subscriber, when an action changes nothing, then the state is the same object and nobody is told (no redraw)', async () => {
    const store = await freshStore();
    const before = store.getState();
    let heard = 0;
    store.subscribe(() => heard++);
    // "stopping" only means something while a command runs; nothing runs here.
    store.dispatch({ type: 'stopping' });
    expect(store.getState()).toBe(before);
    expect(heard).toBe(0);
  });

  it('Given two subscribers, when one unsubscribes, then only the other hears of later changes', async () => {
    const store = await freshStore();
    const heard: string[] = [];
    const leave = store.subscribe(() => heard.push('first'));
    store.subscribe(() => heard.push('second'));
    store.dispatch({ type: 'resize', columns: 80, rows: 24 });
    leave();
    store.dispatch({ type: 'resize', columns: 120, rows: 40 });
    expect(heard).toEqual(['first', 'second', 'second']);
    expect(store.getState().size).toEqual({ columns: 120, rows: 40 });
  });
});
