/**
 * A step's Markdown turned into blocks of styled spans for the terminal, with marked's lexer.
 * Pure data: the Markdown component only draws what this returns, and tests read it directly.
 */
import type { Token, Tokens } from 'marked';
import { lexForDisplay } from '../engine/loading/markdown-lex.js';
import type { CalloutTone, RenderSegment } from '../engine/plan.js';
import { SHELL_LANGUAGES } from '../engine/loading/info-string.js';

export type Tone = 'cyan' | 'green' | 'yellow' | 'magenta' | 'blue' | 'red' | 'gray';

export interface SpanStyle {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  dim?: boolean;
  color?: Tone;
}

export interface Span {
  text: string;
  style?: SpanStyle;
}

export type MdBlock =
  | { kind: 'heading'; depth: number; spans: Span[] }
  | { kind: 'paragraph'; spans: Span[]; indent: number; bullet?: string }
  | { kind: 'code'; language: string; lines: Span[][]; indent: number }
  | { kind: 'hidden-commands'; count: number; indent: number }
  | { kind: 'table'; header: string[]; rows: string[][]; align: ('left' | 'right' | 'center' | null)[]; lines: Span[][]; indent: number }
  | { kind: 'quote'; spans: Span[]; indent: number }
  | { kind: 'rule' };

export interface RenderOptions {
  /** Challenge steps: the commands stay hidden until the learner asks for the solution. */
  hideCommands?: boolean;
  /** Whether the step's block `index` is part of the lesson here (the plan says; another provider's is left out). */
  shown?(blockIndex: number): boolean;
}

// One list for every reader of fences (engine/loading/info-string.ts); components read it from here.
export { SHELL_LANGUAGES };
const SHELL = SHELL_LANGUAGES;

