/**
 * Messages in the learner's language, on the platform's own ICU data (Intl): plural categories
 * from Intl.PluralRules (French "0 pod" vs English "0 pods" — the rules differ at 0 and 1), numbers,
 * durations and times from Intl.NumberFormat / DateTimeFormat. Catalogs are plain keyed objects,
 * one per language; a message is a string with `{name}` placeholders, or one string per plural
 * category chosen by its `count` parameter. No module state: each caller holds its own Translator.
 */
import { en } from './catalog-en.js';
import { fr } from './catalog-fr.js';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One string per plural category; `other` is required, every language falls back to it. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;
export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, Message>;
export type MessageParams = Record<string, string | number | undefined>;

export const CATALOGS: Record<Language, Catalog> = { en, fr };

/** BCP 47 tags for Intl: French as written in France (decimal comma, 24-hour clock). */
const LOCALE_TAG: Record<Language, string> = { en: 'en-US', fr: 'fr-FR' };

export interface Translator {
  language: Language;
  t(key: MessageKey, params?: MessageParams): string;
  /** 1234.5 → "1,234.5" / "1 234,5". */
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** 2500 → "2.5 s" / "2,5 s"; a minute or more → "1 min 5 s". */
  duration(ms: number): string;
  /** A wall-clock time: "9:05 PM" / "21:05". */
  time(date: Date): string;
}

const PLACEHOLDER = /\{(\w+)\}/g;

function pick(message: Message, rules: Intl.PluralRules, count: number | undefined): string {
  if (typeof message === 'string') return message;
  return message[rules.select(count ?? 0)] ?? message.other;
}

export function createTranslator(language: Language): Translator {
  const tag = LOCALE_TAG[language];
  const rules = new Intl.PluralRules(tag);
  const numbers = new Intl.NumberFormat(tag);
  const clock = new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit' });
  const catalog = CATALOGS[language];
  const number = (value: number, options?: Intl.NumberFormatOptions) => (options ? new Intl.NumberFormat(tag, options).format(value) : numbers.format(value));
  const oneDecimal = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // A key missing from a translation falls back to English rather than showing the key: the
  // parity test keeps that from shipping, a workshop's own catalog may still lag behind.
  const t = (key: MessageKey, params: MessageParams = {}) => {
    const message = catalog[key] ?? en[key];
    if (message === undefined) return key;
    const count = typeof params.count === 'number' ? params.count : undefined;
    return pick(message, rules, count).replace(PLACEHOLDER, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
  // French typography keeps a number and its unit together (espace insécable); English text uses a plain space.
  const gap = language === 'fr' ? '\u00a0' : ' ';
  const duration = (ms: number) => {
    if (ms < 60_000) return `${oneDecimal.format(ms / 1000)}${gap}s`;
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return seconds ? `${numbers.format(minutes)}${gap}min ${numbers.format(seconds)}${gap}s` : `${numbers.format(minutes)}${gap}min`;
  };
  return { language, t, number, duration, time: (date) => clock.format(date) };
}

/** The placeholders a message uses, in every plural form: a translation must use the same ones. */
export function placeholdersOf(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [...new Set(texts.flatMap((text) => [...(text ?? '').matchAll(PLACEHOLDER)].map((m) => m[1])))].sort();
}
