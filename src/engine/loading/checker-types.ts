/**
 * Type-checks a workshop's TypeScript checker modules for `kubelab lint`, with the TypeScript
 * compiler the workshop installs (or the one beside kubelab), without running them:
 * `kubelab/checker` resolves to kubelab's own declarations, so a checker whose `run` misuses its
 * args or returns the wrong shape is a lint error at its line. Without a TypeScript compiler to
 * hand, only the build (syntax, imports) is checked.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagnosticBag } from '../diagnostics.js';

/** Module-resolution complaints: the build already checked imports, with the workshop's own rules. */
const RESOLUTION_CODES = new Set([2307, 2792, 7016]);

function resolveCompiler(dirs: string[]): string | undefined {
  for (const dir of dirs) {
    try {
      return createRequire(join(dir, 'package.json')).resolve('typescript');
    } catch {
      // Not installed there.
    }
  }
  return undefined;
}

export async function typeCheckModules(files: string[], workshopDir: string, kubelabDir: string, bag: DiagnosticBag): Promise<void> {
  const typed = files.filter((f) => /\.m?ts$/.test(f));
  const declarations = join(kubelabDir, 'types', 'checker.d.ts');
  const compiler = typed.length && existsSync(declarations) ? resolveCompiler([workshopDir, kubelabDir]) : undefined;
  if (!compiler) return;
  const loaded = (await import(pathToFileURL(compiler).href)) as { default?: typeof import('typescript') } & typeof import('typescript');
  const ts = loaded.default ?? loaded;
  const program = ts.createProgram(typed, {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    paths: { 'kubelab/checker': [declarations], kubelab: [declarations] },
  });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (!d.file || !typed.includes(d.file.fileName) || d.category !== ts.DiagnosticCategory.Error || RESOLUTION_CODES.has(d.code)) continue;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    bag.error({ file: d.file.fileName, line: line + 1, column: character + 1 }, `type error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')} (TS${d.code})`);
  }
}
