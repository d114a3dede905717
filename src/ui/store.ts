/**
 * The app's state in one place: the reducer decides every change, screens subscribe to hear of it.
 * No ink or react here: the controller and its tests use it as it is.
 */
import { reduce, type AppAction, type AppState } from './state.js';

export interface Store {
  getState(): AppState;
  dispatch(action: AppAction): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: AppState): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      // An action that changed nothing redraws nothing.
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
