/**
 * The lesson sources kubelab knows, in the order they are asked: a format with a manifest of its own
 * comes before one recognised by its pages. A new format is one module and one line here.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticBag } from '../diagnostics.js';
import { docusaurusSource } from './formats/docusaurus/source.js';
import { killercodaSource } from './formats/killercoda/source.js';
import type { LessonSource, LoadedWorkshop, LoadOptions } from '../lesson-source.js';
import type { Lesson, Workshop } from '../types.js';
import { kubelabSource } from './formats/kubelab/source.js';

export const BUILTIN_SOURCES: readonly LessonSource[] = [kubelabSource, killercodaSource, docusaurusSource];

/**
 * Built-in sources, then those of `KUBELAB_LESSON_SOURCES` (ESM module paths, separated by the
 * path delimiter, each exporting `source`): a format an author brings without changing kubelab.
 */
export async function lessonSources(env: NodeJS.ProcessEnv = process.env): Promise<LessonSource[]> {
  const extra: LessonSource[] = [];
  for (const path of (env.KUBELAB_LESSON_SOURCES ?? '').split(/[:;]/).filter(Boolean)) {
    const module = (await import(pathToFileURL(resolve(path)).href)) as { source?: LessonSource };
    if (!module.source?.detect || !module.source.load) throw new Error(`${path} exports no lesson source (expected: export const source = { format, description, detect, load })`);
    extra.push(module.source);
  }
  // An author's format is asked first: it may claim folders a built-in one would also take.
  return [...extra, ...BUILTIN_SOURCES];
}

/** The source that recognises this path, if any. */
export function detectSource(path: string, sources: readonly LessonSource[]): LessonSource | undefined {
  return sources.find((source) => source.detect(path));
}

export interface SourceLoadOptions extends LoadOptions {
  /** The sources to ask; `lessonSources(env)` when unset. */
  sources?: readonly LessonSource[];
}

export interface LoadedBySource extends LoadedWorkshop {
  /** The source that read it; unset when no source recognised the path. */
  source?: LessonSource;
}

/** Opens any lesson content: the first source that recognises it reads it, and its name is the workshop's format. */
export async function loadWorkshop(dir: string, options: SourceLoadOptions = {}): Promise<LoadedBySource> {
  const path = resolve(dir);
  let sources = options.sources;
  if (!sources) {
    try {
      sources = await lessonSources(options.env);
    } catch (error) {
      const bag = new DiagnosticBag();
      bag.error({ file: path, line: 1, column: 1 }, `KUBELAB_LESSON_SOURCES: ${(error as Error).message}`);
      return { diagnostics: bag };
    }
  }
  const source = detectSource(path, sources);
  if (!source) {
    const bag = new DiagnosticBag();
    const known = sources.map((s) => s.description).join('; ');
    const what = existsSync(path) ? 'kubelab does not recognise this content' : 'there is nothing at this path';
    bag.error({ file: path, line: 1, column: 1 }, `${what}: pass --workshop pointing at one of: ${known}`);
    return { diagnostics: bag };
  }
  const loaded = await source.load(path, options);
  const diagnostics = loaded.diagnostics instanceof DiagnosticBag ? loaded.diagnostics : new DiagnosticBag();
  if (diagnostics !== loaded.diagnostics) diagnostics.items.push(...loaded.diagnostics.items);
  if (loaded.workshop) Object.assign(loaded.workshop, { format: source.format, source });
  return { workshop: loaded.workshop, diagnostics, source };
}

/** The source that read a workshop, by the format recorded on it. */
export function sourceOf(format: string | undefined, sources: readonly LessonSource[] = BUILTIN_SOURCES): LessonSource | undefined {
  return sources.find((s) => s.format === (format ?? 'kubelab'));
}

/** A lesson of the workshop by its id, or by the name of its folder. */
export function findLesson(workshop: Workshop, id: string): Lesson | undefined {
  return workshop.lessons.find((l) => l.id === id || l.dir.endsWith(`/${id}`));
}
