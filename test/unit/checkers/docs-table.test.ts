/**
 * The checker table in docs/lesson-format.md ("## Checkers") is what authors read to write a
 * check: every registered checker must have its row, every row a registered checker, and each row's
 * arguments must be the ones its schema takes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadBuiltinCheckers } from '../../../checkers/index.js';
import type { Checker } from '../../../src/engine/checker.js';

const DOC = join(resolve(import.meta.dirname, '../../..'), 'docs', 'lesson-format.md');

interface Row {
  ids: string[];
  /** The argument names the row lists; undefined when it points elsewhere (the EKS ones: eks.md). */
  args?: string[];
  /** The doc the row points to for its arguments (`see [eks.md](eks.md)`). */
  seeAlso?: string;
}

/** The rows of the table under "## Checkers": `| \`id\` | args | passes when |`. */
function checkerTable(markdown: string): Row[] {
  const section = markdown.slice(markdown.indexOf('\n## Checkers\n'));
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| id |'));
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // `\|` inside a cell is an escaped bar ("name? \| selector?"), not a cell boundary.
    const [, idCell, argsCell] = line.replaceAll('\\|', ',').split('|').map((cell) => cell.trim());
    const ids = [...idCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    if (/^see /.test(argsCell)) {
      rows.push({ ids, seeAlso: /\]\(([^)#]+)/.exec(argsCell)?.[1] });
      continue;
    }
    // "resources: [{kind, name}]": the nested names describe the items, not arguments.
    const top = argsCell.replaceAll('`', '').replace(/\[[^\]]*\]/g, '');
    rows.push({ ids, args: top.split(',').map((word) => /^\s*([A-Za-z]+)/.exec(word)?.[1]).filter((name): name is string => Boolean(name)) });
  }
  return rows;
}

/** The names a checker's schema takes (through refinements and defaults). */
function argumentNames(checker: Checker<unknown>): string[] {
  let schema: z.ZodTypeAny = checker.args as z.ZodTypeAny;
  for (;;) {
    if (schema instanceof z.ZodObject) return Object.keys(schema.shape as object).sort();
    if (schema instanceof z.ZodEffects) schema = schema.innerType();
    else if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema._def.innerType as z.ZodTypeAny;
    else return [];
  }
}

/** What differs between the table and the registry, as lines a person can act on. */
function differences(rows: Row[], checkers: Map<string, Checker<unknown>>, readDoc = (name: string) => readFileSync(join(dirname(DOC), name), 'utf8')): string[] {
  const documented = rows.flatMap((row) => row.ids);
  const out = [
    ...[...checkers.keys()].filter((id) => !documented.includes(id)).map((id) => `${id}: registered, but docs/lesson-format.md has no row for it`),
    ...documented.filter((id) => !checkers.has(id)).map((id) => `${id}: in docs/lesson-format.md, but no checker has that id`),
  ];
  for (const row of rows) {
    if (row.seeAlso) {
      const elsewhere = readDoc(row.seeAlso);
      for (const id of row.ids) if (!elsewhere.includes(`\`${id}\``)) out.push(`${id}: docs/lesson-format.md points to ${row.seeAlso}, which does not name it`);
    }
    const checker = row.ids.length === 1 ? checkers.get(row.ids[0]) : undefined;
    if (!checker || !row.args) continue;
    const expected = argumentNames(checker);
    const listed = [...row.args].sort();
    if (expected.join() !== listed.join()) out.push(`${row.ids[0]}: the docs list args ${listed.join(', ')}; the checker takes ${expected.join(', ')}`);
  }
  return out;
}

describe('the docs checker table and the registered checkers', () => {
  it('given docs/lesson-format.md and the registry, when compared, then every checker has its row with its arguments, and no row names a checker that does not exist', async () => {
    const checkers = (await loadBuiltinCheckers()) as Map<string, Checker<unknown>>;
    const rows = checkerTable(readFileSync(DOC, 'utf8'));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.find((row) => row.ids.includes('eks-access-policy'))?.seeAlso).toBe('eks.md');
    expect(differences(rows, checkers)).toEqual([]);
  });

  it('given a table with a row missing, a row too many, an argument left out and eks.md not naming a checker it should, when compared, then each is reported', async () => {
    const checkers = (await loadBuiltinCheckers()) as Map<string, Checker<unknown>>;
    const doc = readFileSync(DOC, 'utf8')
      .replace(/\n\| `nodes-ready` \|[^\n]*/, '\n| `nodes-counted` | `count` | made up |')
      .replace('| `csr-approved` | `name, user` |', '| `csr-approved` | `name` |');
    const eksDoc = (name: string) => readFileSync(join(dirname(DOC), name), 'utf8').replaceAll('`eks-user-mapped`', 'the user mapping');
    expect(differences(checkerTable(doc), checkers, eksDoc)).toEqual([
      'nodes-ready: registered, but docs/lesson-format.md has no row for it',
      'nodes-counted: in docs/lesson-format.md, but no checker has that id',
      'csr-approved: the docs list args name; the checker takes name, user',
      'eks-user-mapped: docs/lesson-format.md points to eks.md, which does not name it',
    ]);
  });
});
