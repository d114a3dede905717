import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Checker } from '../checker.js';
import { declaredCheckers } from './checker-scan.js';
import { escapeFromFolder } from '../confine.js';
import type { DiagnosticBag } from '../diagnostics.js';

/**
 * Checker modules of a workshop's own: `<workshop>/checkers/*.ts|*.mts|*.mjs|*.js`. Each is
 * bundled with esbuild at load time (no build step for the author), with `kubelab/checker` bound
 * to this installation's entry, and packages the workshop does not install taken from kubelab's
 * own node_modules (zod, @kubernetes/client-node, zx…). A module that does not build, throws on
 * load, or exports a malformed checker is a diagnostic naming its file, never a crash.
 */

const MODULE_FILE = /^[^.].*\.(ts|mts|mjs|js)$/;
const CHECKER_ID = /^[a-z0-9][a-z0-9-]*$/;

/** kubelab's own folder (where package.json says "name": "kubelab"), from wherever this was bundled to. */
export function kubelabRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kubelab') return dir;
      } catch {
        // Not ours; keep climbing.
      }
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find kubelab’s own folder (package.json named "kubelab")');
}

/** The public entry authors import as `kubelab/checker`, built by scripts/build.mjs. */
export function checkerEntry(root = kubelabRoot()): string {
  return join(root, 'dist', 'checker.js');
}

function looksLikeChecker(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && ('run' in value || 'args' in value) && !Array.isArray(value);
}

/** What lint (reading the code) and loading (running it) both know of a checker. */
interface CheckerShape {
  id: unknown;
  run: boolean;
  schema: boolean;
  watch?: boolean;
  pollIntervalMs?: boolean;
}

/** What is wrong with a checker's shape, if anything. */
function shapeProblem(shape: CheckerShape): string | undefined {
  if (typeof shape.id !== 'string' || !CHECKER_ID.test(shape.id)) return `id must be lowercase letters, digits and dashes, got ${JSON.stringify(shape.id)}`;
  if (!shape.run) return `checker "${shape.id}": run must be a function (ctx, args) => result`;
  if (!shape.schema) return `checker "${shape.id}": args is not a zod schema (write args: z.object({ … }) with z from kubelab/checker)`;
  if (shape.watch === false) return `checker "${shape.id}": watch must be a function (args, ctx) => targets`;
  if (shape.pollIntervalMs === false) return `checker "${shape.id}": pollIntervalMs must be a number of milliseconds`;
  return undefined;
}

/** What is wrong with an exported checker, if anything. */
function checkerProblem(value: Record<string, unknown>): string | undefined {
  const args = value.args as { safeParse?: unknown } | undefined;
  return shapeProblem({
    id: value.id,
    run: typeof value.run === 'function',
    schema: !!args && typeof args.safeParse === 'function',
    watch: value.watch === undefined || typeof value.watch === 'function',
    pollIntervalMs: value.pollIntervalMs === undefined || typeof value.pollIntervalMs === 'number' || typeof value.pollIntervalMs === 'function',
  });
}

/** Why `id` cannot be registered for `file` (a built-in's id, or another module's), if it cannot. */
function idConflict(id: string, file: string, ids: ReadonlyMap<string, string>, taken: ReadonlySet<string>): string | undefined {
  if (taken.has(id)) return `checker "${id}" has the id of a built-in checker: choose another id`;
  if (ids.has(id) && ids.get(id) !== file) return `checker "${id}" is also defined in ${ids.get(id)}`;
  return undefined;
}

/** esbuild's first error as file:line:column, so lint points at the author's line. */
function buildLocation(file: string, error: unknown): { line: number; column: number; text: string } {
  const first = (error as { errors?: { text: string; location?: { line: number; column: number; file: string } }[] }).errors?.[0];
  if (first) return { line: first.location?.line ?? 1, column: (first.location?.column ?? 0) + 1, text: first.text };
  return { line: 1, column: 1, text: (error as Error).message?.split('\n')[0] ?? String(error) };
}

/** Bundles one module to `outfile`; returns the code it wrote (esbuild runs nothing of it). */
async function bundle(file: string, outfile: string, root: string, workshopDir: string, write = true): Promise<string> {
  const { build } = await import('esbuild');
  const entry = checkerEntry(root);
  const result = await build({
    entryPoints: [file],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    write,
    plugins: [
      {
        name: 'kubelab-packages',
        setup(b) {
          // The author's own files are bundled only from inside the workshop (see confine.ts).
          b.onResolve({ filter: /^\.{1,2}\// }, (args) => {
            const escape = escapeFromFolder(workshopDir, args.resolveDir, args.path);
            return escape ? { errors: [{ text: `import ${escape}: a checker may only import files the workshop ships, or packages` }] } : undefined;
          });
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData?.kubelabRetry) return undefined;
            if (args.path.startsWith('node:')) return { path: args.path, external: true };
            if (args.path === 'kubelab/checker' || args.path === 'kubelab') {
              if (!existsSync(entry)) return { errors: [{ text: `kubelab/checker is not built at ${entry} (run npm run build in kubelab)` }] };
              return { path: entry, external: true };
            }
            // Packages stay imports that Node loads itself (bundling client-node breaks it): the
            // workshop's own install first, then kubelab's. Only the author's own files are bundled.
            const own = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { kubelabRetry: true } });
            if (own.errors.length === 0) return { path: own.path, external: true };
            const ours = await b.resolve(args.path, { resolveDir: root, kind: args.kind, pluginData: { kubelabRetry: true } });
            if (ours.errors.length === 0) return { path: ours.path, external: true };
            return { errors: [{ text: `cannot find package "${args.path}" in the workshop or in kubelab` }] };
          });
        },
      },
    ],
  });
  return result.outputFiles?.[0]?.text ?? '';
}

