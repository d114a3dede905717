/**
 * Watches a folder tree by watching each folder, never each file. An editor's save often writes a
 * new file and renames it over the old one (`sed -i`, vim, many IDEs): a watch on the old file's
 * inode goes deaf after the first such save, a watch on its folder hears every one.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders never watched: version control, dependencies, editors' own. */
const skipped = (name: string): boolean => name.startsWith('.') || name === 'node_modules';

export interface TreeWatch {
  /** Resolves when the signal aborts or the root folder can no longer be watched. */
  done: Promise<void>;
}

export function watchTree(root: string, onPath: (path: string) => void, signal: AbortSignal): TreeWatch {
  const watchers = new Map<string, FSWatcher>();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const add = (dir: string): void => {
    if (watchers.has(dir) || signal.aborted) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { signal }, (_event, name) => {
        if (!name) return;
        const path = join(dir, name.toString());
        onPath(relative(root, path));
        // A folder made (or moved in) after the start is watched too.
        if (!skipped(name.toString()) && isFolder(path)) addTree(path);
      });
    } catch {
      return;
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(dir);
      if (dir === root) finish();
    });
    watchers.set(dir, watcher);
  };

  const addTree = (dir: string): void => {
    add(dir);
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) if (!skipped(name) && isFolder(join(dir, name))) addTree(join(dir, name));
  };

  addTree(root);
  const stop = () => {
    for (const w of watchers.values()) w.close();
    watchers.clear();
    finish();
  };
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  return { done };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
