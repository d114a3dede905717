/**
 * Enough of the shell's grammar to read a command block the way bash will run it: words with
 * their quotes removed, commands split at `;` `&&` `||` `|` `&` and newlines, subshells `( … )`,
 * comments, backslash continuations, redirections and heredoc bodies left out. Lint's path rule
 * uses it to know which word is the command (`sudo`, `time`, `env` and `NAME=value` prefixes are
 * looked through) and on which line each command starts.
 */

export interface ShellWord {
  /** The word with quotes and escapes removed. */
  text: string;
  /** Holds `$…`, `$(…)` or backquotes: its value is only known when it runs. */
  expands: boolean;
}

export type ShellItem =
  | { kind: 'command'; words: ShellWord[]; /** 0-based line of the block where it starts. */ line: number }
  | { kind: 'subshell-start'; line: number }
  | { kind: 'subshell-end'; line: number };

const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '\n']);
const BLANK = new Set([' ', '\t', '\r']);

/** Splits a block into commands (see the module comment). Never throws: unbalanced quotes end at the end. */
export function shellCommands(code: string): ShellItem[] {
  const items: ShellItem[] = [];
  let words: ShellWord[] = [];
  let commandLine = 0;
  let line = 0;
  let i = 0;
  /** Heredoc delimiters opened on the current line: their bodies start at the next newline. */
  const heredocs: { delimiter: string; stripTabs: boolean }[] = [];
  /** The next word is a redirection's target, not an argument. */
  let redirectTarget = false;

  const endCommand = () => {
    if (words.length) items.push({ kind: 'command', words, line: commandLine });
    words = [];
  };
  const skipHeredocBodies = () => {
    for (const { delimiter, stripTabs } of heredocs.splice(0)) {
      for (;;) {
        const end = code.indexOf('\n', i);
        const bodyLine = code.slice(i, end < 0 ? code.length : end);
        i = end < 0 ? code.length : end + 1;
        line++;
        if ((stripTabs ? bodyLine.replace(/^\t+/, '') : bodyLine) === delimiter || end < 0) break;
      }
    }
  };

  while (i < code.length) {
    const c = code[i];
    if (BLANK.has(c)) {
      i++;
      continue;
    }
    if (c === '\\' && code[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < code.length && code[i] !== '\n') i++;
      continue;
    }
    if (OPERATOR_CHARS.has(c)) {
      endCommand();
      if (c === '(') items.push({ kind: 'subshell-start', line });
      if (c === ')') items.push({ kind: 'subshell-end', line });
      i++;
      if (c === '\n') {
        line++;
        skipHeredocBodies();
      }
      continue;
    }
    // A redirection: [n]> >> < <& >& &> <<< and heredocs <<DELIM / <<-DELIM.
    const redirection = /^(?:\d*)(<<-?|<<<|&>>?|[<>]&?|>>|>\||<>)/.exec(code.slice(i, i + 6));
    if (redirection && (words.length === 0 || /^\d*$/.test(code.slice(i, i + redirection[0].length - redirection[1].length)))) {
      i += redirection[0].length;
      const op = redirection[1];
      if (op === '<<' || op === '<<-') {
        while (BLANK.has(code[i])) i++;
        const { word, end } = readWord(code, i);
        heredocs.push({ delimiter: word.text, stripTabs: op === '<<-' });
        i = end;
      } else if (/&$/.test(op) && /^[\d-]/.test(code[i] ?? '')) {
        while (/[\d-]/.test(code[i] ?? '')) i++; // 2>&1, >&-
      } else {
        redirectTarget = true;
      }
      continue;
    }
    const { word, end, lines } = readWord(code, i);
    if (words.length === 0 && !redirectTarget) commandLine = line;
    line += lines;
    i = end;
    if (redirectTarget) redirectTarget = false;
    else words.push(word);
  }
  endCommand();
  return items;
}

