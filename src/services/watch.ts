/**
 * `kubelab validate --watch`: the authoring loop. Each save in the workshop folder re-lints the
 * workshop and re-runs the lesson the saved file belongs to, on the cluster that is already up.
 */
import { sourceOfWorkshop } from '../engine/lesson-source.js';
import { isAbsolute, join, relative, sep } from 'node:path';
import { formatDiagnostic, lintSummary } from '../engine/diagnostics.js';
import { lintWorkshop } from '../engine/loading/lint.js';
import { runLessons, type LessonsReport } from '../engine/running/run-lessons.js';
import type { ClusterConnection } from '../engine/connection.js';
import type { EngineEvent, Lesson, Workshop } from '../engine/types.js';
import { loadWorkshop } from '../engine/loading/sources.js';
import { loadCheckers, createSession } from './session.js';
import { watchTree } from './watch-tree.js';

/** Files an author edits. Anything else (logs, files a lesson's commands write) does not re-run. */
const WATCHED = /(^|\/)(workshop\.yaml|[^/]+\.(md|ya?ml|mjs|js|ts|json|sh))$/;

/** Paths from fs.watch, relative to the workshop, that should trigger a run. */
export function relevantChanges(files: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const file of files) {
    const path = file.split(sep).join('/');
    if (path.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) continue;
    if (WATCHED.test(path)) out.add(path);
  }
  return [...out].sort();
}

/**
 * The lessons read from a changed file, as their source says (`lessonFiles`), else those whose
 * folders hold one; a change to workshop.yaml alone re-lints only.
 */
export function lessonsTouched(workshop: Workshop, changed: readonly string[]): Lesson[] {
  const paths = changed.map((file) => join(workshop.dir, file));
  return workshop.lessons.filter((lesson) => {
    const own = sourceOfWorkshop(workshop)?.lessonFiles?.(lesson, workshop);
    if (own) return paths.some((path) => own.includes(path));
    return paths.some((path) => {
      const rel = relative(lesson.dir, path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    });
  });
}

/**
 * Calls `flush` with every path seen, `quietMs` after the last one: an editor's save is often
 * several events (write, rename, chmod), and one run per save is what the author wants.
 */
export function debounce(quietMs: number, flush: (paths: Set<string>) => void): { add(path: string): void; cancel(): void } {
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  return {
    add(path) {
      pending.add(path);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const paths = pending;
        pending = new Set();
        timer = undefined;
        flush(paths);
      }, quietMs);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export interface WatchOptions {
  root: string;
  connection: ClusterConnection;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Progress and results for the author. */
  log(line: string): void;
  /** Engine events of each run (the pretty progress lines). */
  emit(event: EngineEvent): void;
  /** A summary line of each run. */
  summarize(report: LessonsReport): string;
  prove: boolean;
  quietMs?: number;
  /** Told after each run settles (tests wait on it instead of sleeping). */
  onRun?(result: { changed: string[]; lessons: string[]; lintErrors: number; report?: LessonsReport }): void;
}

/**
 * Runs until the signal aborts. A save while a lesson is running aborts that run (its commands and
 * watches take the run's signal) and starts over with the new content.
 */
export async function watchLessons(options: WatchOptions): Promise<void> {
  let current: AbortController | undefined;
  let queue = Promise.resolve();

  const runFor = async (changed: string[], runSignal: AbortSignal) => {
    const { workshop, diagnostics } = await loadWorkshop(options.root);
    // Read again on every save: the author may be editing the workshop's own checkers too.
    const checkers = workshop ? await loadCheckers(workshop, diagnostics) : undefined;
    if (workshop && checkers) lintWorkshop(workshop, checkers, diagnostics);
    for (const d of diagnostics.items) options.log(formatDiagnostic(d));
    const lintErrors = diagnostics.items.filter((d) => d.severity === 'error').length;
    if (!workshop || !checkers || lintErrors) {
      options.log(`${lintErrors} lint error(s): fix and save again.`);
      options.onRun?.({ changed, lessons: [], lintErrors });
      return;
    }
    const lessons = lessonsTouched(workshop, changed);
    if (!lessons.length) {
      options.log(`Lint: ${lintSummary(workshop.lessons.length, diagnostics.items)} (${changed.join(', ')} belongs to no lesson, so nothing runs.)`);
      options.onRun?.({ changed, lessons: [], lintErrors: 0 });
      return;
    }
    options.log(`Running ${lessons.map((l) => l.id).join(', ')} (changed: ${changed.join(', ')})`);
    const session = createSession({ workshop, connection: options.connection, env: options.env, emit: options.emit }, checkers);
    const report = await runLessons(session, lessons, { bail: false, prove: options.prove, signal: runSignal });
    if (runSignal.aborted) return;
    options.log(options.summarize(report));
    options.onRun?.({ changed, lessons: lessons.map((l) => l.id), lintErrors: 0, report });
  };

  const changes = debounce(options.quietMs ?? 300, (paths) => {
    const changed = relevantChanges(paths);
    if (!changed.length) return;
    current?.abort();
    const run = new AbortController();
    current = run;
    const signal = AbortSignal.any([options.signal, run.signal]);
    // One run at a time: the next waits for the aborted one to finish cleaning up its processes.
    queue = queue.then(() => (signal.aborted ? undefined : runFor(changed, signal))).catch((error: unknown) => {
      if (!signal.aborted) options.log(`error: ${(error as Error).message}`);
    });
  });

  // Folder by folder: a save that renames a new file over the old one is seen every time.
  const tree = watchTree(options.root, (file) => changes.add(file), options.signal);
  options.log(`Watching ${options.root}: save a lesson file to lint it and run its lesson (Ctrl-C to stop).`);
  await tree.done;
  changes.cancel();
  current?.abort();
  await queue;
}
