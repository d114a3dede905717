/**
 * A block's top-level commands, as a reader sees them: `kubectl get nodes`, `kubectl get
 * namespaces`, `kubectl cluster-info` are three, a pipeline or an `if … fi` spread over lines is
 * one, and so is a heredoc with its body. Good enough for what it is used for — saying which
 * command the output that follows belongs to — and never used to decide what runs.
 */
const OPENERS = new Set(['if', 'for', 'while', 'until', 'case', 'select']);
const CLOSERS = new Set(['fi', 'done', 'esac']);

interface ScanState {
  quote?: "'" | '"' | '`';
  heredocs: { word: string; strip: boolean }[];
  depth: number;
}

/** Reads one line, updating quotes, nesting and pending heredocs; returns whether it continues. */
function scanLine(line: string, state: ScanState): boolean {
  let word = '';
  const endWord = () => {
    if (OPENERS.has(word)) state.depth++;
    else if (CLOSERS.has(word)) state.depth = Math.max(0, state.depth - 1);
    word = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (state.quote) {
      if (c === '\\' && state.quote !== "'") i++;
      else if (c === state.quote) state.quote = undefined;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      state.quote = c;
      word = '';
      continue;
    }
    if (c === '#' && (i === 0 || /\s|;/.test(line[i - 1]))) break;
    const heredoc = c === '<' ? /^<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line.slice(i)) : null;
    if (heredoc) {
      state.heredocs.push({ word: heredoc[3], strip: heredoc[1] === '-' });
      i += heredoc[0].length - 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      word += c;
      continue;
    }
    endWord();
    if (c === '(' || c === '{') state.depth++;
    else if (c === ')' || c === '}') state.depth = Math.max(0, state.depth - 1);
  }
  endWord();
  const trimmed = line.replace(/\s+#.*$/, '').trimEnd();
  return Boolean(state.quote) || state.heredocs.length > 0 || state.depth > 0 || /(\\|\||&&|\|\|)$/.test(trimmed);
}

export function topLevelCommands(code: string): string[] {
  const commands: string[] = [];
  const state: ScanState = { heredocs: [], depth: 0 };
  let current: string[] = [];
  let inHeredoc: { word: string; strip: boolean } | undefined;
  for (const line of code.split('\n')) {
    if (inHeredoc) {
      current.push(line);
      if ((inHeredoc.strip ? line.replace(/^\t+/, '') : line) === inHeredoc.word) inHeredoc = state.heredocs.shift();
      if (!inHeredoc && state.depth === 0 && !state.quote) {
        commands.push(current.join('\n'));
        current = [];
      }
      continue;
    }
    if (current.length === 0 && (!line.trim() || line.trim().startsWith('#'))) continue;
    current.push(line);
    const continues = scanLine(line, state);
    if (state.heredocs.length) {
      inHeredoc = state.heredocs.shift();
      continue;
    }
    if (!continues) {
      commands.push(current.join('\n'));
      current = [];
    }
  }
  if (current.length) commands.push(current.join('\n'));
  return commands.map((c) => c.trim()).filter(Boolean);
}
