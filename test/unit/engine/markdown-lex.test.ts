import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../../src/engine/loading/formats/kubelab/lesson-parser.js';
import { runCli } from '../../../src/main.js';
import { markdownBlocks } from '../../../src/ui/markdown.js';

/** Lines that made marked's inline pass take seconds to minutes (issue 25, item 9). */
const HOSTILE = { stars: '*a '.repeat(70_000), images: '![a]('.repeat(40_000), unclosed: `${'![a]('.repeat(40)}${' word'.repeat(40_000)}` };
const FENCE = '```';
const lesson = (line: string) => `---\nid: big\ntitle: Big\nminutes: 1\n---\n\n## Read this\n\n${line}\n\n${FENCE}bash\necho hi\n${FENCE}\n\n${FENCE}yaml step\nunchecked: "prints only"\n${FENCE}\n`;

describe('Markdown a lesson cannot hang kubelab with (issue 25, item 9)', () => {
  it.each(Object.entries(HOSTILE))('given a lesson with a 200 KB line of %s, when parsed, then its step and command are read', (_name, line) => {
    expect(line.length).toBeGreaterThanOrEqual(200_000);
    const { lesson: parsed, diagnostics } = parseLesson(lesson(line), '/w/lessons/big/lesson.md', '/w/lessons/big');
    expect(diagnostics.items).toEqual([]);
    expect(parsed!.steps.map((s) => [s.id, s.blocks.map((b) => b.code)])).toEqual([['read-this', ['echo hi']]]);
  });

  it.each(Object.entries(HOSTILE))('given a step whose text is a 200 KB line of %s, when the app renders it, then it shows as plain text', (_name, line) => {
    const blocks = markdownBlocks(`Intro with **bold**.\n\n${line}\n`);
    expect(blocks[0]).toMatchObject({ kind: 'paragraph', spans: [{ text: 'Intro with ' }, { text: 'bold', style: { bold: true } }, { text: '.' }] });
    expect(JSON.stringify(blocks[1])).toContain(line.slice(0, 50));
  });

  it('given a workshop whose lesson has a 200 KB line of emphasis markers, when linted, then lint finishes with its usual verdict', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kubelab-bigmd-'));
    mkdirSync(join(root, 'lessons', 'big'), { recursive: true });
    writeFileSync(join(root, 'workshop.yaml'), 'id: w\ntitle: W\ndescription: d\nlessons:\n  - big\nproviders: [local]\n');
    writeFileSync(join(root, 'lessons', 'big', 'lesson.md'), lesson(HOSTILE.stars));
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c) => (err += c));
    const code = await runCli(['lint', '--workshop', root], { stdout: new PassThrough(), stderr, env: { KUBELAB_STATE_DIR: root, PATH: process.env.PATH }, cwd: root });
    expect(err).toContain('No problems found in 1 lesson.');
    expect(code).toBe(0);
  });
});
