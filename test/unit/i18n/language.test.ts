import { describe, expect, it } from 'vitest';
import { chooseLanguage, languageOfLocale, localeFromEnv, nextLanguage } from '../../../src/engine/i18n/language.js';

describe('the learner’s language', () => {
  it('given --lang, when chosen, then it wins over what was remembered and over the locale', () => {
    expect(chooseLanguage({ flag: 'en', remembered: 'fr', env: { LANG: 'fr_FR.UTF-8' } })).toEqual({ language: 'en', source: 'flag' });
  });

  it('given no flag and a language switched to in the app, when chosen, then the remembered one wins over the locale', () => {
    expect(chooseLanguage({ remembered: 'en', env: { LANG: 'fr_FR.UTF-8' } })).toEqual({ language: 'en', source: 'progress' });
  });

  it('given only the locale, when chosen, then LC_ALL beats LC_MESSAGES which beats LANG', () => {
    expect(chooseLanguage({ env: { LC_ALL: 'fr_FR.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LANG: 'en_US' } }).language).toBe('fr');
    expect(chooseLanguage({ env: { LC_MESSAGES: 'fr_CA.UTF-8', LANG: 'en_US' } }).language).toBe('fr');
    expect(chooseLanguage({ env: { LANG: 'fr_BE.UTF-8' } })).toEqual({ language: 'fr', source: 'locale' });
    // The first variable set decides, as in the C library: LC_ALL=C means no French.
    expect(chooseLanguage({ env: { LC_ALL: 'C', LANG: 'fr_FR.UTF-8' } }).language).toBe('en');
    expect(chooseLanguage({ env: { LC_ALL: '', LANG: 'fr_FR.UTF-8' } }).language).toBe('fr');
  });

  it('given nothing, or a language kubelab does not speak, when chosen, then English', () => {
    expect(chooseLanguage({ env: {} })).toEqual({ language: 'en', source: 'default' });
    expect(chooseLanguage({ flag: 'de', env: { LANG: 'de_DE.UTF-8' } })).toEqual({ language: 'en', source: 'default' });
  });

  it('given locale strings, when read, then only the language part counts', () => {
    expect(languageOfLocale('fr')).toBe('fr');
    expect(languageOfLocale('fr-FR')).toBe('fr');
    expect(languageOfLocale('fr_FR.UTF-8@euro')).toBe('fr');
    expect(languageOfLocale('POSIX')).toBeUndefined();
    expect(localeFromEnv({ LC_MESSAGES: 'fr_FR' })).toBe('fr_FR');
  });

  it('given a language, when the switch key is pressed, then it goes to the other one and back', () => {
    expect(nextLanguage('en')).toBe('fr');
    expect(nextLanguage('fr')).toBe('en');
  });
});
