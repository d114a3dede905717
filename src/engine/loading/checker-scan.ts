/**
 * What a checker module declares, read from its code without running it: `kubelab lint` is what a
 * careful person runs on a workshop they do not trust yet, so it must not execute the workshop's
 * code. This reads the JavaScript esbuild produced from the module (types stripped, one quoting
 * style) and finds the object literals that look like checkers: an `id` written as a string, and a
 * `run` or `args`. Their argument schemas are code, so they are checked when the lesson runs, not here.
 */

export interface DeclaredChecker {
  /** The variable the checker is assigned to (its export name, in practice), when there is one. */
  name?: string;
  id: string;
  /** Has `run` (a method, a property or a shorthand). */
  hasRun: boolean;
  /** How `args` starts: an object or array literal, a string or number, is not a zod schema. */
  argsLiteral: boolean;
}

interface OpenObject {
  start: number;
  keys: Map<string, number>;
  /** The character after `args:` (its value's first one). */
  argsFirst?: string;
  idValue?: string;
}

const IDENT = /[A-Za-z0-9_$]/;
/** After these, a `/` starts a regular expression, not a division. */
const REGEX_BEFORE = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/** The end (exclusive) of a string or template literal starting at `i`. */
function skipQuoted(code: string, i: number): number {
  const quote = code[i];
  let j = i + 1;
  while (j < code.length && code[j] !== quote) {
    if (code[j] === '\\') j++;
    else if (quote === '`' && code[j] === '$' && code[j + 1] === '{') {
      // A template's ${…} may hold braces and strings of its own.
      let depth = 1;
      j += 2;
      while (j < code.length && depth > 0) {
        if (code[j] === '{') depth++;
        else if (code[j] === '}') depth--;
        else if (code[j] === '"' || code[j] === "'" || code[j] === '`') j = skipQuoted(code, j) - 1;
        j++;
      }
      continue;
    }
    j++;
  }
  return j + 1;
}

function skipRegex(code: string, i: number): number {
  let j = i + 1;
  let inClass = false;
  while (j < code.length && code[j] !== '\n') {
    if (code[j] === '\\') j++;
    else if (code[j] === '[') inClass = true;
    else if (code[j] === ']') inClass = false;
    else if (code[j] === '/' && !inClass) break;
    j++;
  }
  j++;
  while (j < code.length && IDENT.test(code[j])) j++;
  return j;
}

const nextSignificant = (code: string, i: number): number => {
  let j = i;
  while (j < code.length && /\s/.test(code[j])) j++;
  return j;
};

/** The checkers a module's code declares, in order. */
export function declaredCheckers(code: string): DeclaredChecker[] {
  const found: DeclaredChecker[] = [];
  const stack: (OpenObject | '(' | '[')[] = [];
  let previous = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && code[i + 1] === '/') {
      i = code.indexOf('\n', i) < 0 ? code.length : code.indexOf('\n', i);
      continue;
    }
    if (c === '/' && code[i + 1] === '*') {
      i = code.indexOf('*/', i + 2) < 0 ? code.length : code.indexOf('*/', i + 2) + 2;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '"' || c === "'" || c === '`') {
      const end = skipQuoted(code, i);
      // A string key, or the string value of `id:`.
      if (typeof top === 'object' && (previous === '{' || previous === ',') && code[nextSignificant(code, end)] === ':') top.keys.set(code.slice(i + 1, end - 1), i);
      else if (typeof top === 'object' && previous === 'id:' && c !== '`') top.idValue = code.slice(i + 1, end - 1);
      previous = 'string';
      i = end;
      continue;
    }
    if (c === '/' && REGEX_BEFORE.has(previous.slice(-1))) {
      i = skipRegex(code, i);
      previous = 'regex';
      continue;
    }
    if (IDENT.test(c)) {
      let j = i;
      while (j < code.length && IDENT.test(code[j])) j++;
      const word = code.slice(i, j);
      const after = code[nextSignificant(code, j)];
      if (typeof top === 'object' && (previous === '{' || previous === ',' || previous === 'modifier')) {
        if (['async', 'get', 'set', 'static'].includes(word) && after !== ':' && after !== '(' && after !== ',' && after !== '}') {
          previous = 'modifier';
          i = j;
          continue;
        }
        if (after === ':' || after === '(' || after === ',' || after === '}') top.keys.set(word, i);
        if (word === 'id' && after === ':') {
          previous = 'id:';
          i = nextSignificant(code, j) + 1;
          continue;
        }
        if (word === 'args' && after === ':') top.argsFirst = code[nextSignificant(code, nextSignificant(code, j) + 1)];
      }
      previous = word;
      i = j;
      continue;
    }
    if (c === '{') stack.push({ start: i, keys: new Map() });
    else if (c === '(' || c === '[') stack.push(c);
    else if (c === '}' || c === ')' || c === ']') {
      const closed = stack.pop();
      if (typeof closed === 'object' && c === '}' && closed.idValue !== undefined && (closed.keys.has('run') || closed.keys.has('args'))) {
        const before = code.slice(Math.max(0, closed.start - 200), closed.start);
        const name = /(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:[\w$.]*defineChecker\s*\(\s*)?$/.exec(before)?.[1];
        const first = closed.argsFirst ?? '';
        found.push({ name, id: closed.idValue, hasRun: closed.keys.has('run'), argsLiteral: /^[{["'`0-9]$/.test(first) });
      }
    }
    previous = c;
    i++;
  }
  return found;
}
