import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { declaredCheckers } from '../../../src/engine/loading/checker-scan.js';
import { runCli } from '../../../src/main.js';

describe('checkers read from code, not run (issue 25, item 2)', () => {
  it('given checkers as objects, defineChecker calls and an array, with strings, templates and regexes holding braces, when scanned, then each id, its variable and its shape are found', () => {
    const code = [
      'import { defineChecker, z } from "kubelab/checker";',
      'var greet = defineChecker({',
      '  id: "configmap-has",',
      '  description: "a } in a string {",',
      '  hint: `a template ${"}"} with { braces`,',
      '  args: z.object({ id: z.string() }),',
      '  async run(ctx, args) { const re = /[}{]/; return { status: "pass", message: re.source }; }',
      '});',
      'var loose = { id: "loose", args: { name: "string" }, async run() { return { status: "pass", message: "" }; } };',
      'var norun = { id: "no-run", args: z.object({}) };',
      'var list = [{ id: "in-a-list", args: z.object({}), run: () => ({ status: "pass", message: "" }) }];',
      'var notAChecker = { id: "just-data", name: "x" };',
      'export { greet, loose, norun, list, notAChecker };',
    ].join('\n');
    expect(declaredCheckers(code)).toEqual([
      { name: 'greet', id: 'configmap-has', hasRun: true, argsLiteral: false },
      { name: 'loose', id: 'loose', hasRun: true, argsLiteral: true },
      { name: 'norun', id: 'no-run', hasRun: false, argsLiteral: false },
      { name: undefined, id: 'in-a-list', hasRun: true, argsLiteral: false },
    ]);
  });

  it('given a workshop that fails its folder check and a checker whose top-level code writes a marker, when linted, then lint exits 2 naming the problems and the marker is never written', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kubelab-lint-norun-'));
    const marker = join(root, 'CHECKER-CODE-RAN');
    mkdirSync(join(root, 'checkers'));
    writeFileSync(join(root, 'workshop.yaml'), 'id: w\ntitle: W\ndescription: d\nlessons:\n  - ../../../outside\nproviders: [local]\n');
    writeFileSync(
      join(root, 'checkers', 'evil.mjs'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport const evil = { id: 'evil', args: { safeParse: () => ({ success: true }) }, async run() { return { status: 'pass', message: '' }; } };\n`,
    );
    writeFileSync(join(root, 'checkers', 'loose.mjs'), "export const loose = { id: 'loose', args: { name: 'string' }, async run() { return { status: 'pass', message: '' }; } };\n");
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += c));
    const code = await runCli(['lint', '--workshop', root], { stdout, stderr: new PassThrough(), env: { KUBELAB_STATE_DIR: root, PATH: process.env.PATH }, cwd: root });
    expect(code).toBe(2);
    expect(out).toContain(`${join(root, 'workshop.yaml')}:`);
    expect(out).toContain(`${join(root, 'checkers', 'loose.mjs')}:1:1: export "loose": checker "loose": args is not a zod schema`);
    expect(existsSync(marker)).toBe(false);
  });

  it('given a TypeScript checker module with a type error, when linted, then the error is reported at its file:line:col (type-checked, not run)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kubelab-lint-types-'));
    const marker = join(root, 'CHECKER-CODE-RAN');
    mkdirSync(join(root, 'checkers'));
    mkdirSync(join(root, 'lessons', 'one'), { recursive: true });
    writeFileSync(join(root, 'workshop.yaml'), 'id: w\ntitle: W\ndescription: d\nlessons: [one]\nproviders: [local]\n');
    writeFileSync(join(root, 'lessons', 'one', 'lesson.md'), '---\nid: one\ntitle: One\nminutes: 1\n---\n\n## Look\n\n```bash\necho hi\n```\n\n```yaml step\nchecks:\n  - check: typed\n    args: {}\n```\n');
    writeFileSync(
      join(root, 'checkers', 'typed.ts'),
      [
        "import { writeFileSync } from 'node:fs';",
        `writeFileSync(${JSON.stringify(marker)}, 'ran');`,
        "export const typed = { id: 'typed', args: { safeParse: (v: unknown) => ({ success: true, data: v }) }, async run() {",
        "  const label: string = 42;",
        "  return { status: 'pass' as const, message: label };",
        '} };',
        '',
      ].join('\n'),
    );
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += c));
    const code = await runCli(['lint', '--workshop', root], { stdout, stderr: new PassThrough(), env: { KUBELAB_STATE_DIR: root, PATH: process.env.PATH }, cwd: root });
    expect(out).toContain(`${join(root, 'checkers', 'typed.ts')}:4:9: type error: Type 'number' is not assignable to type 'string'. (TS2322)`);
    expect(code).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });
});
