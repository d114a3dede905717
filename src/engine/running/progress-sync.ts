/**
 * The open app and other terminals share one progress file: `kubelab reset rbac` in a second
 * terminal must not be undone by the app writing back what it had in memory. Every save and every
 * look at the file merges three versions — what the app last read (base), what it has now (mine),
 * what the file holds (theirs): a step the app changed is the app's; any other step is the file's.
 */
import { readFile } from 'node:fs/promises';
import { loadProgress, progressFile, readRevision, saveProgress, type ClusterKey, type Progress, type StepProgress } from './progress.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed from base to mine wins; everything else is taken from theirs. */
export function mergeProgress(base: Progress, mine: Progress, theirs: Progress): Progress {
  const steps: Record<string, Record<string, StepProgress>> = {};
  const lessons = new Set([...Object.keys(base.steps), ...Object.keys(mine.steps), ...Object.keys(theirs.steps)]);
  for (const lesson of lessons) {
    const ids = new Set([...Object.keys(base.steps[lesson] ?? {}), ...Object.keys(mine.steps[lesson] ?? {}), ...Object.keys(theirs.steps[lesson] ?? {})]);
    for (const id of ids) {
      const b = base.steps[lesson]?.[id];
      const m = mine.steps[lesson]?.[id];
      const chosen = same(b, m) ? theirs.steps[lesson]?.[id] : m;
      if (chosen) (steps[lesson] ??= {})[id] = chosen;
    }
  }
  const current = same(base.current, mine.current) ? theirs.current : mine.current;
  const provider = same(base.provider, mine.provider) ? theirs.provider : mine.provider;
  const language = same(base.language, mine.language) ? theirs.language : mine.language;
  const merged: Progress = { ...theirs, steps, provider, revision: theirs.revision };
  if (language) merged.language = language;
  if (current) merged.current = current;
  else delete merged.current;
  return merged;
}

export class ProgressSync {
  /** The progress as last read from or written to the file. */
  private base: Progress;

  constructor(
    initial: Progress,
    private readonly env: NodeJS.ProcessEnv,
    private readonly key?: ClusterKey,
  ) {
    this.base = initial;
  }

  private async onDisk(): Promise<{ progress: Progress; revision: number } | undefined> {
    const text = await readFile(progressFile(this.base.workshop, this.env, this.key), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const { progress } = await loadProgress(this.base.workshop, this.env, this.key);
    return { progress, revision: readRevision(text) ?? 0 };
  }

  /**
   * What the file holds now merged into `mine`, when someone else wrote it since the app last
   * did (its revision moved on); undefined when nothing changed on disk.
   */
  async reload(mine: Progress): Promise<Progress | undefined> {
    const disk = await this.onDisk();
    if (!disk || disk.revision === (this.base.revision ?? 0)) return undefined;
    const merged = mergeProgress(this.base, mine, { ...disk.progress, revision: disk.revision });
    this.base = { ...disk.progress, revision: disk.revision };
    return merged;
  }

  /** Saves `mine` merged with whatever another writer saved meanwhile; returns what was written. */
  async save(mine: Progress): Promise<Progress> {
    const merged = (await this.reload(mine)) ?? mine;
    const revision = await saveProgress(merged, this.env, this.key);
    const written = { ...merged, revision };
    this.base = written;
    return written;
  }
}
