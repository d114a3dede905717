/**
 * How eks-workshop-v2's own test tool reads a ```bash block, reproduced rule for rule so a page
 * runs in kubelab exactly as it runs in their CI. The rules are written down, with an example
 * each, in docs/eks-workshop-v2.md; test/unit/engine/docusaurus-blocks.test.ts has one test per rule.
 */

export const UPSTREAM_DEFAULT_TIMEOUT_SECONDS = 120;
/** Their test tool's `--hook-timeout` default, used when a block has no `hookTimeout=`. */
export const UPSTREAM_DEFAULT_HOOK_TIMEOUT_SECONDS = 300;

export interface UpstreamBlockMeta {
  /** false for `test=false`: shown, never run. */
  test: boolean;
  timeoutSeconds: number;
  /** A fixed pause after the block (and its after-hook), as upstream does. */
  waitSeconds: number;
  hook?: string;
  /** 0 = the default hook timeout. */
  hookTimeoutSeconds: number;
  expectError: boolean;
  /** The whole block is the command: no `$ ` reading. */
  raw: boolean;
  /** Parameters their tool ignores (with a warning): each with its column in the info string. */
  ignored: { text: string; column: number; why: string }[];
}

const KNOWN_KEYS = ['test', 'timeout', 'wait', 'hook', 'hookTimeout', 'expectError', 'raw'] as const;

/** parseInt as JavaScript does it ("10s" → 10, "x" → NaN), then NaN to a fallback. */
function int(value: string): number {
  return Number.parseInt(value, 10);
}

/**
 * The fence's meta (what follows the language). Upstream splits it on single spaces and takes
 * only `key=value` parts with exactly one `=`; a bare word, or a value holding `=`, is ignored.
 * `test` is false only for the exact value "false"; `expectError` and `raw` are true only for "true".
 */
export function readUpstreamMeta(meta: string): UpstreamBlockMeta {
  const result: UpstreamBlockMeta = {
    test: true,
    timeoutSeconds: UPSTREAM_DEFAULT_TIMEOUT_SECONDS,
    waitSeconds: 0,
    hookTimeoutSeconds: 0,
    expectError: false,
    raw: false,
    ignored: [],
  };
  let column = 0;
  for (const param of meta.split(' ')) {
    const at = column;
    column += param.length + 1;
    if (param === '') continue;
    const parts = param.split('=');
    if (parts.length !== 2) {
      result.ignored.push({ text: param, column: at, why: parts.length === 1 ? 'not key=value' : 'more than one "="' });
      continue;
    }
    const [key, value] = parts;
    switch (key as (typeof KNOWN_KEYS)[number]) {
      case 'wait':
        result.waitSeconds = int(value);
        break;
      case 'timeout':
        result.timeoutSeconds = int(value);
        break;
      case 'test':
        result.test = value !== 'false';
        break;
      case 'expectError':
        result.expectError = value === 'true';
        break;
      case 'raw':
        result.raw = value === 'true';
        break;
      case 'hook':
        result.hook = value;
        break;
      case 'hookTimeout':
        result.hookTimeoutSeconds = int(value);
        break;
      default:
        result.ignored.push({ text: param, column: at, why: `unknown key (known: ${KNOWN_KEYS.join(', ')})` });
    }
  }
  return result;
}

export interface ExtractedCommand {
  /** What runs; empty when the block has no command (upstream then does not run it at all). */
  command: string;
  /**
   * 0-based line numbers (within the block) of `$ ` lines upstream never reads because an
   * earlier blank line ended the reading: shown to the learner as not run, never silently.
   */
  unreadCommandLines: number[];
}

/**
 * The commands of a block, as upstream's test tool extracts them:
 * - a line starting with `$` starts a command; its first two characters (`$ `) are dropped;
 * - a command goes on while its line ends with `\` (continuation) or while a heredoc opened by
 *   `<<EOF` is open; the heredoc closes at the first later line containing `EOF`;
 * - every other line is sample output;
 * - the FIRST EMPTY LINE ENDS THE BLOCK: nothing after it is read, `$ ` lines included (an empty
 *   line inside a heredoc body ends it too);
 * - with `raw=true` the whole block is the command, blank lines and all.
 */
export function extractUpstreamCommand(text: string, raw: boolean): ExtractedCommand {
  if (raw) return { command: text, unreadCommandLines: [] };
  const lines = text.split('\n');
  const parts: string[] = [];
  let inCommand = false;
  let inHeredoc = false;
  let index = 0;
  for (; index < lines.length; index++) {
    let line = lines[index];
    if (!line) break;
    if (line.startsWith('$')) {
      inCommand = true;
      line = line.slice(2);
    }
    if (inCommand) {
      if (line.includes('<<EOF')) inHeredoc = true;
      else if (inHeredoc && line.includes('EOF')) inHeredoc = false;
      parts.push(line);
    }
    if (!line.endsWith('\\') && !inHeredoc) inCommand = false;
  }
  const unreadCommandLines: number[] = [];
  for (let i = index + 1; i < lines.length; i++) if (lines[i].startsWith('$ ')) unreadCommandLines.push(i);
  return { command: parts.join('\n'), unreadCommandLines };
}
