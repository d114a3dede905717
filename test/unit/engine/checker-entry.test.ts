import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Public from '../../../types/checker.js';
import * as entry from '../../../src/checker-entry.js';

// Type-level: each implementation must fit what types/checker.d.ts promises authors (tsc checks this file).
const defineFits: typeof Public.defineChecker = entry.defineChecker as unknown as typeof Public.defineChecker;
const matchFits: typeof Public.matchPartial = entry.matchPartial;
const getJsonFits: typeof Public.getJson = entry.getJson;
const resolveFits: typeof Public.resolveKind = entry.resolveKind;

describe('kubelab/checker, the entry workshop checker modules import', () => {
  it('exports at run time exactly what its hand-kept types declare', () => {
    const declared = [...readFileSync(join(import.meta.dirname, '../../../types/checker.d.ts'), 'utf8').matchAll(/^export (?:declare (?:function|const) (\w+)|\{ (\w+) \} from)/gm)].map((m) => m[1] ?? m[2]);
    expect(Object.keys(entry).sort()).toEqual(declared.sort());
    expect([defineFits, matchFits, getJsonFits, resolveFits].every(Boolean)).toBe(true);
  });

  it('re-exports zod’s z, so an author installs nothing', () => {
    expect(entry.z.object({ name: entry.z.string() }).safeParse({ name: 'x' }).success).toBe(true);
  });
});
