/**
 * The learner's progress as the app changes it: shown at once, saved in order, and merged with
 * what another writer (a `kubelab reset` in another terminal) left in the file meanwhile.
 */
import type { Progress } from '../engine/running/progress.js';
import { textFor } from './state.js';
import type { Store } from './store.js';

export interface ProgressFile {
  /**
   * Saves progress; may return what was written when another writer's changes were merged in (a
   * `kubelab reset` in another terminal), which the screen then shows.
   */
  saveProgress(progress: Progress): Promise<Progress | void>;
  /** The progress file as another terminal left it, merged with the app's; undefined when unchanged. */
  reloadProgress?(progress: Progress): Promise<Progress | undefined>;
}

export class ProgressKeeper {
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly file: ProgressFile,
    private readonly onSaveError: (message: string) => void,
  ) {}

  set(progress: Progress): void {
    this.store.dispatch({ type: 'progress', progress });
    // Saves are chained so an older state never lands after a newer one.
    this.saving = this.saving.then(async () => {
      try {
        this.adopt(progress, await this.file.saveProgress(progress));
      } catch (error) {
        this.onSaveError(textFor(this.store.getState()).t('notice.saveFailed', { error: (error as Error).message }));
      }
    });
  }

  /** Looks at the progress file: another terminal may have reset a lesson meanwhile. */
  reload(): Promise<void> {
    const reload = this.file.reloadProgress;
    if (!reload) return this.saving;
    this.saving = this.saving.then(async () => {
      const mine = this.store.getState().progress;
      this.adopt(mine, await reload.call(this.file, mine).catch(() => undefined));
    });
    return this.saving;
  }

  /** Resolves once every save asked for so far has landed (the app waits for it before it ends). */
  settled(): Promise<void> {
    return this.saving;
  }

  /**
   * Shows progress another writer changed (merged with the app's own): only while the app's state
   * is still the one that was merged, or a newer change of the learner's would be lost.
   */
  private adopt(mine: Progress, merged: Progress | void | undefined): void {
    if (!merged || this.store.getState().progress !== mine) return;
    const { revision: _a, ...before } = mine;
    const { revision: _b, ...after } = merged;
    if (JSON.stringify(before) !== JSON.stringify(after)) this.store.dispatch({ type: 'progress', progress: merged });
  }
}
