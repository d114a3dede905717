/**
 * Learners' names as the instructor tells them apart. A name is shown after NFKC (full-width and
 * styled letters become plain ones) with invisible format characters removed (zero-width spaces
 * and joiners, soft hyphens, byte-order marks), so "Ada\u200b" shows as "Ada". Two names are the
 * same person-looking name when their skeletons match: Cyrillic and Greek letters that look like
 * Latin ones count as those, so a Cyrillic "Аda" is numbered after "Ada" instead of passing for her.
 */
import { safeText } from './safe-text.js';

/** Unicode format characters (category Cf): invisible, and used to make two names look alike. */
const FORMAT = /\p{Cf}/gu;

/** Cyrillic and Greek letters drawn like Latin ones (the common look-alikes of Unicode's confusables). */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ү: 'y',
  α: 'a', β: 'b', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
};

/** The name as shown: NFKC, no format characters, then the usual cleaning and cut. */
export function displayName(name: string, max: number): string {
  return safeText(name.normalize('NFKC').replace(FORMAT, ''), max);
}

/** What two names are compared by: shown form, case and spacing ignored, look-alike letters folded to Latin. */
export function nameSkeleton(name: string, max: number): string {
  return [...displayName(name, max).toLocaleLowerCase().replace(/\s+/g, ' ')].map((c) => LOOK_ALIKES[c] ?? c).join('');
}

