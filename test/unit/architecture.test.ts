/**
 * The rooms of src/ and checkers/, and which may import which: the rules are read from the
 * README's table ("Development"), so the table and what this test enforces cannot drift apart.
 * Static and dynamic imports both count: a lazy import() is still a dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const CHECKERS = join(ROOT, 'checkers');

/** Packages that draw a terminal UI: only src/ui and the class's instructor view (src/class) may load them. */
const UI_PACKAGES = ['ink', 'react', 'ink-testing-library'];

/**
 * The README's import table: room → the rooms it may import. A room is a folder (`engine`,
 * `checkers`) or a top-level file of src/ (`main.ts`). The last row names the shared files, open
 * to every room.
 */
function readTable(): { allowed: Map<string, string[]>; shared: string[] } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('| room | may import');
  expect(start, 'the README keeps its import table under "Development"').toBeGreaterThan(0);
  const rows = readme.slice(start).split('\n').slice(2);
  const allowed = new Map<string, string[]>();
  let shared: string[] = [];
  for (const row of rows) {
    if (!row.startsWith('|')) break;
    const [, left, right] = row.split('|').map((cell) => cell.trim());
    const rooms = [...left.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/$/, ''));
    // "engine, providers, aws" — a note in parentheses or after a dash explains, it is not a room.
    const targets = right.startsWith('nothing else') ? [] : right.replace(/\(.*\)/g, '').split(',').map((t) => t.trim().replace(/\/$/, '')).filter(Boolean);
    if (right.startsWith('nothing else') && rooms.every((r) => r.endsWith('.ts'))) shared = rooms;
    for (const room of rooms) allowed.set(room, targets);
  }
  return { allowed, shared };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module a file names; with `runtimeOnly`, not those it imports for types alone (erased at build). */
function importsOf(file: string, options: { runtimeOnly?: boolean } = {}): string[] {
  let text = readFileSync(file, 'utf8');
  if (options.runtimeOnly) text = text.replace(/(?:^|\n)\s*(?:import|export)\s+type\s[^'"]*?from\s+'[^']+'/g, '');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)];
  return found.map((m) => m[1]);
}

/** The room a file is in: its first folder under src/, its own name at the top of src/, or checkers. */
function roomOf(absolute: string): string {
  const rel = relative(SRC, absolute);
  if (rel.startsWith('..')) return relative(ROOT, absolute).split('/')[0];
  const parts = rel.split('/');
  return parts.length > 1 ? parts[0] : basename(rel).replace(/\.js$/, '.ts');
}

const everyFile = () => [...sourceFiles(SRC), ...sourceFiles(CHECKERS)];

function violations(allowed: Map<string, string[]>, shared: string[]): string[] {
  const found = new Set<string>();
  for (const file of everyFile()) {
    const room = roomOf(file);
    const rel = relative(ROOT, file);
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) {
        const pkg = spec.split('/')[0];
        if (UI_PACKAGES.includes(pkg) && room !== 'ui' && room !== 'class') found.add(`${rel} -> ${pkg}`);
        continue;
      }
      const target = roomOf(resolve(dirname(file), spec));
      if (target === room || shared.includes(target) || allowed.get(room)?.includes(target)) continue;
      found.add(`${rel} -> ${target}`);
    }
  }
  return [...found].sort();
}

describe('import boundaries between the rooms of src/ and checkers/', () => {
  const { allowed, shared } = readTable();
  const found = violations(allowed, shared);

  it('given the README table, when read, then it names the shared files and a row for checkers, main.ts, cli.ts and checker-entry.ts', () => {
    expect(shared.sort()).toEqual(['errors.ts', 'install-root.ts', 'paths.ts', 'version.ts']);
    for (const room of ['checkers', 'main.ts', 'cli.ts', 'checker-entry.ts', 'engine', 'ui', 'commands']) expect(allowed.has(room), room).toBe(true);
    expect(allowed.get('engine')).toEqual([]);
  });

  it('given every source file of src/ and checkers/, when its room is asked, then the README table has a row for it', () => {
    const rooms = new Set(everyFile().map(roomOf));
    expect([...rooms].filter((room) => !allowed.has(room)).sort()).toEqual([]);
  });

  it('given every source file, when its imports are read, then each goes only where the README allows', () => {
    expect(found).toEqual([]);
  });

  it('given the commands, when their imports are read, then only the app command loads the UI (its view), as others load reporters', () => {
    const commandsToUi = sourceFiles(join(SRC, 'commands')).filter((file) => importsOf(file).some((spec) => spec.startsWith('.') && roomOf(resolve(dirname(file), spec)) === 'ui'));
    expect(commandsToUi.map((file) => relative(ROOT, file))).toEqual(['src/commands/app.ts']);
  });

  it('given the engine, when its imports are read, then it loads neither ink nor react', () => {
    expect(found.filter((v) => v.startsWith('src/engine/') && UI_PACKAGES.some((p) => v.endsWith(`-> ${p}`)))).toEqual([]);
  });

  it('given a rule the code breaks, when checked, then the check reports it (the test can fail)', () => {
    const stricter = new Map(allowed);
    stricter.set('checkers', ['engine']);
    stricter.set('main.ts', ['engine']);
    const broken = violations(stricter, shared);
    expect(broken).toContain('checkers/eks/support.ts -> aws');
    expect(broken.some((v) => v.startsWith('src/main.ts -> commands'))).toBe(true);
  });
});

