/**
 * Markdown read without marked's inline pass where it could hang. marked's block pass is linear,
 * but its inline pass (emphasis, links, images) grows with the square or the cube of a
 * paragraph's delimiters: a lesson with one 200 KB line of `*a ` took minutes to lint. Lessons
 * are parsed from block tokens only (headings, fences, raw text: all kubelab needs), and the app
 * renders inline Markdown only for paragraphs within the bounds below, showing longer or
 * delimiter-heavy ones as plain text.
 */
import { Lexer, type Token } from 'marked';

/** A paragraph longer than this is shown as plain text (measured: 8 KB of prose lexes in ~1 ms). */
export const MAX_INLINE_CHARS = 8000;
/** More link or emphasis openers than this in one paragraph: plain text (64 `![a](` lex in ~15 ms). */
const MAX_LINK_OPENERS = 64;
const MAX_EMPHASIS_MARKS = 256;

/** Block tokens (headings, code, paragraphs with their raw text), without the inline pass. */
export function lexBlocks(markdown: string): Token[] {
  return new Lexer().blockTokens(markdown.replace(/\r\n|\r/g, '\n'), []);
}

/** Whether marked's inline pass is safe to run on this paragraph (bounded time). */
export function inlineIsBounded(text: string): boolean {
  if (text.length > MAX_INLINE_CHARS) return false;
  let openers = 0;
  let emphasis = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 /* [ */ || c === 40 /* ( */ || c === 60 /* < */) openers++;
    else if (c === 42 /* * */ || c === 95 /* _ */ || c === 126 /* ~ */ || c === 96 /* ` */) emphasis++;
  }
  return openers <= MAX_LINK_OPENERS && emphasis <= MAX_EMPHASIS_MARKS;
}

/**
 * Full tokens (blocks and their inline children) for display, with the inline pass skipped for
 * paragraphs past the bounds: those get one plain text token.
 */
export function lexForDisplay(markdown: string): Token[] {
  const lexer = new Lexer();
  const tokens = lexer.blockTokens(markdown.replace(/\r\n|\r/g, '\n'), []);
  // marked keeps the inline work of the block pass in a queue that lex() drains; drained here with a bound.
  const queue = (lexer as unknown as { inlineQueue?: { src: string; tokens: Token[] }[] }).inlineQueue;
  if (!queue) return new Lexer().lex(markdown);
  for (const { src, tokens: into } of queue) {
    if (inlineIsBounded(src)) lexer.inlineTokens(src, into);
    else into.push({ type: 'text', raw: src, text: src, escaped: false } as Token);
  }
  return tokens;
}
