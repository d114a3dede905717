/**
 * `kubelab lint` on translations: where a lesson.LANG.md differs from its lesson.md in what a step
 * does (steps, commands, step blocks), and whether the source changed since the translation
 * recorded it. Each problem points at the translation's own line, and names the source's.
 */
import type { DiagnosticBag } from '../diagnostics.js';
import type { CheckSpec, Lesson, LessonTranslation, Step } from '../types.js';
import { blockSignature } from '../i18n/lesson-translation.js';

/**
 * 'current': reviewed against lesson.md as it is; 'needs-review': lesson.md changed since;
 * 'drifted': steps or commands differ; 'missing': no lesson.LANG.md (shown in the source language).
 */
export type TranslationState = 'current' | 'needs-review' | 'drifted' | 'missing';

export interface TranslationStatus {
  lesson: string;
  language: string;
  file: string;
  state: TranslationState;
  translatedFrom?: string;
  sourceHash?: string;
  problems: number;
}

const where = (step: Step) => `${step.location.file.split('/').pop()}:${step.location.line}`;
const checkSignature = (c: CheckSpec) => JSON.stringify([c.id, c.checker, c.args, c.timeoutSeconds, c.expect ?? null, c.providers ?? null]);
const firstLine = (code: string) => code.trim().split('\n')[0];

function stepDrift(source: Step, translated: Step, bag: DiagnosticBag): number {
  const before = bag.items.length;
  const at = translated.location;
  if (translated.blocks.length !== source.blocks.length) {
    bag.error(at, `step ${source.index + 1} ("${source.id}") has ${translated.blocks.length} command block(s), ${where(source)} has ${source.blocks.length}: translate the prose, keep the commands`);
  }
  source.blocks.forEach((block, i) => {
    const mine = translated.blocks[i];
    if (mine && blockSignature(mine) !== blockSignature(block)) {
      bag.error(mine.location, `command differs from ${block.location.file.split('/').pop()}:${block.location.line}: \`${firstLine(block.code)}\` there, \`${firstLine(mine.code)}\` here (copy the block and its attributes as they are; only confirm= may be translated)`);
    }
  });
  const checks = source.checks.map(checkSignature).join('\n');
  if (translated.checks.map(checkSignature).join('\n') !== checks) {
    bag.error(translated.checks[0]?.location ?? at, `step ${source.index + 1} ("${source.id}"): its checks differ from ${where(source)}'s step block (copy checks: as they are; only hints are translated)`);
  }
  if (translated.hints.length !== source.hints.length) {
    bag.error(at, `step ${source.index + 1} ("${source.id}") has ${translated.hints.length} hint(s), ${where(source)} has ${source.hints.length}: translate each hint, in the same order`);
  }
  if (translated.challenge !== source.challenge || Boolean(translated.unchecked) !== Boolean(source.unchecked) || translated.setup !== source.setup || translated.cleanup !== source.cleanup) {
    bag.error(at, `step ${source.index + 1} ("${source.id}"): challenge, unchecked, setup or cleanup differ from ${where(source)}'s step block`);
  }
  return bag.items.length - before;
}

/**
 * Reports every translation's drift into `bag` and returns each lesson's state in each language
 * the workshop has translations in (a lesson without one is 'missing': no error, it is shown in
 * its source language), for `lint --json`.
 */
export function lintTranslations(lessons: readonly Lesson[], bag: DiagnosticBag): TranslationStatus[] {
  const languages = [...new Set(lessons.flatMap((l) => Object.keys(l.translations ?? {})))].sort();
  const states: TranslationStatus[] = [];
  for (const lesson of lessons) {
    for (const language of languages) {
      const translation = lesson.translations?.[language];
      states.push(
        translation
          ? lintTranslation(lesson, translation, bag)
          : { lesson: lesson.id, language, file: lesson.file.replace(/lesson\.md$/, `lesson.${language}.md`), state: 'missing', problems: 0 },
      );
    }
  }
  return states;
}

function lintTranslation(lesson: Lesson, translation: LessonTranslation, bag: DiagnosticBag): TranslationStatus {
  const t = translation.lesson;
  const file = translation.file;
  const before = bag.items.length;
  if (t.id !== lesson.id) bag.error({ file, line: 2, column: 1 }, `id "${t.id}" differs from lesson.md's "${lesson.id}": a translation keeps its lesson's id`);
  if (t.steps.length !== lesson.steps.length) {
    const missing = lesson.steps.slice(t.steps.length).map((s) => `"${s.title}" (${where(s)})`);
    const at = t.steps[lesson.steps.length]?.location ?? { file, line: t.steps[t.steps.length - 1]?.location.line ?? 1, column: 1 };
    bag.error(at, `${t.steps.length} step(s) here, ${lesson.steps.length} in lesson.md${missing.length ? `: not translated: ${missing.join(', ')}` : ': remove the extra one(s)'}`);
  }
  lesson.steps.forEach((step, i) => {
    if (t.steps[i]) stepDrift(step, t.steps[i], bag);
  });
  const drifted = bag.items.length > before;
  const at = { file, line: translation.translatedFromLine, column: 1 };
  let stale = false;
  if (!translation.translatedFrom) {
    stale = true;
    bag.warning(at, `records no source: once it matches lesson.md, add "translatedFrom: ${translation.sourceHash}" to its frontmatter`);
  } else if (translation.translatedFrom !== translation.sourceHash) {
    stale = true;
    bag.warning(at, `lesson.md changed since this translation was reviewed (translatedFrom ${translation.translatedFrom}, lesson.md is now ${translation.sourceHash}): review the change (git log -p lesson.md), update the translation, then set translatedFrom: ${translation.sourceHash}`);
  }
  return {
    lesson: lesson.id,
    language: translation.language,
    file,
    state: drifted ? 'drifted' : stale ? 'needs-review' : 'current',
    ...(translation.translatedFrom && { translatedFrom: translation.translatedFrom }),
    sourceHash: translation.sourceHash,
    problems: bag.items.length - before,
  };
}
