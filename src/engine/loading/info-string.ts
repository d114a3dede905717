/**
 * A fence's info string: the language, then attributes as `key=value`, `key="quoted value"` or a
 * bare `flag`. Close to eks-workshop-v2's annotations so their content ports.
 *
 * Quoting, close to the shell's: inside "double quotes" `\"` is a quote and `\\` a backslash (any
 * other backslash stays, so "/\d+/" reads as written); inside 'single quotes' nothing is special, so a value
 * holding a double quote can also be written as '"app-secret"'. An unquoted value ends at a space.
 */
/** Fence languages that hold shell commands, in every lesson format: the app draws them as shell. */
export const SHELL_LANGUAGES: ReadonlySet<string> = new Set(['bash', 'sh', 'shell', 'console', 'zsh']);

/** Of those, the ones a kubelab lesson runs: its shell is bash, so a zsh block is shown, never run. */
export const RUN_LANGUAGES: ReadonlySet<string> = new Set([...SHELL_LANGUAGES].filter((language) => language !== 'zsh'));

export interface InfoString {
  language: string;
  attributes: Map<string, string>;
  /** Column (0-based, within the info string) of each attribute, for error positions. */
  offsets: Map<string, number>;
}

export function parseInfoString(info: string): InfoString {
  const attributes = new Map<string, string>();
  const offsets = new Map<string, number>();
  let i = 0;
  const skipSpace = () => {
    while (i < info.length && /\s/.test(info[i])) i++;
  };
  skipSpace();
  const langStart = i;
  while (i < info.length && !/\s/.test(info[i])) i++;
  const language = info.slice(langStart, i).toLowerCase();
  for (;;) {
    skipSpace();
    if (i >= info.length) break;
    const start = i;
    while (i < info.length && !/[\s=]/.test(info[i])) i++;
    const key = info.slice(start, i);
    let value = 'true';
    if (info[i] === '=') {
      i++;
      if (info[i] === '"' || info[i] === "'") {
        const quote = info[i++];
        value = '';
        while (i < info.length && info[i] !== quote) {
          // Only \" and \\ are escapes: a regex's \d or \s stays as written.
          if (quote === '"' && info[i] === '\\' && (info[i + 1] === '"' || info[i + 1] === '\\')) i++;
          value += info[i++];
        }
        i++;
      } else {
        const valueStart = i;
        while (i < info.length && !/\s/.test(info[i])) i++;
        value = info.slice(valueStart, i);
      }
    }
    attributes.set(key, value);
    offsets.set(key, start);
  }
  return { language, attributes, offsets };
}

/**
 * A fenced block's info string as the author wrote it. Markdown's own backslash escapes would turn
 * `\"` into `"` before our quoting rules see it (and end the quoted value there): read the fence line.
 */
export function fenceInfo(token: { raw: string; lang?: string }): string {
  const line = /^ {0,3}(?:`{3,}|~{3,})(.*)$/.exec(token.raw.split('\n', 1)[0]);
  return line ? line[1].trim() : (token.lang ?? '');
}