describe('no import cycles (the command declarations and the command modules were one)', () => {
  it('given src/commands, when catalog.ts and declare.ts are read, then neither imports a command module', () => {
    for (const file of ['catalog.ts', 'declare.ts', 'help.ts']) {
      const specs = importsOf(join(SRC, 'commands', file)).filter((s) => s.startsWith('./'));
      expect(specs, file).toEqual(specs.filter((s) => ['./declare.js', './catalog.js', './context.js'].includes(s)));
    }
  });

  it('given every module under src/, when its imports are followed, then no module reaches itself again', () => {
    const files = new Set(everyFile());
    // `./x.js` in an import is ./x.ts or ./x.tsx on disk.
    const onDisk = (js: string) => [js.replace(/\.js$/, '.ts'), js.replace(/\.js$/, '.tsx')].find((f) => files.has(f));
    const graph = new Map<string, string[]>();
    for (const file of files) {
      // A type read both ways (a reducer's state and its selectors) is vocabulary, not a load order.
      const targets = importsOf(file, { runtimeOnly: true })
        .filter((s) => s.startsWith('.'))
        .map((s) => onDisk(resolve(dirname(file), s)));
      graph.set(file, targets.filter((t): t is string => t !== undefined));
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(ROOT, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});

/** The side of the engine a file is on: `loading`, `running`, a format under loading, or the shared vocabulary. */
function engineSide(absolute: string): { side: 'vocabulary' | 'loading' | 'running'; format?: string } {
  const parts = relative(join(SRC, 'engine'), absolute).split('/');
  if (parts[0] === 'loading') return { side: 'loading', ...(parts[1] === 'formats' && { format: parts[2] }) };
  if (parts[0] === 'running') return { side: 'running' };
  return { side: 'vocabulary' };
}

/** Imports inside the engine that cross its rules: the two sides apart, each format apart, formats reached only through the registry. */
function engineCrossings(exceptions: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const file of everyFile()) {
    const inEngine = !relative(join(SRC, 'engine'), file).startsWith('..');
    const from = engineSide(file);
    for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
      const target = resolve(dirname(file), spec);
      if (relative(join(SRC, 'engine'), target).startsWith('..')) continue;
      const to = engineSide(target);
      const rel = `${relative(ROOT, file)} -> ${relative(ROOT, target).replace(/\.js$/, '.ts')}`;
      if (exceptions.includes(relative(ROOT, file))) continue;
      // A format is reached through the registry (loading/sources.ts), never by name.
      if (to.format && from.format !== to.format && !file.endsWith(join('engine', 'loading', 'sources.ts'))) found.push(rel);
      else if (inEngine && from.side === 'vocabulary' && to.side !== 'vocabulary') found.push(rel);
      else if (inEngine && from.side !== to.side && to.side !== 'vocabulary') found.push(rel);
    }
  }
  return found.sort();
}

describe('the engine: its loading side and its running side (README "Development")', () => {
  // The Killercoda verify checker runs that format's scripts: the format's own checker, named here.
  const FORMAT_CHECKERS = ['checkers/script.ts'];

  it('given every import into the engine, when read, then loading and running never import each other, the shared vocabulary imports neither, and a format is reached only through the registry', () => {
    expect(engineCrossings(FORMAT_CHECKERS)).toEqual([]);
  });

  it('given the registry, when read, then every format under loading/formats/ is registered there, one line each', () => {
    const formats = readdirSync(join(SRC, 'engine', 'loading', 'formats'));
    const registry = readFileSync(join(SRC, 'engine', 'loading', 'sources.ts'), 'utf8');
    for (const format of formats) expect(registry, format).toContain(`./formats/${format}/source.js`);
    expect(formats.sort()).toEqual(['docusaurus', 'killercoda', 'kubelab']);
  });

  it('given an import across the sides, when checked, then it is reported (the rule can fail)', () => {
    // Without its exception, the Killercoda checker's use of its format is a crossing.
    expect(engineCrossings([]).some((v) => v.startsWith('checkers/script.ts -> src/engine/loading/formats/killercoda/'))).toBe(true);
  });
});
