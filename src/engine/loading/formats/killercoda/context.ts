import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { DiagnosticBag } from '../../../diagnostics.js';
import type { SourceLocation } from '../../../types.js';

/** What reading one Killercoda scenario keeps at hand: its folder, its index.json, where problems go. */

export interface RawPage {
  title?: unknown;
  text?: unknown;
  background?: unknown;
  foreground?: unknown;
  verify?: unknown;
  courseData?: unknown;
  code?: unknown;
}

export interface ScenarioContext {
  dir: string;
  /** The folder with symlinks resolved: what the scenario's files must stay inside. */
  realDir: string;
  file: string;
  raw: string;
  lessonId: string;
  bag: DiagnosticBag;
  locate: (offset: number) => SourceLocation;
  /** One scenario of a collection: its own problems leave it out, and do not stop the others. */
  inCollection: boolean;
  /** What makes this scenario unrunnable, when something does. */
  broken: string[];
}

/**
 * Something that keeps the scenario from running. Alone, it is an error (the author fixes it); in
 * a collection cloned from elsewhere, one broken scenario is left out with a warning and the
 * others still run.
 */
export function problem(ctx: ScenarioContext, location: SourceLocation, message: string): void {
  if (!ctx.inCollection) return ctx.bag.error(location, message);
  ctx.broken.push(message);
  ctx.bag.warning(location, `${message} (this scenario is left out; the others run)`);
}

/** Where a value (a file name) or a key is written in index.json, for a diagnostic that points at it. */
export function placeOf(ctx: ScenarioContext, needle: string, after = 0): SourceLocation {
  const at = ctx.raw.indexOf(JSON.stringify(needle), after);
  return ctx.locate(at >= 0 ? at : 0);
}

/** A file a page names, read from inside the scenario; a diagnostic otherwise. */
export function readNamed(ctx: ScenarioContext, name: unknown, key: string, required: boolean): { path: string; text: string } | undefined {
  if (name === undefined || name === '') {
    return undefined;
  }
  if (typeof name !== 'string') {
    problem(ctx, placeOf(ctx, key), `"${key}" must be a file name (a string)`);
    return undefined;
  }
  const path = resolve(ctx.dir, name);
  if (!isWithin(ctx.dir, path)) {
    problem(ctx, placeOf(ctx, name), `"${key}": "${name}" is outside the scenario folder: a scenario may only use its own files`);
    return undefined;
  }
  if (!existsSync(path) || !statSync(path).isFile()) {
    const message = `"${key}": ${name} is not in the scenario folder${key === 'verify' ? ' (the verify script was not found: the step has no check)' : ''}`;
    if (required) problem(ctx, placeOf(ctx, name), message);
    else ctx.bag.warning(placeOf(ctx, name), message);
    return undefined;
  }
  // One native call per file (a collection has thousands): a symlink leading out is refused.
  const real = realpathSync.native(path);
  if (!isWithin(ctx.realDir, real)) {
    problem(ctx, placeOf(ctx, name), `"${key}": "${name}" leads outside the scenario folder (through a symlink, to ${real}): a scenario may only use its own files`);
    return undefined;
  }
  return { path, text: readFileSync(path, 'utf8') };
}

const isWithin = (dir: string, path: string): boolean => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

