/**
 * Translated lessons in kubelab's own format: `lesson.fr.md` beside `lesson.md`. A translation
 * carries prose (titles, text, hints, `confirm=` wording); everything a step does — its id, its
 * checks, whether it is a challenge — comes from the source, so a step checks the same thing in
 * every language and progress (kept by lesson and step id) carries across a switch. Commands are
 * the translation's own, so a learner runs what they read; lint says when they differ from the
 * source's, and when the source changed since the translation recorded it (`translatedFrom:`, a
 * hash of lesson.md as it was when the translation was last reviewed).
 */
import { createHash } from 'node:crypto';
import type { CommandBlock, EngineEvent, Lesson, Step, Workshop } from '../types.js';
import { isLanguage } from './language.js';
import { createTranslator, type Translator } from './translate.js';

/** The language lessons are written in unless a translation says otherwise. */
export const SOURCE_LANGUAGE = 'en';

/** What `translatedFrom:` records: short enough to type, long enough never to collide by chance. */
export function sourceHash(source: string): string {
  return `sha256:${createHash('sha256').update(source.replace(/\r\n/g, '\n')).digest('hex').slice(0, 16)}`;
}

/** A block of the translation stands for the source's when it runs the same thing the same way. */
export function blockSignature(block: CommandBlock): string {
  return JSON.stringify([block.code.trim(), block.run, block.timeoutSeconds, block.expect, block.expectOutput ?? null, block.providers ?? null]);
}

function translatedStep(step: Step, translated: Step | undefined): Step {
  if (!translated) return step;
  // Hints are prose, but tied to checks and providers by position: a translation with another
  // count cannot be lined up, so the source's stay.
  const hintsLineUp = translated.hints.length === step.hints.length;
  return {
    ...step,
    title: translated.title,
    markdown: translated.markdown,
    // What the learner reads, and the blocks its segments point at, are the translation's.
    render: translated.render,
    blocks: translated.blocks,
    ...(hintsLineUp && { hints: translated.hints }),
  };
}

/** The lesson as read in `language`: its translation's prose with the source's steps, or the source marked untranslated. */
export function lessonIn(lesson: Lesson, language: string): Lesson {
  if (language === (lesson.language ?? SOURCE_LANGUAGE)) return lesson;
  const translation = lesson.translations?.[language];
  if (!translation) return { ...lesson, untranslated: language };
  const t = translation.lesson;
  return {
    ...lesson,
    title: t.title,
    intro: t.intro,
    render: t.render,
    language,
    steps: lesson.steps.map((step, i) => translatedStep(step, t.steps[i])),
  };
}

/**
 * Events as the source language tells them: the class view shows every learner's lessons and steps
 * under the same titles, whatever language each learner reads them in (ids are shared already).
 */
export function inSourceTitles(workshop: Workshop): (event: EngineEvent) => EngineEvent {
  return (event) => {
    const lesson = 'lessonId' in event ? workshop.lessons.find((l) => l.id === event.lessonId) : undefined;
    if (!lesson) return event;
    if (event.type === 'lesson-start') return { ...event, title: lesson.title };
    if (event.type === 'step-start') return { ...event, title: lesson.steps.find((s) => s.id === event.stepId)?.title ?? event.title };
    return event;
  };
}

/** The learner's language as a lesson read for them carries it (a lesson left untranslated still knows). */
export function learnerLanguageOf(lesson: Lesson): string | undefined {
  return lesson.language ?? lesson.untranslated;
}

/** Words for the engine's own messages about this lesson, in its learner's language. */
export function translatorFor(lesson: Lesson): Translator {
  const language = learnerLanguageOf(lesson);
  return createTranslator(isLanguage(language) ? language : 'en');
}

export function workshopIn(workshop: Workshop, language: string): Workshop {
  const words = workshop.translations?.[language];
  return { ...workshop, ...(words && { title: words.title, description: words.description }), lessons: workshop.lessons.map((lesson) => lessonIn(lesson, language)) };
}
