/**
 * A command line longer than the terminal is wrapped, not cut: a learner copies commands from
 * the screen, and a cut one is a different command. Continuation lines start with a mark so a
 * wrapped line is not read as two commands.
 */
import type { Span } from './markdown.js';

/** What starts each continuation line (dim), two columns wide. */
export const CONTINUATION = '↪ ';

/**
 * Splits one line of styled spans into lines of at most `width` columns: the first as is, each
 * further one after CONTINUATION. Breaks after a space when there is one in the second half of
 * the line, else mid-word. Counts code points (commands are nearly always ASCII).
 */
export function wrapCodeLine(spans: Span[], width: number): Span[][] {
  const chars = spans.flatMap((span) => [...span.text].map((ch) => ({ ch, style: span.style })));
  if (width < 8 || chars.length <= width) return [spans];
  const lines: Span[][] = [];
  let start = 0;
  while (start < chars.length) {
    const room = lines.length === 0 ? width : width - CONTINUATION.length;
    let end = Math.min(chars.length, start + room);
    if (end < chars.length) {
      const space = chars.slice(start, end).map((c) => c.ch).lastIndexOf(' ');
      if (space >= room / 2) end = start + space + 1;
    }
    const line: Span[] = lines.length ? [{ text: CONTINUATION, style: { dim: true } }] : [];
    for (const { ch, style } of chars.slice(start, end)) {
      const last = line.at(-1);
      if (last && last.style === style && last.text !== CONTINUATION) last.text += ch;
      else line.push({ text: ch, style });
    }
    lines.push(line);
    start = end;
  }
  return lines;
}
