/**
 * The translations beside a lesson of kubelab's own format (lesson.fr.md beside lesson.md), read
 * with the lesson: each parsed as a lesson, with the source hash it records (`translatedFrom:`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagnosticBag } from '../../../diagnostics.js';
import { SOURCE_LANGUAGE, sourceHash } from '../../../i18n/lesson-translation.js';
import type { LessonTranslation } from '../../../types.js';
import { parseLesson } from './lesson-parser.js';

const TRANSLATION_FILE = /^lesson\.([a-z]{2})\.md$/;
function recordedSource(text: string): { value?: string; line: number } {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => /^translatedFrom\s*:/.test(l));
  if (index === -1) return { line: 2 };
  return { value: lines[index].replace(/^translatedFrom\s*:\s*/, '').replace(/^["']|["']\s*$/g, '').trim(), line: index + 1 };
}

/**
 * Reads the lesson.LANG.md files of a lesson folder (only `languages` when given: a command in
 * English need not parse the French); their parse errors are the workshop's, with their lines.
 */
export async function readTranslations(lessonDir: string, source: string, bag: DiagnosticBag, languages?: readonly string[]): Promise<Record<string, LessonTranslation>> {
  const translations: Record<string, LessonTranslation> = {};
  if (!existsSync(lessonDir)) return translations;
  const hash = sourceHash(source);
  for (const name of readdirSync(lessonDir).sort()) {
    const language = TRANSLATION_FILE.exec(name)?.[1];
    if (!language || language === SOURCE_LANGUAGE || (languages && !languages.includes(language))) continue;
    const file = join(lessonDir, name);
    const text = await readFile(file, 'utf8');
    const parsed = parseLesson(text, file, lessonDir);
    bag.items.push(...parsed.diagnostics.items);
    if (!parsed.lesson) continue;
    const recorded = recordedSource(text);
    translations[language] = { language, file, lesson: parsed.lesson, translatedFrom: recorded.value, translatedFromLine: recorded.line, sourceHash: hash };
  }
  return translations;
}

