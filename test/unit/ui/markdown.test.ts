import { describe, expect, it } from 'vitest';
import { docusaurusSegments } from '../../../src/engine/loading/formats/docusaurus/render.js';
import { parseLesson } from '../../../src/engine/loading/formats/kubelab/lesson-parser.js';
import { blockShown } from '../../../src/engine/standard-plan.js';
import { targetOf } from '../../../src/engine/plan.js';
import { highlightLine, markdownBlocks, renderBlocks, tableLines, wrapSpans, type MdBlock } from '../../../src/ui/markdown.js';

/** A step of kubelab's own format, as its source reads it. */
function kubelabStep(body: string) {
  const { lesson } = parseLesson(`---\nid: l\ntitle: L\nminutes: 1\n---\n## S\n\n${body}`, '/w/lessons/l/lesson.md', '/w/lessons/l');
  return lesson!.steps[0];
}
/** Docusaurus markup as its source cuts it, drawn. */
const docusaurusBlocks = (md: string) => renderBlocks(docusaurusSegments(md, []));

const text = (b: MdBlock) => ('spans' in b ? b.spans.map((s) => s.text).join('') : '');

describe('markdownBlocks', () => {
  it('Given headings, emphasis and a link, when rendered, then styles and the URL are kept', () => {
    const blocks = markdownBlocks('# Title\n\nA **bold** and *soft* word, `kubectl`, see [the docs](https://k8s.io).');
    expect(blocks[0]).toMatchObject({ kind: 'heading', depth: 1 });
    const para = blocks[1];
    expect(para.kind).toBe('paragraph');
    if (para.kind !== 'paragraph') return;
    expect(para.spans).toContainEqual({ text: 'bold', style: { bold: true } });
    expect(para.spans).toContainEqual({ text: 'soft', style: { italic: true } });
    expect(para.spans).toContainEqual({ text: 'kubectl', style: { color: 'cyan' } });
    expect(para.spans).toContainEqual({ text: 'the docs', style: { underline: true, color: 'blue' } });
    expect(text(para)).toContain('(https://k8s.io)');
  });

  it('Given nested and ordered lists, when rendered, then each item has its bullet and indent', () => {
    const blocks = markdownBlocks('- one\n- two\n  1. inner\n');
    expect(blocks.map((b) => (b.kind === 'paragraph' ? [b.bullet, b.indent, text(b)] : b.kind))).toEqual([
      ['• ', 0, 'one'],
      ['• ', 0, 'two'],
      ['1. ', 2, 'inner'],
    ]);
  });

  it('Given a table, when rendered, then columns are padded into a grid', () => {
    const [table] = markdownBlocks('| Kind | Name |\n|---|---|\n| Deployment | web |\n');
    expect(table.kind).toBe('table');
    if (table.kind !== 'table') return;
    expect(table.lines.map((l) => l.map((s) => s.text).join(''))).toEqual(['Kind       │ Name', '───────────┼─────', 'Deployment │ web ']);
  });

  it('Given a challenge step, when commands are hidden, then shell blocks are replaced and YAML stays', () => {
    const md = 'Do it.\n\n```bash\nkubectl apply -f x.yaml\n```\n\n```bash\nkubectl get pods\n```\n\n```yaml\nkind: Pod\n```\n';
    const step = kubelabStep(md);
    const hidden = renderBlocks(step.render!, { hideCommands: true });
    expect(hidden.map((b) => b.kind)).toEqual(['paragraph', 'hidden-commands', 'code']);
    expect(hidden[1]).toMatchObject({ count: 2 });
    expect(renderBlocks(step.render!).filter((b) => b.kind === 'code')).toHaveLength(3);
  });
});

describe('highlightLine', () => {
  it('Given a shell line, then flags, strings, variables and comments are coloured', () => {
    const spans = highlightLine('$ kubectl -n "$NS" get pods --watch # wait', 'bash');
    expect(spans[0]).toEqual({ text: '$ ', style: { dim: true } });
    expect(spans).toContainEqual({ text: '-n', style: { color: 'yellow' } });
    expect(spans).toContainEqual({ text: '"$NS"', style: { color: 'green' } });
    expect(spans).toContainEqual({ text: '# wait', style: { dim: true } });
    expect(spans.map((s) => s.text).join('')).toBe('$ kubectl -n "$NS" get pods --watch # wait');
  });

  it('Given a YAML line, then the key is coloured and the text is unchanged', () => {
    const spans = highlightLine('  replicas: 3', 'yaml');
    expect(spans).toContainEqual({ text: 'replicas', style: { color: 'cyan' } });
    expect(spans.map((s) => s.text).join('')).toBe('  replicas: 3');
  });
});

describe('tableLines', () => {
  it('Given right-aligned columns, then numbers line up on the right', () => {
    const lines = tableLines(['n'], [['1'], ['100']], ['right']);
    expect(lines.map((l) => l.map((s) => s.text).join(''))).toEqual(['  n', '───', '  1', '100']);
  });
});

