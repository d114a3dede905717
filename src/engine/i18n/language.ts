/**
 * Which language the learner reads: `--lang`, else the language they last switched to in the app
 * (kept with their progress), else the locale (LC_ALL, then LC_MESSAGES, then LANG, as POSIX
 * orders them: the first one set decides), else English.
 */
import { LANGUAGES, type Language } from './translate.js';

export type LanguageSource = 'flag' | 'progress' | 'locale' | 'default';

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** "fr_FR.UTF-8", "fr-CA", "fr" → fr; "C", "POSIX", "de_DE" → undefined (not one kubelab speaks). */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  const code = locale?.trim().toLowerCase().split(/[_.@-]/)[0];
  return isLanguage(code) ? code : undefined;
}

/** The locale variable that decides: the first one set and not empty, as the C library reads them. */
export function localeFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    if (env[name]?.trim()) return env[name];
  }
  return undefined;
}

export function chooseLanguage(options: { flag?: string; remembered?: string; env?: NodeJS.ProcessEnv }): { language: Language; source: LanguageSource } {
  if (isLanguage(options.flag)) return { language: options.flag, source: 'flag' };
  if (isLanguage(options.remembered)) return { language: options.remembered, source: 'progress' };
  const fromLocale = languageOfLocale(localeFromEnv(options.env ?? process.env));
  if (fromLocale) return { language: fromLocale, source: 'locale' };
  return { language: 'en', source: 'default' };
}

/** The other language, for the app's switch key. */
export const nextLanguage = (language: Language): Language => LANGUAGES[(LANGUAGES.indexOf(language) + 1) % LANGUAGES.length];
