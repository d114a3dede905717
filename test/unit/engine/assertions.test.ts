import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinCheckers } from '../../../checkers/index.js';
import { DiagnosticBag, formatDiagnostic } from '../../../src/engine/diagnostics.js';
import { parseLesson } from '../../../src/engine/loading/formats/kubelab/lesson-parser.js';
import { lintWorkshop } from '../../../src/engine/loading/lint.js';
import { Redactor } from '../../../src/engine/running/redact.js';
import { runBlock } from '../../../src/engine/running/runner.js';
import type { Workshop } from '../../../src/engine/types.js';

const FENCE = '```';
const lesson = (body: string) => `---\nid: demo\ntitle: Demo\nminutes: 5\n---\n\n# Demo\n\n${body}`;
const parse = (source: string) => parseLesson(source, '/w/lessons/demo/lesson.md', '/w/lessons/demo');

async function lint(body: string): Promise<string[]> {
  const parsed = parse(lesson(body));
  const workshop: Workshop = { id: 'w', title: 'W', description: '', dir: '/w', variables: {}, providers: ['local'], lessons: [parsed.lesson!] };
  const bag = new DiagnosticBag();
  bag.items.push(...parsed.diagnostics.items);
  lintWorkshop(workshop, await loadBuiltinCheckers(), bag);
  return bag.items.map(formatDiagnostic);
}

const run = async (code: string, expectOutput?: string) => {
  const cwd = mkdtempSync(join(tmpdir(), 'kubelab-assert-'));
  return runBlock(code, { env: { PATH: process.env.PATH ?? '' }, cwd }, { timeoutMs: 10_000, expect: 'fail', expectOutput, signal: new AbortController().signal, redactor: new Redactor(), onLine: () => undefined });
};

