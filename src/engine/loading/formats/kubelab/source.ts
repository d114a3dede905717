import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkBlockHooks, checkLessonFolder, checkLessonScripts } from '../../../confine.js';
import { DiagnosticBag } from '../../../diagnostics.js';
import { parseLesson } from './lesson-parser.js';
import { lintCommandPaths } from '../../lint.js';
import { readTranslations } from './translations.js';
import { describeZodIssues, workshopSchema } from '../../schemas.js';
import type { LessonSource, LoadedWorkshop, LoadOptions } from '../../../lesson-source.js';
import type { Lesson } from '../../../types.js';

/** kubelab's own format: a folder with workshop.yaml and lessons/<folder>/lesson.md. */
export const kubelabSource: LessonSource = {
  format: 'kubelab',
  description: 'a kubelab workshop (a folder with workshop.yaml)',
  detect: (path) => existsSync(join(path, 'workshop.yaml')),
  load: (path, options) => loadKubelabWorkshop(path, options),
  lint: lintCommandPaths,
};

/**
 * Reads a workshop folder: workshop.yaml, then lessons/<folder>/lesson.md for each listed folder.
 * Never throws for bad content: everything wrong is a diagnostic with its file and line.
 */
async function loadKubelabWorkshop(dir: string, options: LoadOptions): Promise<LoadedWorkshop> {
  const root = resolve(dir);
  const bag = new DiagnosticBag();
  const manifest = join(root, 'workshop.yaml');
  if (!existsSync(manifest)) {
    bag.error({ file: manifest, line: 1, column: 1 }, 'no workshop.yaml here: pass --workshop DIR pointing at a workshop folder, or at eks-workshop-v2 pages (.md)');
    return { diagnostics: bag };
  }
  let config;
  let manifestSource = '';
  try {
    manifestSource = await readFile(manifest, 'utf8');
    const result = workshopSchema.safeParse(parseYaml(manifestSource) ?? {});
    if (!result.success) {
      for (const m of describeZodIssues(result.error)) bag.error({ file: manifest, line: 1, column: 1 }, m);
      return { diagnostics: bag };
    }
    config = result.data;
  } catch (error) {
    bag.error({ file: manifest, line: 1, column: 1 }, `workshop.yaml is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    return { diagnostics: bag };
  }

  const lessons: Lesson[] = [];
  const folders = [...config.lessons.map((folder) => ({ folder, optional: false })), ...config.further.map((folder) => ({ folder, optional: true }))];
  for (const { folder, optional } of folders) {
    // Refused before anything in it is read: a lesson outside the workshop is not this workshop's.
    if (!checkLessonFolder(root, manifest, manifestSource, folder, bag)) continue;
    const lessonDir = join(root, 'lessons', folder);
    const file = join(lessonDir, 'lesson.md');
    if (!existsSync(file)) {
      bag.error({ file: manifest, line: 1, column: 1 }, `lesson folder "${folder}" has no lesson.md (expected ${file})`);
      continue;
    }
    const source = await readFile(file, 'utf8');
    const parsed = parseLesson(source, file, lessonDir);
    bag.items.push(...parsed.diagnostics.items);
    if (parsed.lesson) {
      checkLessonScripts(root, parsed.lesson, source, bag);
      checkBlockHooks(root, parsed.lesson, bag);
      // lesson.fr.md and friends: read with their source, applied where a language is chosen.
      const translations = await readTranslations(lessonDir, source, bag, options.languages);
      const lesson = Object.keys(translations).length ? { ...parsed.lesson, translations } : parsed.lesson;
      lessons.push(optional ? { ...lesson, optional } : lesson);
    }
  }

  const ids = new Set<string>();
  for (const lesson of lessons) {
    const at = { file: lesson.file, line: 2, column: 1 };
    if (ids.has(lesson.id)) bag.error(at, `duplicate lesson id "${lesson.id}"`);
    ids.add(lesson.id);
  }
  for (const lesson of lessons) {
    for (const required of lesson.requires) {
      if (!ids.has(required)) bag.error({ file: lesson.file, line: 2, column: 1 }, `requires unknown lesson "${required}"`);
    }
  }
  return {
    diagnostics: bag,
    workshop: {
      id: config.id,
      title: config.title,
      description: config.description,
      dir: root,
      variables: config.variables,
      providers: config.providers,
      lessons,
      ...(Object.keys(config.translations).length && { translations: config.translations }),
    },
  };
}