describe('command blocks for other providers', () => {
  it('given a block marked provider=eks, when rendered for local, then it is left out; for eks it is shown', () => {
    const step = kubelabStep('```bash\nkubectl get nodes\n```\n\n```bash provider=eks\naws sts get-caller-identity\n```\n');
    const codes = (provider: 'local' | 'eks') => renderBlocks(step.render!, { shown: (i) => blockShown(step, i, targetOf(provider)) }).filter((b) => b.kind === 'code').length;
    expect(codes('local')).toBe(1);
    expect(codes('eks')).toBe(2);
  });
});

describe('soft line breaks', () => {
  it('given prose wrapped in the source, when rendered, then the lines join so the terminal can wrap them', () => {
    const [paragraph] = markdownBlocks('role.yaml defines the Role and\nrolebinding.yaml binds it.\n');
    expect(paragraph.kind === 'paragraph' && paragraph.spans.map((s) => s.text).join('')).toBe('role.yaml defines the Role and rolebinding.yaml binds it.');
  });
});

describe('wrapSpans', () => {
  it('given styled prose wider than the terminal, when wrapped, then no line starts or ends with a space and styles are kept', () => {
    const lines = wrapSpans([{ text: 'role.yaml', style: { color: 'cyan' } }, { text: ' defines the Role and binds it to a user' }], 20);
    const texts = lines.map((l) => l.map((s) => s.text).join(''));
    expect(texts).toEqual(['role.yaml defines', 'the Role and binds', 'it to a user']);
    expect(lines[0][0]).toEqual({ text: 'role.yaml', style: { color: 'cyan' } });
    expect(texts.every((t) => !t.startsWith(' ') && !t.endsWith(' ') && t.length <= 20)).toBe(true);
  });

  it('given a hard break, when wrapped, then it starts a new line', () => {
    expect(wrapSpans([{ text: 'one\ntwo' }], 40).map((l) => l.map((s) => s.text).join(''))).toEqual(['one', 'two']);
  });
});

describe('Docusaurus pages (eks-workshop-v2) as their source cuts them, drawn', () => {
  const summary = (blocks: MdBlock[]) => blocks.map((b) => [b.kind, 'indent' in b ? b.indent : 0, b.kind === 'code' ? b.lines.length : text(b)]);

  it('Given an admonition with a title and a command inside, when rendered, then a labelled line leads and its content is indented', () => {
    const blocks = docusaurusBlocks(':::tip Before you start\nPrepare your environment:\n\nFENCEbash\n$ prepare-environment demo\nFENCE\n\n:::\n\nAfter.'.replace(/FENCE/g, '```'));
    expect(summary(blocks)).toEqual([
      ['paragraph', 0, '▌ TIP: Before you start'],
      ['paragraph', 2, 'Prepare your environment:'],
      ['code', 2, 1],
      ['paragraph', 0, 'After.'],
    ]);
  });

  it('Given ":::" inside a code block, when rendered, then it is code, not an admonition', () => {
    const blocks = docusaurusBlocks('```text\n:::info\nnot a box\n:::\n```\n');
    expect(summary(blocks)).toEqual([['code', 0, 3]]);
  });

  it('Given tabs, when rendered, then every tab is shown under its label, one after the other', () => {
    const blocks = docusaurusBlocks('<Tabs>\n<TabItem value="a" label="Using kubectl">\n\nRun it.\n\n</TabItem>\n<TabItem value="b">\n\nOther way.\n\n</TabItem>\n</Tabs>\n');
    expect(blocks.map(text).filter(Boolean)).toEqual(['▸ Using kubectl', 'Run it.', '▸ b', 'Other way.']);
  });

  it('Given <details> with a summary, when rendered, then the summary leads and the content follows', () => {
    const blocks = markdownBlocks('<details>\n<summary>Expand for output</summary>\n\nThe output.\n\n</details>\n');
    expect(blocks.map(text).filter(Boolean)).toEqual(['▾ Expand for output', 'The output.']);
  });

  it('Given an unknown directive and an unknown component, when rendered, then both are shown as text, not dropped', () => {
    const blocks = markdownBlocks('::required-time\n\n<Browser url="-">\n<img src="x.webp"/>\n</Browser>\n');
    const shown = blocks.map(text).join('\n');
    expect(shown).toContain('::required-time');
    expect(shown).toContain('<Browser url="-">');
    expect(shown).toContain('<img src="x.webp"/>');
  });
});


describe('tables wider than the screen', () => {
  it('given a table wider than the width, when laid out, then its widest column wraps, every word is kept and no line is wider', () => {
    const header = ['provider', 'where the cluster runs', 'cost'];
    const rows = [
      ['local', 'on this machine, offline: a real control plane with simulated nodes', 'free'],
      ['eks', 'Amazon EKS in your AWS account', 'billed by the hour until you delete it'],
    ];
    for (const width of [100, 80]) {
      const lines = tableLines(header, rows, [], width).map((l) => l.map((s) => s.text).join(''));
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
      const words = lines.join(' ').split(/[\s│─┼]+/).filter(Boolean);
      for (const text of [...header, ...rows.flat()]) for (const word of text.split(' ')) expect(words).toContain(word);
    }
  });
});
