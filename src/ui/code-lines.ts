/**
 * A command line longer than the terminal is wrapped, not cut: a learner copies commands from
 * the screen, and a cut one is a different command. A shell line breaks the way a person would
 * write it by hand — at a space, with the shell's own ` \` continuation — so what is copied from
 * the screen is still one command when pasted (no mark of kubelab's own in it). Other code
 * (YAML, JSON) wraps plainly, as the terminal would.
 */
import type { Span } from './markdown.js';

/** What ends a shell line that goes on below (the shell joins the two). */
export const SHELL_CONTINUATION = ' \\';
/** What starts the lines after a break at a space: indented, so the command reads as one. */
const INDENT = '  ';

interface Char {
  ch: string;
  style?: Span['style'];
  /** Inside '…' the shell keeps a backslash-newline as it is: no break there. */
  quoted: boolean;
}

function characters(spans: Span[]): Char[] {
  const chars: Char[] = [];
  let single = false;
  let double = false;
  for (const span of spans) {
    for (const ch of span.text) {
      const quoted = single;
      if (ch === "'" && !double) single = !single;
      else if (ch === '"' && !single) double = !double;
      chars.push({ ch, style: span.style, quoted: quoted || single });
    }
  }
  return chars;
}

function toSpans(chars: Char[], prefix?: string, suffix?: string): Span[] {
  const line: Span[] = prefix ? [{ text: prefix }] : [];
  for (const { ch, style } of chars) {
    const last = line.at(-1);
    if (last && last.style === style && !(prefix && line.length === 1)) last.text += ch;
    else line.push({ text: ch, style });
  }
  if (suffix) line.push({ text: suffix, style: { dim: true } });
  return line;
}

/**
 * Splits one line of styled spans into lines of at most `width` columns. Shell: breaks after a
 * space outside single quotes (the line ends in ` \`, the next is indented), else inside a word
 * with a bare `\` and no indent (the shell joins them back into the word); inside a long '…' it
 * cannot break, and the line is left long. Counts code points (commands are nearly always ASCII).
 */
export function wrapCodeLine(spans: Span[], width: number, shell = true): Span[][] {
  const chars = characters(spans);
  if (width < 12 || chars.length <= width) return [spans];
  if (!shell) {
    const lines: Span[][] = [];
    for (let start = 0; start < chars.length; start += width) lines.push(toSpans(chars.slice(start, start + width)));
    return lines;
  }
  const lines: Span[][] = [];
  let start = 0;
  let indent = '';
  while (start < chars.length) {
    const room = width - indent.length;
    if (chars.length - start <= room) {
      lines.push(toSpans(chars.slice(start), indent || undefined));
      break;
    }
    // Room for " \" at the end of the line.
    const limit = start + room - SHELL_CONTINUATION.length;
    let space = -1;
    for (let i = limit; i > start + room / 3; i--) if (chars[i].ch === ' ' && !chars[i].quoted) { space = i; break; }
    if (space > start) {
      lines.push(toSpans(chars.slice(start, space), indent || undefined, SHELL_CONTINUATION));
      start = space + 1;
      while (chars[start]?.ch === ' ') start++;
      indent = INDENT;
      continue;
    }
    // No space to break at: inside a word, outside single quotes (and not after a backslash).
    let cut = -1;
    for (let i = start + room - 1; i > start; i--) if (!chars[i].quoted && !chars[i - 1].quoted && chars[i - 1].ch !== '\\') { cut = i; break; }
    if (cut <= start) {
      lines.push(toSpans(chars.slice(start), indent || undefined));
      break;
    }
    lines.push(toSpans(chars.slice(start, cut), indent || undefined, '\\'));
    start = cut;
    indent = '';
  }
  return lines;
}

/**
 * Output text wrapped to a width, nothing cut: between words where there is a space in the second
 * half of the line, else at the width (a long URL or a wide table column). Counts code points.
 */
export function wrapText(text: string, width: number): string[] {
  const chars = [...text];
  if (width < 8 || chars.length <= width) return [text];
  const lines: string[] = [];
  let start = 0;
  while (chars.length - start > width) {
    let end = start + width;
    const space = chars.slice(start, end + 1).lastIndexOf(' ');
    if (space >= width / 2) end = start + space;
    lines.push(chars.slice(start, end).join('').trimEnd());
    start = end;
    while (chars[start] === ' ') start++;
  }
  if (start < chars.length) lines.push(chars.slice(start).join(''));
  return lines;
}

/** The screen rows of one output line: indented two columns under its command, wrapped to `width`. */
export function outputRows(line: { stream: string; text: string }, width: number): string[] {
  const indent = line.stream === 'command' ? '' : '  ';
  return wrapText(line.text || ' ', width - indent.length).map((part) => `${indent}${part}`);
}