function inline(tokens: Token[] | undefined, style: SpanStyle = {}): Span[] {
  const spans: Span[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
        spans.push(...inline((token as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        spans.push(...inline((token as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case 'del':
        spans.push(...inline((token as Tokens.Del).tokens, { ...style, strikethrough: true }));
        break;
      case 'codespan':
        spans.push({ text: decode((token as Tokens.Codespan).text), style: { ...style, color: 'cyan' } });
        break;
      case 'link': {
        const link = token as Tokens.Link;
        const label = inline(link.tokens, { ...style, underline: true, color: 'blue' });
        spans.push(...label);
        const labelText = label.map((s) => s.text).join('');
        if (labelText !== link.href && !link.href.startsWith('#')) spans.push({ text: ` (${link.href})`, style: { ...style, dim: true } });
        break;
      }
      case 'br':
        spans.push({ text: '\n', style });
        break;
      case 'text': {
        const text = token as Tokens.Text;
        // A single newline in Markdown prose is a soft break: the terminal wraps, not the source.
        if (text.tokens?.length) spans.push(...inline(text.tokens, style));
        else spans.push({ text: decode(text.text).replace(/\n/g, ' '), style });
        break;
      }
      case 'escape':
        spans.push({ text: decode((token as Tokens.Escape).text), style });
        break;
      case 'html':
        break;
      default:
        if ('text' in token && typeof token.text === 'string') spans.push({ text: decode(token.text), style });
    }
  }
  return merge(spans);
}

function decode(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

/** Adjacent spans with the same style become one, so the component draws fewer Text nodes. */
function merge(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && JSON.stringify(last.style ?? {}) === JSON.stringify(span.style ?? {})) last.text += span.text;
    else out.push({ ...span });
  }
  return out;
}

/** Simple, predictable colouring: prompts and comments dim, flags yellow, strings green, variables magenta. */
export function highlightLine(line: string, language: string): Span[] {
  if (SHELL.has(language)) return highlightShell(line);
  if (language === 'yaml' || language === 'yml') return highlightYaml(line);
  if (language === 'json') return highlightPattern(line, [[/"(?:[^"\\]|\\.)*"(?=\s*:)/y, 'cyan'], [/"(?:[^"\\]|\\.)*"/y, 'green'], [/-?\d+(?:\.\d+)?/y, 'magenta']]);
  return [{ text: line }];
}

function highlightPattern(line: string, rules: [RegExp, Tone | 'dim'][]): Span[] {
  const spans: Span[] = [];
  let plain = '';
  let i = 0;
  outer: while (i < line.length) {
    for (const [pattern, tone] of rules) {
      pattern.lastIndex = i;
      const m = pattern.exec(line);
      if (m && m[0].length > 0) {
        if (plain) spans.push({ text: plain });
        plain = '';
        spans.push({ text: m[0], style: tone === 'dim' ? { dim: true } : { color: tone } });
        i += m[0].length;
        continue outer;
      }
    }
    plain += line[i++];
  }
  if (plain) spans.push({ text: plain });
  return spans;
}

function highlightShell(line: string): Span[] {
  const prompt = /^(\s*)\$ /.exec(line);
  const head: Span[] = prompt ? [{ text: prompt[0], style: { dim: true } }] : [];
  const rest = prompt ? line.slice(prompt[0].length) : line;
  return [
    ...head,
    ...highlightPattern(rest, [
      [/(?<=^|\s)#.*/y, 'dim'],
      [/'[^']*'?|"(?:[^"\\]|\\.)*"?/y, 'green'],
      [/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/y, 'magenta'],
      [/(?<=^|\s)--?[A-Za-z][\w-]*/y, 'yellow'],
    ]),
  ];
}

function highlightYaml(line: string): Span[] {
  const comment = /^(\s*)#.*/.exec(line);
  if (comment) return [{ text: line, style: { dim: true } }];
  const key = /^(\s*(?:- )?)([\w.\-/"']+)(:)(\s|$)/.exec(line);
  if (!key) return highlightPattern(line, [[/(?<=^\s*)- /y, 'gray'], [/'[^']*'|"[^"]*"/y, 'green']]);
  const [whole, lead, name, colon] = key;
  const value = line.slice(whole.length - (key[4] ? key[4].length : 0));
  return [
    ...(lead ? [{ text: lead }] : []),
    { text: name, style: { color: 'cyan' as Tone } },
    { text: colon },
    ...highlightPattern(value, [[/\s#.*/y, 'dim'], [/'[^']*'|"[^"]*"/y, 'green'], [/(?<=^\s*)-?\d+(\.\d+)?\s*$/y, 'magenta']]),
  ];
}

/** Words of a cell across lines of at most `width` characters; a longer word is cut. */
function wrapCell(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (line) lines.push(line);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      line = '';
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Column widths that fit `maxWidth` (separators included): the widest column gives way first,
 * down to a floor, so a long description wraps instead of pushing the last column off the screen.
 */
function fitWidths(widths: number[], maxWidth: number): number[] {
  const fitted = [...widths];
  const total = () => fitted.reduce((a, b) => a + b, 0) + 3 * (fitted.length - 1);
  const floor = 8;
  while (total() > maxWidth) {
    const widest = fitted.indexOf(Math.max(...fitted));
    if (fitted[widest] <= floor) break;
    fitted[widest] -= Math.min(fitted[widest] - floor, total() - maxWidth);
  }
  return fitted;
}

/**
 * A table as fixed-width lines: header, rule, rows; every cell padded to its column. Given a
 * width, cells wrap within their column so the whole table stays on screen (nothing is cut off).
 */
export function tableLines(header: string[], rows: string[][], align: ('left' | 'right' | 'center' | null)[] = [], maxWidth = Infinity): Span[][] {
  const natural = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const widths = fitWidths(natural, maxWidth);
  const pad = (text: string, i: number) => (align[i] === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const row = (cells: string[], style?: SpanStyle): Span[][] => {
    const wrapped = cells.map((cell, i) => wrapCell(cell, widths[i]));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, line) => {
      const spans: Span[] = [];
      wrapped.forEach((cellLines, i) => {
        if (i > 0) spans.push({ text: ' │ ', style: { dim: true } });
        spans.push({ text: pad(cellLines[line] ?? '', i), style });
      });
      return spans;
    });
  };
  return [
    ...row(header, { bold: true }),
    [{ text: widths.map((w) => '─'.repeat(w)).join('─┼─'), style: { dim: true } }],
    ...rows.flatMap((r) => row(header.map((_, i) => r[i] ?? ''))),
  ];
}

const plainText = (spans: Span[]) => spans.map((s) => s.text).join('');

function blocks(tokens: Token[], indent: number, out: MdBlock[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const heading = token as Tokens.Heading;
        out.push({ kind: 'heading', depth: heading.depth, spans: inline(heading.tokens) });
        break;
      }
      case 'paragraph':
        out.push({ kind: 'paragraph', spans: inline((token as Tokens.Paragraph).tokens), indent });
        break;
      case 'text': {
        const text = token as Tokens.Text;
        out.push({ kind: 'paragraph', spans: text.tokens ? inline(text.tokens) : [{ text: decode(text.text) }], indent });
        break;
      }
      case 'code': {
        // Code in prose (a list item's example): shown as written; command blocks are segments of their own.
        const code = token as Tokens.Code;
        const language = (code.lang ?? '').trim().split(/\s+/)[0] ?? '';
        out.push({ kind: 'code', language, lines: code.text.split('\n').map((l) => highlightLine(l, language)), indent });
        break;
      }
      case 'list': {
        const list = token as Tokens.List;
        list.items.forEach((item, i) => {
          const bullet = list.ordered ? `${Number(list.start || 1) + i}. ` : item.task ? (item.checked ? '☑ ' : '☐ ') : '• ';
          const inner: MdBlock[] = [];
          blocks(item.tokens, indent + bullet.length, inner);
          const first = inner[0];
          if (first?.kind === 'paragraph') {
            out.push({ ...first, indent, bullet });
            out.push(...inner.slice(1));
          } else {
            out.push({ kind: 'paragraph', spans: [], indent, bullet }, ...inner);
          }
        });
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        const header = table.header.map((c) => plainText(inline(c.tokens)));
        const rows = table.rows.map((r) => r.map((c) => plainText(inline(c.tokens))));
        out.push({ kind: 'table', header, rows, align: table.align, lines: tableLines(header, rows, table.align), indent });
        break;
      }
      case 'blockquote': {
        const quote = token as Tokens.Blockquote;
        const inner: MdBlock[] = [];
        blocks(quote.tokens, 0, inner);
        const spans = inner.flatMap((b, i) => ('spans' in b ? [...(i > 0 ? [{ text: '\n' }] : []), ...b.spans] : []));
        out.push({ kind: 'quote', spans: spans.map((s) => ({ ...s, style: { ...s.style, italic: true } })), indent });
        break;
      }
      case 'hr':
        out.push({ kind: 'rule' });
        break;
      case 'html':
        htmlBlock((token as Tokens.HTML).raw, indent, out);
        break;
      default:
        // Never drop what the page says: anything unrecognised is shown as its text.
        if ('raw' in token && typeof token.raw === 'string' && token.raw.trim()) out.push({ kind: 'paragraph', spans: [{ text: token.raw.trim() }], indent });
        break;
    }
  }
}

const CALLOUT_TONES: Record<CalloutTone, Tone> = { note: 'gray', tip: 'green', info: 'blue', warning: 'yellow', danger: 'red', important: 'magenta' };

/** HTML blocks: `<details>` shows its summary, structural tags nothing; any other tag is shown as text. */
function htmlBlock(raw: string, indent: number, out: MdBlock[]): void {
  let rest = raw.trim();
  while (rest) {
    const tag = /^<\/?([A-Za-z][\w.-]*)[^>]*>/.exec(rest);
    if (!tag) {
      const text = rest.split(/(?=<\/?[A-Za-z])/)[0];
      if (text.trim()) out.push({ kind: 'paragraph', spans: [{ text: decode(text.trim()) }], indent });
      rest = rest.slice(text.length).trim();
      continue;
    }
    const [whole, name] = tag;
    const closing = whole.startsWith('</');
    if (name === 'summary' && !closing) {
      const end = rest.indexOf('</summary>');
      const summary = end === -1 ? rest.slice(whole.length) : rest.slice(whole.length, end);
      out.push({ kind: 'paragraph', spans: [{ text: `▾ ${decode(summary.replace(/<[^>]+>/g, '').trim()) || 'Details'}`, style: { bold: true } }], indent });
      rest = end === -1 ? '' : rest.slice(end + '</summary>'.length).trim();
      continue;
    } else if (!['details', 'summary', 'br', 'p', 'div'].includes(name)) {
      out.push({ kind: 'paragraph', spans: [{ text: whole, style: { dim: true } }], indent });
    }
    rest = rest.slice(whole.length).trim();
  }
}

function segmentBlocks(segments: readonly RenderSegment[], indent: number, options: RenderOptions, out: MdBlock[]): void {
  for (const segment of segments) {
    switch (segment.kind) {
      case 'prose':
        blocks(lexForDisplay(segment.markdown), indent, out);
        break;
      case 'code':
        out.push({ kind: 'code', language: segment.language, lines: segment.code.split('\n').map((l) => highlightLine(l, segment.language)), indent });
        break;
      case 'commands': {
        if (options.shown && !options.shown(segment.blockIndex)) {
          // "With an existing cluster, kubelab only reads your kubeconfig:" introduces that block
          // alone: without it, the sentence would dangle. A paragraph ending in ':' goes with it.
          const last = out.at(-1);
          if (last?.kind === 'paragraph' && !last.bullet && plainText(last.spans).trimEnd().endsWith(':')) out.pop();
          break;
        }
        const last = out.at(-1);
        if (options.hideCommands && last?.kind === 'hidden-commands') last.count++;
        else if (options.hideCommands) out.push({ kind: 'hidden-commands', count: 1, indent });
        else out.push({ kind: 'code', language: segment.language, lines: segment.code.split('\n').map((l) => highlightLine(l, segment.language)), indent });
        break;
      }
      case 'callout':
        out.push({ kind: 'paragraph', spans: [{ text: `▌ ${segment.tone.toUpperCase()}${segment.title ? `: ${segment.title}` : ''}`, style: { bold: true, color: CALLOUT_TONES[segment.tone] } }], indent });
        segmentBlocks(segment.body, indent + 2, options, out);
        break;
      case 'label':
        out.push({ kind: 'paragraph', spans: [{ text: `▸ ${segment.text}`, style: { bold: true, color: 'cyan' } }], indent });
        if (segment.body) segmentBlocks(segment.body, indent + 2, options, out);
        break;
    }
  }
}

/** One line of Markdown (a hint, a check's hint) as styled spans: `code` shows as code, not backticks. */
export function inlineSpans(text: string): Span[] {
  const [first] = lexForDisplay(text);
  if (first?.type === 'paragraph') return inline((first as Tokens.Paragraph).tokens);
  return [{ text }];
}

/** Plain Markdown (a lesson's description, a note) as blocks. */
export function markdownBlocks(markdown: string): MdBlock[] {
  const out: MdBlock[] = [];
  blocks(lexForDisplay(markdown), 0, out);
  return out;
}

/** What a lesson source made of a step's text (plan.ts `RenderSegment`), as blocks. */
export function renderBlocks(segments: readonly RenderSegment[], options: RenderOptions = {}): MdBlock[] {
  const out: MdBlock[] = [];
  segmentBlocks(segments, 0, options, out);
  return out;
}

/**
 * Word-wraps styled spans to a width, so a wrapped line never starts with the space it broke at
 * (Ink's own wrapping keeps it). A word longer than the width (a long URL) is broken at the width:
 * nothing is cut. An explicit "\n" (a Markdown hard break) always starts a new line.
 */
export function wrapSpans(spans: Span[], width: number): Span[][] {
  const lines: Span[][] = [[]];
  let used = 0;
  const push = (text: string, style?: SpanStyle) => {
    const line = lines[lines.length - 1];
    const last = line[line.length - 1];
    if (last && last.style === style) last.text += text;
    else line.push({ text, style });
    used += text.length;
  };
  for (const span of spans) {
    // Words longer than a line are cut into line-long pieces first.
    const pieces = span.text.split(/(\n|\s+)/).flatMap((p) => (p.length > width && !/^\s+$/.test(p) ? (p.match(new RegExp(`.{1,${Math.max(1, width)}}`, 'gu')) ?? [p]) : [p]));
    for (const piece of pieces) {
      if (!piece) continue;
      if (piece === '\n') {
        lines.push([]);
        used = 0;
      } else if (/^\s+$/.test(piece)) {
        if (used > 0) push(' ', span.style);
      } else {
        const trailingSpace = lines[lines.length - 1].at(-1)?.text.endsWith(' ') ?? false;
        if (used > 0 && used + piece.length > width) {
          if (trailingSpace) {
            const line = lines[lines.length - 1];
            line[line.length - 1] = { ...line[line.length - 1], text: line[line.length - 1].text.replace(/ $/, '') };
          }
          lines.push([]);
          used = 0;
        }
        push(piece, span.style);
      }
    }
  }
  return lines.map((line) => line.filter((s) => s.text.length > 0));
}
