/**
 * Partial-object matching for the `resource` and `command` checkers, in the spirit of chainsaw's
 * `assert`: the expected value is a fragment of the object, and every field it names must hold.
 *
 * - a map matches when each of its keys matches (extra keys in the object are ignored);
 * - a list matches when each expected element matches some element of the actual list
 *   (order-free "contains"; extra actual elements are ignored);
 * - a string is equal, unless it is a comparison (`">= 2"`, `"< 100"`, `"!= 0"`) or a pattern
 *   (`"/^nginx:1\\./"`);
 * - a number or boolean is equal (a string and a number compare by their text, since YAML quoting
 *   is easy to get wrong);
 * - `null` means the field must be absent.
 */

import { z } from 'zod';
import { PATTERN, patternProblem, textMatches } from '../src/engine/pattern.js';

export interface Difference {
  /** Dotted path from the object's root, e.g. `data.GREETING` or `spec.containers[0].image`. */
  path: string;
  expected: string;
  /** What is there, already shown as text; undefined when the field is missing. */
  found?: string;
}

export interface MatchOptions {
  /** Fields whose found value must never be printed (Secret data): shown as "(hidden)". */
  hidden?(path: string[]): boolean;
  /** A found value seen through a transform before comparing (Secret data: base64-decoded). */
  transform?(path: string[], value: unknown): unknown;
}

const COMPARISON = /^\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Text of a value for messages: strings quoted, objects as short JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value instanceof Date ? value.toISOString() : value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function pathText(path: string[]): string {
  return path.reduce((text, part) => (part.startsWith('[') ? `${text}${part}` : text ? `${text}.${part}` : part), '');
}

/** Does one scalar expectation hold? Returns what was expected, in words, when it does not. */
export function scalarMismatch(expected: unknown, actual: unknown): string | undefined {
  if (typeof expected === 'string') {
    const comparison = COMPARISON.exec(expected);
    if (comparison) {
      const [, op, number] = comparison;
      const want = Number(number);
      const have = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : Number.NaN;
      const ok = Number.isFinite(have) && { '>=': have >= want, '<=': have <= want, '==': have === want, '!=': have !== want, '>': have > want, '<': have < want }[op];
      return ok ? undefined : `${op} ${number}`;
    }
    const pattern = PATTERN.exec(expected);
    if (pattern) {
      const ok = (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') && new RegExp(pattern[1], pattern[2]).test(String(actual));
      return ok ? undefined : `to match ${expected}`;
    }
    const ok = (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') && String(actual) === expected;
    return ok ? undefined : show(expected);
  }
  if (typeof expected === 'number' || typeof expected === 'boolean') {
    const ok = actual === expected || (typeof actual === 'string' && actual === String(expected));
    return ok ? undefined : show(expected);
  }
  return Object.is(expected, actual) ? undefined : show(expected);
}

/**
 * Every difference between a partial expectation and an actual value. Empty means it matches.
 * For a list whose element no actual element matches, the differences of the closest element are
 * given (with its index), since that is usually the one the author meant.
 */
export function matchPartial(expected: unknown, actual: unknown, options: MatchOptions = {}, path: string[] = []): Difference[] {
  const seen = options.transform ? options.transform(path, actual) : actual;
  const found = (value: unknown) => (value === undefined ? undefined : options.hidden?.(path) ? '(hidden)' : show(value));
  if (expected === null) {
    return seen === undefined || seen === null ? [] : [{ path: pathText(path), expected: 'absent', found: found(seen) }];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(seen)) return [{ path: pathText(path), expected: `a list containing ${show(expected)}`, found: found(seen) }];
    const out: Difference[] = [];
    for (const element of expected) {
      let closest: Difference[] | undefined;
      for (const [index, candidate] of seen.entries()) {
        const diffs = matchPartial(element, candidate, options, [...path, `[${index}]`]);
        if (diffs.length === 0) {
          closest = [];
          break;
        }
        if (!closest || diffs.length < closest.length) closest = diffs;
      }
      if (closest === undefined) out.push({ path: pathText(path), expected: `an element matching ${show(element)}`, found: 'an empty list' });
      else out.push(...closest);
    }
    return out;
  }
  if (expected && typeof expected === 'object') {
    if (!seen || typeof seen !== 'object' || Array.isArray(seen)) {
      return [{ path: pathText(path), expected: `an object with ${Object.keys(expected).join(', ')}`, found: found(seen) }];
    }
    return Object.entries(expected).flatMap(([key, value]) => matchPartial(value, (seen as Record<string, unknown>)[key], options, [...path, key]));
  }
  const mismatch = scalarMismatch(expected, seen);
  return mismatch === undefined ? [] : [{ path: pathText(path), expected: mismatch, found: found(seen) }];
}

/** "data.GREETING is "hello", expected "bonjour"" — one difference in a sentence. */
export function describeDifference(d: Difference): string {
  const expected = d.expected.startsWith('to match') ? d.expected : `expected ${d.expected}`;
  if (d.found === undefined) return `${d.path || 'the value'} is missing, ${expected}`;
  return `${d.path || 'the value'} is ${d.found}, ${expected}`;
}

export function describeDifferences(diffs: Difference[], limit = 3): string {
  const shown = diffs.slice(0, limit).map(describeDifference);
  if (diffs.length > limit) shown.push(`and ${diffs.length - limit} more`);
  return shown.join('; ');
}

/** Substring-or-/regex/ matching and its lint, shared with the engine (expectOutput). */
export { patternProblem, textMatches };

/** A count in a checker's args: a number (exactly), or a comparison such as ">= 2". */
export const countSchema = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\s*(>=|<=|==|!=|>|<)\s*\d+\s*$/, 'a number, or a comparison such as ">= 2"'),
]);

/** A count expectation: a number means exactly, a string may be a comparison (">= 1"). */
export function countMismatch(expected: number | string, count: number): string | undefined {
  return typeof expected === 'number' ? (count === expected ? undefined : `exactly ${expected}`) : scalarMismatch(expected, count);
}