/** The module files of `<workshopDir>/checkers`, or none (the bundled workshop's are built-ins). */
async function moduleFiles(workshopDir: string, root: string): Promise<string[]> {
  const folder = join(workshopDir, 'checkers');
  if (!existsSync(folder) || resolve(workshopDir) === root) return [];
  return (await readdir(folder)).filter((f) => MODULE_FILE.test(f) && !f.endsWith('.d.ts') && !/\.test\.[mc]?[jt]s$/.test(f)).sort();
}

/**
 * What `kubelab lint` knows of the workshop's checkers, without running any of their code: each
 * module must build (syntax, imports, confinement), and the checkers it declares are read from
 * the built code. Returns their ids; their argument schemas are applied when lessons run.
 */
export async function inspectWorkshopCheckers(workshopDir: string, bag: DiagnosticBag, taken: ReadonlySet<string>): Promise<Set<string>> {
  const root = kubelabRoot();
  const folder = join(workshopDir, 'checkers');
  const ids = new Map<string, string>();
  const built: string[] = [];
  for (const name of await moduleFiles(workshopDir, root)) {
    const file = join(folder, name);
    const at = (line = 1, column = 1) => ({ file, line, column });
    const escape = escapeFromFolder(workshopDir, folder, name);
    if (escape) {
      bag.error(at(), `checker module ${escape}: a workshop may only run code it ships`);
      continue;
    }
    let code: string;
    try {
      code = await bundle(file, join(tmpdir(), 'kubelab-lint-unused.mjs'), root, workshopDir, false);
    } catch (error) {
      const where = buildLocation(file, error);
      bag.error(at(where.line, where.column), `checker module does not build: ${where.text}`);
      continue;
    }
    built.push(file);
    const declared = declaredCheckers(code);
    if (declared.length === 0) bag.warning(at(), 'checker module exports no checker (export defineChecker({ … }) results, or an array of them)');
    for (const checker of declared) {
      const problem = shapeProblem({ id: checker.id, run: checker.hasRun, schema: !checker.argsLiteral });
      if (problem) {
        bag.error(at(), `${checker.name ? `export "${checker.name}": ` : ''}${problem}`);
        continue;
      }
      const conflict = idConflict(checker.id, file, ids, taken);
      if (conflict) bag.error(at(), conflict);
      else ids.set(checker.id, file);
    }
  }
  const { typeCheckModules } = await import('./checker-types.js');
  await typeCheckModules(built, workshopDir, root, bag);
  return new Set(ids.keys());
}

/**
 * Loads every checker module in `<workshopDir>/checkers`. Problems go to `bag` with the module's
 * path; checkers whose id is already taken (`taken`: the built-ins) are refused.
 */
export async function loadWorkshopCheckers(workshopDir: string, bag: DiagnosticBag, taken: ReadonlySet<string>): Promise<Checker<any>[]> {
  const folder = join(workshopDir, 'checkers');
  const root = kubelabRoot();
  // The bundled workshop is kubelab's own folder, whose checkers/ holds the built-ins.
  const files = await moduleFiles(workshopDir, root);
  if (files.length === 0) return [];
  const scratch = await mkdtemp(join(tmpdir(), 'kubelab-checkers-'));
  const loaded: Checker<any>[] = [];
  const ids = new Map<string, string>();
  try {
    for (const name of files) {
      const file = join(folder, name);
      const at = (line = 1, column = 1) => ({ file, line, column });
      const outfile = join(scratch, `${basename(name).replace(/\.[^.]+$/, '')}.mjs`);
      const escape = escapeFromFolder(workshopDir, folder, name);
      if (escape) {
        bag.error(at(), `checker module ${escape}: a workshop may only run code it ships`);
        continue;
      }
      try {
        await bundle(file, outfile, root, workshopDir);
      } catch (error) {
        const where = buildLocation(file, error);
        bag.error(at(where.line, where.column), `checker module does not build: ${where.text}`);
        continue;
      }
      let exports: Record<string, unknown>;
      try {
        exports = (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;
      } catch (error) {
        bag.error(at(), `checker module throws on load: ${(error as Error).message?.split('\n')[0] ?? String(error)}`);
        continue;
      }
      let found = 0;
      for (const [exportName, value] of Object.entries(exports)) {
        const candidates = Array.isArray(value) ? value.filter(looksLikeChecker) : looksLikeChecker(value) ? [value] : [];
        for (const candidate of candidates) {
          found++;
          const problem = checkerProblem(candidate);
          if (problem) {
            bag.error(at(), `export "${exportName}": ${problem}`);
            continue;
          }
          const id = candidate.id as string;
          const conflict = idConflict(id, file, ids, taken);
          if (conflict) {
            bag.error(at(), conflict);
            continue;
          }
          if (ids.has(id)) continue;
          ids.set(id, file);
          loaded.push({ description: '', ...candidate } as unknown as Checker<any>);
        }
      }
      if (found === 0) bag.warning(at(), 'checker module exports no checker (export defineChecker({ … }) results, or an array of them)');
    }
  } finally {
    // Imported modules live in memory now; their temporary files are not needed.
    await rm(scratch, { recursive: true, force: true });
  }
  return loaded;
}
