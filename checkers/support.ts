import { z } from 'zod';
import { apiStatus } from '../src/engine/running/kube.js';
import type { CheckContext } from '../src/engine/checker.js';
import { isLanguage } from '../src/engine/i18n/language.js';
import { createTranslator, type Translator } from '../src/engine/i18n/translate.js';

/** The built-in checkers' words, in the learner's language (a context without one: English). */
export const say = (ctx: Pick<CheckContext, 'language'>): Translator => createTranslator(isLanguage(ctx.language) ? ctx.language : 'en');

/** The object, or undefined when the API says 404. Any other error is the check breaking. */
export async function orNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (apiStatus(error) === 404) return undefined;
    throw error;
  }
}

export function selectorString(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Does a label selector (matchLabels only, as the workshop's manifests use) select these labels? */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** A label selector in a checker's args: `"app=web,tier!=cache"` or `{ app: web }`. */
export const labelSelector = z.union([z.string().min(1), z.record(z.string())]);

/** A label selector as the API takes it (`labelSelector=`), from either form. */
export function selectorText(selector: z.infer<typeof labelSelector> | undefined): string | undefined {
  if (selector === undefined) return undefined;
  return typeof selector === 'string' ? selector : selectorString(selector);
}
