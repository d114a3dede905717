/**
 * eks-workshop-v2's page markup turned into render segments: admonitions (`:::info Title` … `:::`,
 * nested ones included) become callouts, `<Tabs>`/`<TabItem label>` labelled alternatives shown one
 * after the other. The app draws the segments and knows nothing of Docusaurus.
 */
import type { CalloutTone, RenderSegment } from '../../../plan.js';
import { segmentsOf, type ShownFence } from '../../render.js';

const TONES: Record<string, CalloutTone> = { note: 'note', tip: 'tip', info: 'info', caution: 'warning', warning: 'warning', danger: 'danger', important: 'important' };

interface Cut {
  text: string;
  admonition?: { type: string; title: string };
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** The text cut at its top-level admonitions, fenced code left alone. */
function admonitions(markdown: string): Cut[] {
  const cuts: Cut[] = [];
  const lines = markdown.split('\n');
  let plain: string[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = undefined;
      plain.push(line);
      continue;
    }
    if (fenceMark) fence = fenceMark;
    const open = fence ? undefined : /^\s{0,3}(:{3,})([A-Za-z]+)\s*(.*)$/.exec(line);
    const end = open ? closingLine(lines, i, open[1].length) : -1;
    if (!open || end === -1) {
      plain.push(line);
      continue;
    }
    if (plain.length) cuts.push({ text: plain.join('\n') });
    plain = [];
    cuts.push({ text: lines.slice(i + 1, end).join('\n'), admonition: { type: open[2].toLowerCase(), title: open[3].trim() } });
    i = end;
  }
  if (plain.length) cuts.push({ text: plain.join('\n') });
  return cuts;
}

/** The line closing the admonition opened at `start` with `colons` colons, past nested ones; -1 if none. */
function closingLine(lines: string[], start: number, colons: number): number {
  let depth = 0;
  let innerFence: string | undefined;
  for (let j = start + 1; j < lines.length; j++) {
    const mark = FENCE.exec(lines[j])?.[1];
    if (innerFence) {
      if (mark && mark[0] === innerFence[0] && mark.length >= innerFence.length) innerFence = undefined;
      continue;
    }
    if (mark) {
      innerFence = mark;
      continue;
    }
    if (/^\s{0,3}:{3,}[A-Za-z]/.test(lines[j])) depth++;
    else if (new RegExp(`^\\s{0,3}:{${colons},}\\s*$`).test(lines[j])) {
      if (depth === 0) return j;
      depth--;
    }
  }
  return -1;
}

const attribute = (tag: string, name: string) => new RegExp(`${name}=(?:"([^"]*)"|'([^']*)'|\\{["']([^"']*)["']\\})`).exec(tag)?.slice(1).find((v) => v !== undefined);

/** MDX tab tags: a label for each tab, nothing for the rest; undefined for HTML that is not tabs. */
function tabs(raw: string): RenderSegment[] | undefined {
  const tags = [...raw.matchAll(/<\/?([A-Za-z][\w.-]*)[^>]*>/g)];
  if (!tags.length || !tags.every((t) => t[1] === 'Tabs' || t[1] === 'TabItem')) return undefined;
  if (raw.replace(/<\/?[A-Za-z][\w.-]*[^>]*>/g, '').trim()) return undefined;
  return tags.filter((t) => t[1] === 'TabItem' && !t[0].startsWith('</')).map((t) => ({ kind: 'label', text: attribute(t[0], 'label') ?? attribute(t[0], 'value') ?? 'Tab' }));
}

/** A page's text (with block markers) as segments. */
export function docusaurusSegments(markdown: string, fences: readonly ShownFence[]): RenderSegment[] {
  return admonitions(markdown).flatMap((cut): RenderSegment[] => {
    if (!cut.admonition) return segmentsOf(cut.text, fences, { html: tabs });
    const { type, title } = cut.admonition;
    return [{ kind: 'callout', tone: TONES[type] ?? 'note', title, body: docusaurusSegments(cut.text, fences) }];
  });
}
