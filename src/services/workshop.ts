/** The workshop a command or the app works on, and the lessons and steps it names. */
import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { formatDiagnostic } from '../engine/diagnostics.js';
import { findLesson, loadWorkshop } from '../engine/loading/sources.js';
import { workshopIn } from '../engine/i18n/lesson-translation.js';
import type { Lesson, Step, Workshop } from '../engine/types.js';
import { kubelabHome } from '../paths.js';
import type { RunContext } from './context.js';

/** --workshop DIR (relative to where kubelab runs), or the workshop bundled with kubelab. */
export function workshopRoot(dir: string | undefined, cwd: string): string {
  return dir ? requireWorkshopPath(resolve(cwd, dir), { page: true }) : kubelabHome();
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'a file';
}

/**
 * --workshop must name a folder (or, where pages are read, one eks-workshop-v2 page): a device or
 * a pipe is refused before anything reads it. A path that does not exist is left to the loader,
 * which says what a workshop folder holds.
 */
export function requireWorkshopPath(path: string, options: { page?: boolean } = {}): string {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    return path;
  }
  if (stat.isDirectory() || (options.page && stat.isFile() && /\.mdx?$/.test(path))) return path;
  throw new UsageError(`--workshop ${path} is ${kindOf(stat)}, not a workshop folder.`, 'Pass --workshop DIR: a folder holding workshop.yaml (or eks-workshop-v2 pages).');
}

/** Loads the workshop; its problems go to stderr, and any error stops here (exit 2). */
export async function openWorkshop(dir: string | undefined, context: Pick<RunContext, 'cwd' | 'stderr'>, language?: string): Promise<Workshop> {
  const root = workshopRoot(dir, context.cwd);
  // A chosen language parses only its own translations; none chosen (the app, which switches) reads them all.
  const { workshop, diagnostics } = await loadWorkshop(root, language ? { languages: [language] } : {});
  for (const d of diagnostics.items) context.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!workshop || diagnostics.hasErrors) throw new UsageError(`The workshop in ${root} has errors (listed above).`, 'Fix them, then run: kubelab lint');
  // Lessons in the learner's language where a translation exists (lesson.fr.md), else as written.
  return language ? workshopIn(workshop, language) : workshop;
}

/** The lesson with this id, or a usage error listing the lessons there are. */
export function requireLesson(workshop: Workshop, id: string): Lesson {
  const lesson = findLesson(workshop, id);
  if (!lesson) throw new UsageError(`No lesson "${id}". Lessons: ${workshop.lessons.map((l) => l.id).join(', ')}.`);
  return lesson;
}

/** One step of a lesson (or all of them when no id is given), or a usage error listing its steps. */
export function requireSteps(lesson: Lesson, stepId: string | undefined): Step[] {
  if (!stepId) return lesson.steps;
  const steps = lesson.steps.filter((s) => s.id === stepId);
  if (steps.length === 0) throw new UsageError(`Lesson ${lesson.id} has no step "${stepId}". Steps: ${lesson.steps.map((s) => s.id).join(', ')}.`);
  return steps;
}