/** One word from `start`: quotes, escapes and `$( … )` kept together. */
function readWord(code: string, start: number): { word: ShellWord; end: number; lines: number } {
  let text = '';
  let expands = false;
  let lines = 0;
  let i = start;
  while (i < code.length) {
    const c = code[i];
    if (BLANK.has(c) || OPERATOR_CHARS.has(c) || ((c === '<' || c === '>') && text !== '')) break;
    if (c === '\\') {
      if (code[i + 1] === '\n') lines++;
      else text += code[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = code.indexOf("'", i + 1);
      const stop = end < 0 ? code.length : end;
      text += code.slice(i + 1, stop);
      lines += countNewlines(code, i, stop);
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < code.length && code[i] !== '"') {
        if (code[i] === '\\' && '"\\$`\n'.includes(code[i + 1] ?? '')) {
          if (code[i + 1] === '\n') lines++;
          else text += code[i + 1];
          i += 2;
        } else if (code[i] === '$' || code[i] === '`') {
          expands = true;
          const end = skipExpansion(code, i);
          text += code.slice(i, end);
          lines += countNewlines(code, i, end);
          i = end;
        } else {
          if (code[i] === '\n') lines++;
          text += code[i++];
        }
      }
      i++;
      continue;
    }
    if (c === '$' || c === '`') {
      expands = true;
      const end = skipExpansion(code, i);
      text += code.slice(i, end);
      lines += countNewlines(code, i, end);
      i = end;
      continue;
    }
    text += c;
    i++;
  }
  return { word: { text, expands }, end: i, lines };
}

function countNewlines(code: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (code[i] === '\n') n++;
  return n;
}

/** The end of `$VAR`, `${…}`, `$(…)`, `$((…))` or a backquoted command starting at `start`. */
function skipExpansion(code: string, start: number): number {
  if (code[start] === '`') {
    let i = start + 1;
    while (i < code.length && code[i] !== '`') i += code[i] === '\\' ? 2 : 1;
    return i + 1;
  }
  const next = code[start + 1];
  if (next === '(' || next === '{') {
    const close = next === '(' ? ')' : '}';
    let depth = 0;
    let i = start + 1;
    while (i < code.length) {
      const c = code[i];
      if (c === "'" && next === '(') {
        const end = code.indexOf("'", i + 1);
        i = end < 0 ? code.length : end + 1;
        continue;
      }
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === next) depth++;
      else if (c === close && --depth === 0) return i + 1;
      i++;
    }
    return code.length;
  }
  let i = start + 1;
  if (/[@*#?$!0-9-]/.test(next ?? '')) return i + 1;
  while (i < code.length && /[A-Za-z0-9_]/.test(code[i])) i++;
  return i;
}

/** Options of `sudo` that take a value (`sudo -u admin kubectl …`). */
const SUDO_VALUE_OPTIONS = new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '--user', '--group', '--host', '--prompt', '--chdir']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The command a simple command really runs, after what only prefixes it: `NAME=value`, `sudo
 * [-u USER]`, `env [-i] [NAME=value]`, `time [-p]`, `command`, `exec`, `nohup`, `nice [-n N]`,
 * `timeout [options] DURATION`, and `!`.
 */
export function commandWords(words: readonly ShellWord[]): ShellWord[] {
  let i = 0;
  for (;;) {
    const word = words[i]?.text;
    if (word === undefined) return [];
    if (ASSIGNMENT.test(word) || word === '!' || word === '{' || word === 'command' || word === 'exec' || word === 'nohup' || word === 'then' || word === 'do' || word === 'else') {
      i++;
    } else if (word === 'sudo' || word === 'env' || word === 'time' || word === 'nice') {
      i++;
      while (words[i] && (words[i].text.startsWith('-') || (word === 'env' && ASSIGNMENT.test(words[i].text)))) {
        const option = words[i].text;
        i++;
        if ((word === 'sudo' && SUDO_VALUE_OPTIONS.has(option)) || (word === 'nice' && option === '-n') || (word === 'env' && (option === '-u' || option === '-C'))) i++;
        if (option === '--') break;
      }
    } else if (word === 'timeout') {
      i++;
      while (words[i]?.text.startsWith('-')) i += /^(-s|-k|--signal|--kill-after)$/.test(words[i].text) ? 2 : 1;
      i++; // The duration.
    } else {
      return words.slice(i);
    }
  }
}