describe('expect=fail with expectOutput', () => {
  it('given the named failure on stderr, when run, then it is the expected failure', async () => {
    expect((await run('echo \'Error from server (AlreadyExists): secrets "db" already exists\' >&2; exit 1', 'AlreadyExists')).outcome).toBe('expected-failure');
  });
  it('given a /pattern/, when the output matches it, then it is the expected failure', async () => {
    expect((await run('echo "pods is forbidden: User x" ; exit 1', '/forbidden: User \\w+/')).outcome).toBe('expected-failure');
  });
  it('given a failure of another kind, when run, then it is a wrong failure, not a pass', async () => {
    const result = await run('echo \'Error from server (NotFound): namespaces "config-demo" not found\' >&2; exit 1', 'AlreadyExists');
    expect(result.outcome).toBe('wrong-failure');
    expect(result.tail.join('\n')).toContain('NotFound');
  });
  it('given no expectOutput, when any failure happens, then today’s rule holds', async () => {
    expect((await run('exit 3')).outcome).toBe('expected-failure');
  });
  it('parses expectOutput, and refuses it without expect=fail', () => {
    const ok = parse(lesson(`## S\n\n${FENCE}bash expect=fail expectOutput="AlreadyExists"\nx\n${FENCE}\n`));
    expect(ok.lesson!.steps[0].blocks[0]).toMatchObject({ expect: 'fail', expectOutput: 'AlreadyExists' });
    const bad = parse(lesson(`## S\n\n${FENCE}bash expectOutput="AlreadyExists"\nx\n${FENCE}\n`));
    expect(bad.diagnostics.items.map((d) => d.message)).toContain('expectOutput names the failure a block expects: use it with expect=fail');
  });
  it('given expectOutput as a /pattern/ that does not compile, then lint says so at the block; a good one passes', () => {
    const bad = parse(lesson(`## S\n\n${FENCE}bash expect=fail expectOutput="/(AlreadyExists/"\nx\n${FENCE}\n`));
    expect(bad.diagnostics.items.map((d) => d.message).join('\n')).toMatch(/^expectOutput \/\(AlreadyExists\/ is not a valid \/pattern\/: .*Unterminated group/m);
    const good = parse(lesson(`## S\n\n${FENCE}bash expect=fail expectOutput="/Already(Exists)?/i"\nx\n${FENCE}\n`));
    expect(good.diagnostics.items).toEqual([]);
  });
});

describe('lint of what a step verifies', () => {
  it('given a step with commands and no check, then lint warns (not an error)', async () => {
    const out = await lint(`## Apply it\n\n${FENCE}bash\nkubectl apply -f x.yaml\n${FENCE}\n`);
    expect(out.some((l) => l.includes('warning: step "apply-it" runs commands but nothing checks what they did'))).toBe(true);
  });
  it('given unchecked: "reason", then there is no warning', async () => {
    const out = await lint(`## Look\n\n${FENCE}bash\nkubectl get pods\n${FENCE}\n\n${FENCE}yaml step\nunchecked: "read-only: shows what the previous step made"\n${FENCE}\n`);
    expect(out).toEqual([]);
  });
  it('given a negated check, then it parses as expect fail and lints its args', async () => {
    const body = `## Quota\n\n${FENCE}bash\nkubectl get quota\n${FENCE}\n\n${FENCE}yaml step\nchecks:\n  - check: resource\n    expect: fail\n    args: { kind: Deployment, name: web, namespace: q, match: { status: { availableReplicas: ">= 1" } } }\n  - check: resource\n    args: { kind: Widget, name: w, match: { spec: { size: "/[/" } } }\n${FENCE}\n`;
    const parsed = parse(lesson(body));
    expect(parsed.lesson!.steps[0].checks[0]).toMatchObject({ checker: 'resource', expect: 'fail' });
    const out = await lint(body);
    expect(out.some((l) => l.includes('args.apiVersion: say the apiVersion of Widget'))).toBe(true);
    expect(out.some((l) => l.includes('args.match.spec.size: not a valid pattern'))).toBe(true);
  });
  it('given gone with any kind, then well-known kinds need no apiVersion and others do', async () => {
    const body = (resources: string) => `## Clean\n\n${FENCE}bash\nkubectl delete ns q\n${FENCE}\n\n${FENCE}yaml step\nchecks:\n  - check: gone\n    args: { resources: ${resources} }\n${FENCE}\n`;
    expect(await lint(body('[{ kind: ResourceQuota, name: q, namespace: q }, { kind: ConfigMap, name: c }]'))).toEqual([]);
    expect((await lint(body('[{ kind: Widget, name: w }]'))).join('\n')).toContain('args.resources.0.apiVersion');
  });
});

describe('workshop checker modules', () => {
  it('given a module with a syntax error and one with a bad schema, then each is a lint error naming its file', async () => {
    const { loadWorkshopCheckers } = await import('../../../src/engine/loading/workshop-checkers.js');
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-wcheckers-'));
    mkdirSync(join(dir, 'checkers'));
    writeFileSync(join(dir, 'checkers', 'broken.ts'), 'export const x = {\n  id: "x",,\n};\n');
    writeFileSync(join(dir, 'checkers', 'schema.mjs'), 'export const bad = { id: "bad-schema", description: "d", args: { type: "object" }, async run() { return { status: "pass", message: "" }; } };\n');
    writeFileSync(join(dir, 'checkers', 'throws.mjs'), 'throw new Error("cannot start");\n');
    const bag = new DiagnosticBag();
    const loaded = await loadWorkshopCheckers(dir, bag, new Set());
    expect(loaded).toEqual([]);
    const out = bag.items.map(formatDiagnostic);
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^${join(dir, 'checkers', 'broken.ts')}:2:\\d+: checker module does not build: `)));
    expect(out).toContainEqual(`${join(dir, 'checkers', 'schema.mjs')}:1:1: export "bad": checker "bad-schema": args is not a zod schema (write args: z.object({ … }) with z from kubelab/checker)`);
    expect(out).toContainEqual(`${join(dir, 'checkers', 'throws.mjs')}:1:1: checker module throws on load: cannot start`);
  });
});
