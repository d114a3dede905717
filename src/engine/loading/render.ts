/**
 * A step's text cut into the parts the app draws (plan.ts `RenderSegment`): loaders put a marker
 * where each command block stands, and this turns the text into prose, shown code and command
 * segments. Format markup (admonitions, tabs, `{{exec}}`) is the loader's to turn into segments first.
 */
import type { Token, Tokens } from 'marked';
import { lexBlocks } from './markdown-lex.js';
import type { RenderSegment } from '../plan.js';

/** A command block as the page shows it (prompts and sample output included). */
export interface ShownFence {
  language: string;
  code: string;
}

/** Stands in the text for `step.blocks[index]`, on a paragraph of its own. */
export const blockMarker = (index: number): string => `\n\n<!--kubelab:block:${index}-->\n\n`;
const MARKER = /^<!--kubelab:block:(\d+)-->$/;

/** The language of a fence: the first word of its info string. */
export const fenceLanguage = (info: string | undefined): string => (info ?? '').trim().split(/\s+/)[0] ?? '';

export interface SegmentOptions {
  /** A format's own HTML (MDX tags): its segments, or undefined to keep the tag as prose. */
  html?(raw: string): RenderSegment[] | undefined;
}

/** Prose, shown code and command segments of a text holding block markers. */
export function segmentsOf(text: string, fences: readonly ShownFence[], options: SegmentOptions = {}): RenderSegment[] {
  const out: RenderSegment[] = [];
  let prose: string[] = [];
  const flush = () => {
    const markdown = prose.join('').trim();
    if (markdown) out.push({ kind: 'prose', markdown });
    prose = [];
  };
  for (const token of lexBlocks(text) as Token[]) {
    if (token.type === 'html') {
      const marker = MARKER.exec(token.raw.trim());
      const own = marker ? undefined : options.html?.(token.raw);
      if (marker) {
        const blockIndex = Number(marker[1]);
        const fence = fences[blockIndex] ?? { language: 'bash', code: '' };
        flush();
        out.push({ kind: 'commands', blockIndex, language: fence.language, code: fence.code });
        continue;
      }
      if (own) {
        flush();
        out.push(...own);
        continue;
      }
    }
    if (token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented') {
      const code = token as Tokens.Code;
      flush();
      out.push({ kind: 'code', language: fenceLanguage(code.lang), code: code.text });
      continue;
    }
    prose.push(token.raw);
  }
  flush();
  return out;
}

/** Every segment's text through `change` (a cluster name put in), the structure kept. */
export function mapSegmentText(segments: readonly RenderSegment[], change: (text: string) => string): RenderSegment[] {
  return segments.map((segment): RenderSegment => {
    switch (segment.kind) {
      case 'prose':
        return { ...segment, markdown: change(segment.markdown) };
      case 'code':
      case 'commands':
        return { ...segment, code: change(segment.code) };
      case 'callout':
        return { ...segment, title: change(segment.title), body: mapSegmentText(segment.body, change) };
      case 'label':
        return { ...segment, text: change(segment.text), ...(segment.body && { body: mapSegmentText(segment.body, change) }) };
    }
  });
}
