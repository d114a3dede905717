/**
 * What a new author met working from the docs (issue 24, items 9 and 10): lint's closing line,
 * quoting in info strings, and a way to select every object of a kind.
 */
import { describe, expect, it } from 'vitest';
import { lintSummary, type Diagnostic } from '../../../src/engine/diagnostics.js';
import { parseInfoString } from '../../../src/engine/loading/info-string.js';
import { parseLesson } from '../../../src/engine/loading/formats/kubelab/lesson-parser.js';
import { formatDiagnostic } from '../../../src/engine/diagnostics.js';
import { resource } from '../../../checkers/generic.js';

const FENCE = '```';
const at = { file: 'lesson.md', line: 1, column: 1 };
const warning = (message: string): Diagnostic => ({ location: at, message, severity: 'warning' });

describe('lint summary', () => {
  it('Given five warnings and no error, then the summary counts them instead of saying "No problems"', () => {
    const summary = lintSummary(2, [1, 2, 3, 4, 5].map((n) => warning(`w${n}`)));
    expect(summary).toBe('2 lessons: 0 errors, 5 warnings.');
    expect(summary).not.toContain('No problems');
  });

  it('Given nothing at all, then it says there is no problem, in the singular for one lesson', () => {
    expect(lintSummary(1, [])).toBe('No problems found in 1 lesson.');
    expect(lintSummary(3, [{ location: at, message: 'x', severity: 'error' }])).toBe('3 lessons: 1 error, 0 warnings.');
  });
});

describe('info string quoting', () => {
  it('Given expectOutput with escaped double quotes, then the value holds the quotes and nothing else is read as an attribute', () => {
    const info = parseInfoString('bash expect=fail expectOutput="secret \\"app-secret\\" not found" timeout=30');
    expect(info.attributes.get('expectOutput')).toBe('secret "app-secret" not found');
    expect(info.attributes.get('timeout')).toBe('30');
    expect([...info.attributes.keys()]).toEqual(['expect', 'expectOutput', 'timeout']);
  });

  it('Given single quotes around double quotes, or a regex with \\d, then both read as written', () => {
    expect(parseInfoString(`bash expectOutput='secret "app-secret" not found'`).attributes.get('expectOutput')).toBe('secret "app-secret" not found');
    expect(parseInfoString('bash expectOutput="/\\d+ replicas/"').attributes.get('expectOutput')).toBe('/\\d+ replicas/');
  });

  it('Given a lesson using an escaped quote, then it parses with no "unknown block attribute" error', () => {
    const source = `---\nid: demo\ntitle: Demo\nminutes: 5\n---\n\n# Demo\n\n## S\n\n${FENCE}bash expect=fail expectOutput="secret \\"app-secret\\" not found"\nkubectl get secret app-secret\n${FENCE}\n`;
    const { lesson, diagnostics } = parseLesson(source, '/w/lessons/demo/lesson.md', '/w/lessons/demo');
    expect(diagnostics.items.map(formatDiagnostic)).toEqual([]);
    expect(lesson?.steps[0].blocks[0].expectOutput).toBe('secret "app-secret" not found');
  });
});

describe('every object of a kind', () => {
  it('Given selector: "" (or no selector), then the resource checker accepts it', () => {
    expect(resource.args.safeParse({ kind: 'ConfigMap', namespace: 'x', selector: '', count: 2 }).success).toBe(true);
    expect(resource.args.safeParse({ kind: 'ConfigMap', namespace: 'x', count: 2 }).success).toBe(true);
  });
});
