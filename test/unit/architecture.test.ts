/**
 * The rooms of src/ and which may import which (README, "Development"). Static and dynamic
 * imports both count: a lazy import() is still a dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Folder → the folders it may import besides itself. Files at the top of src/ (errors, paths, version) are open to all. */
const ALLOWED: Record<string, string[]> = {
  engine: [],
  reporters: ['engine'],
  aws: ['engine'],
  providers: ['engine', 'aws'],
  class: ['engine'],
  services: ['engine', 'providers', 'aws', 'class', 'checkers'],
  commands: ['services', 'engine', 'reporters'],
  ui: ['engine', 'services'],
};

/** One deliberate exception: the app service hands the terminal to the UI, loaded lazily. */
const EXCEPTIONS = new Set(['services/app.ts -> ui']);

/** Known violations being removed; the engine cut (issue 10) emptied it. The test fails when one is gone, so the list only shrinks. */
const PENDING = new Set<string>([]);

/** Packages that draw a terminal UI: only src/ui and the class's instructor view (src/class) may load them. */
const UI_PACKAGES = ['ink', 'react', 'ink-testing-library'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)];
  return found.map((m) => m[1]);
}

/** The room a file is in: its first folder under src/ (top-level files: ''); checkers/ for the checkers. */
function roomOf(absolute: string): string {
  const rel = relative(SRC, absolute);
  if (rel.startsWith('..')) return relative(resolve(SRC, '..'), absolute).split('/')[0];
  const parts = rel.split('/');
  return parts.length > 1 ? parts[0] : '';
}

function violations(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const room = roomOf(file);
    const rel = relative(SRC, file);
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) {
        const pkg = spec.split('/')[0];
        if (UI_PACKAGES.includes(pkg) && room !== 'ui' && room !== 'class') found.add(`${rel} -> ${pkg}`);
        continue;
      }
      const target = roomOf(resolve(dirname(file), spec));
      if (!room || !target || target === room || ALLOWED[room]?.includes(target)) continue;
      const key = `${rel} -> ${target}`;
      if (!EXCEPTIONS.has(key)) found.add(key);
    }
  }
  return [...found].sort();
}

describe('import boundaries between the rooms of src/', () => {
  const found = violations();

  it('given every source file, when its imports are read, then each goes only where the README allows', () => {
    expect(found.filter((v) => !PENDING.has(v))).toEqual([]);
  });

  it('given the known violations being removed, when one is gone, then it is taken off the list too', () => {
    const gone = [...PENDING].filter((v) => !found.includes(v));
    expect(gone, 'remove these from PENDING in test/unit/architecture.test.ts').toEqual([]);
  });

  it('given the engine, when its imports are read, then it loads neither ink nor react', () => {
    expect(found.filter((v) => v.startsWith('engine/') && UI_PACKAGES.some((p) => v.endsWith(`-> ${p}`)))).toEqual([]);
  });
});
