/**
 * The learner's language as the app sees it: the reducer and the controller build their texts with
 * `textFor(state)`, components read the translator from the context App provides.
 */
import { createContext, useContext } from 'react';
import { createTranslator, type Language, type Translator } from '../engine/i18n/translate.js';

/** A translator per language, made once per call site that needs one: Intl objects are not free. */
export const translatorFor = (language: Language | undefined): Translator => createTranslator(language ?? 'en');

export const TranslatorContext = createContext<Translator>(translatorFor('en'));

/** The translator of the language the learner reads, for components. */
export const useTranslator = (): Translator => useContext(TranslatorContext);
