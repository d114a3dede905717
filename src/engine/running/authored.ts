import type { Workshop } from '../types.js';

/**
 * The words a workshop's author wrote — ids, titles, hints — which redaction must leave alone: a
 * Secrets lesson names tokens and passwords, and they are the lesson, not secrets.
 */

export function authoredNames(workshop: Workshop): string[] {
  return workshop.lessons.flatMap((lesson) => [lesson.id, ...lesson.steps.flatMap((step) => [step.id, ...step.checks.map((c) => c.id)])]);
}

export function authoredTexts(workshop: Workshop): string[] {
  return workshop.lessons.flatMap((lesson) => [lesson.title, ...lesson.steps.flatMap((step) => [step.title, ...step.hints, ...step.checks.flatMap((c) => (c.unprovable ? [c.unprovable] : []))])]);
}
