import { describe, expect, it } from 'vitest';
import { CATALOGS, createTranslator, LANGUAGES, placeholdersOf, type Message } from '../../../src/engine/i18n/translate.js';

const keysOf = (catalog: Record<string, Message>) => Object.keys(catalog).sort();

describe('message catalogs', () => {
  it('given every language, when its keys are listed, then each has exactly the keys of every other', () => {
    for (const a of LANGUAGES) {
      for (const b of LANGUAGES) {
        const missing = keysOf(CATALOGS[a]).filter((key) => !(key in CATALOGS[b]));
        expect(missing, `keys in ${a} and not in ${b}`).toEqual([]);
      }
    }
  });

  it('given a key, when its message is read in each language, then both use the same placeholders and neither is empty', () => {
    for (const key of keysOf(CATALOGS.en)) {
      const english = CATALOGS.en[key as keyof typeof CATALOGS.en];
      for (const language of LANGUAGES) {
        const message = CATALOGS[language][key as keyof typeof CATALOGS.en];
        expect(placeholdersOf(message), `${language} ${key}`).toEqual(placeholdersOf(english));
        const texts = typeof message === 'string' ? [message] : Object.values(message);
        expect(texts.every((text) => (text ?? '').trim().length > 0), `${language} ${key} is empty`).toBe(true);
      }
    }
  });

  it('given a plural message, when counts 0, 1 and 3 are asked, then each language picks its own plural form', () => {
    const en = createTranslator('en');
    const fr = createTranslator('fr');
    expect(en.t('recap.hints', { count: 0 })).toBe('0 hints used');
    expect(en.t('recap.hints', { count: 1 })).toBe('1 hint used');
    expect(en.t('recap.hints', { count: 3 })).toBe('3 hints used');
    // French counts 0 as singular: « 0 indice utilisé ».
    expect(fr.t('recap.hints', { count: 0 })).toBe('0 indice utilisé');
    expect(fr.t('recap.hints', { count: 1 })).toBe('1 indice utilisé');
    expect(fr.t('recap.hints', { count: 3 })).toBe('3 indices utilisés');
  });

  it('given numbers, durations and times, when formatted, then each follows its locale', () => {
    const en = createTranslator('en');
    const fr = createTranslator('fr');
    expect(en.duration(2500)).toBe('2.5 s');
    expect(fr.duration(2500)).toBe('2,5\u00a0s');
    expect(fr.duration(65_000)).toBe('1\u00a0min 5\u00a0s');
    expect(en.number(1234.5)).toBe('1,234.5');
    expect(fr.number(1234.5)).toBe('1\u202f234,5');
    const evening = new Date(2026, 11, 3, 21, 5);
    expect(fr.time(evening)).toBe('21:05');
    expect(en.time(evening)).toMatch(/^9:05\s?PM$/);
    expect(fr.t('recap.steps', { count: 12000 })).toBe('étapes réussies\u00a0: 12\u202f000');
  });

  it('given a placeholder with no value, when translated, then the placeholder stays visible rather than vanishing', () => {
    expect(createTranslator('fr').t('notice.skipped')).toBe('Passée\u00a0: {step}');
  });
});
