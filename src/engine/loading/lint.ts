import { existsSync } from 'node:fs';
import { sourceOfWorkshop } from '../lesson-source.js';
import { planOf } from '../standard-plan.js';
import { join } from 'node:path';
import type { Checker } from '../checker.js';
import { commandPathEscapes, escapeFromFolder } from '../confine.js';
import type { DiagnosticBag } from '../diagnostics.js';
import type { Step, Workshop } from '../types.js';

/** `-f path` / `--filename=path` arguments that point at files shipped with the lesson. */
function referencedFiles(code: string): string[] {
  const files: string[] = [];
  for (const match of code.matchAll(/(?:^|\s)(?:-f|--filename)(?:\s+|=)([^\s;|&]+)/g)) {
    const path = match[1];
    if (path === '-' || path.includes('$') || /^[a-z]+:\/\//.test(path) || path.startsWith('/')) continue;
    files.push(path);
  }
  return files;
}

/**
 * Each check names a known checker and gives it arguments its schema accepts. A checker in
 * `declared` (read from a workshop module, not loaded) is known, and its arguments are checked
 * when it is loaded to run.
 */
export function checkArgs(step: Step, checkers: Map<string, Checker<any>>, bag: DiagnosticBag, declared: ReadonlySet<string> = new Set()): void {
  for (const { check } of planOf(step).checks) {
    const checker = checkers.get(check.checker);
    if (!checker && declared.has(check.checker)) continue;
    if (!checker) {
      bag.error(check.location, `unknown checker "${check.checker}" (known: ${[...checkers.keys(), ...declared].sort().join(', ')})`);
      continue;
    }
    const result = checker.args.safeParse(check.args);
    if (!result.success) {
      for (const issue of result.error.issues) {
        bag.error(check.location, `check "${check.id}" args${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`);
      }
    }
  }
}

/**
 * What only the workshop as a whole can tell: checker ids and args, and files the lessons name.
 * `declared`: ids the workshop's own modules declare (read, not run: their args are checked when
 * the lesson runs).
 */
export function lintWorkshop(workshop: Workshop, checkers: Map<string, Checker<any>>, bag: DiagnosticBag, declared: ReadonlySet<string> = new Set()): void {
  for (const lesson of workshop.lessons) {
    for (const script of [lesson.setup, lesson.cleanup]) {
      if (script && !existsSync(join(lesson.dir, script))) {
        bag.error({ file: lesson.file, line: 2, column: 1 }, `script "${script}" not found in ${lesson.dir}`);
      }
    }
    for (const step of lesson.steps) {
      for (const script of [step.setup, step.cleanup]) {
        if (script && !existsSync(join(lesson.dir, script))) bag.error(step.location, `script "${script}" not found in ${lesson.dir}`);
      }
      checkArgs(step, checkers, bag, declared);
      // A block that must fail with a named output is its own assertion.
      // What the plan runs, and what verifies it: a format's own actions count as commands too.
      const plan = planOf(step);
      const unverified = plan.actions.filter((a) => a.where.never === undefined && (a.kind === 'format' || (a.kind === 'block' && !(step.blocks[a.blockIndex].expect === 'fail' && step.blocks[a.blockIndex].expectOutput !== undefined))));
      if (unverified.length > 0 && plan.checks.length === 0 && !step.unchecked) {
        // A step nothing verifies passes whatever its commands did: say why that is fine, or check it.
        bag.warning(step.location, `step "${step.id}" runs commands but nothing checks what they did: add a check (e.g. resource, command) or say why not with unchecked: "reason"`);
      }
      if (step.challenge && step.blocks.length === 0) bag.warning(step.location, 'a challenge step without commands has no solution to show');
    }
  }
  sourceOfWorkshop(workshop)?.lint?.(workshop, bag);
}

/**
 * The files a workshop's commands name (`cd`, `-f`) are files it ships: kubelab's own format's rule
 * (eks-workshop-v2 pages name files through ~/environment, outside the pages, and use -f for many
 * tools besides kubectl), so its source runs it, not every format.
 */
export function lintCommandPaths(workshop: Workshop, bag: DiagnosticBag): void {
  for (const lesson of workshop.lessons) {
    // Each lesson's commands start in its folder; a `cd` carries over to later blocks, as in the shell.
    let cwd: string | undefined = lesson.dir;
    for (const step of lesson.steps) {
      for (const block of step.blocks) {
        // Where this block starts: files it names are looked for there.
        const startsIn = cwd;
        const paths = commandPathEscapes(workshop.dir, cwd, block.code);
        cwd = paths.cwd;
        for (const problem of paths.problems) {
          // A relative path that climbs out is always wrong (the workshop ships its files); an
          // absolute one is the learner's own machine: said, not refused.
          const what = problem.kind === 'cd' ? 'cd target' : 'command file';
          // At the command's own line: the block's code starts on the line after its fence.
          const at = { ...block.location, line: block.location.line + 1 + (block.codeLines?.[problem.line] ?? problem.line), column: 1 };
          if (problem.absolute) bag.warning(at, `${what} ${problem.why}; the command runs with the learner's permissions`);
          else bag.error(at, `${what} ${problem.why}: a workshop may only use files it ships (or $KUBELAB_WORKSPACE)`);
        }
        const escaping = new Set(paths.problems.map((p) => p.path));
        for (const file of referencedFiles(block.code)) {
          if (startsIn === undefined || escaping.has(file) || escapeFromFolder(workshop.dir, startsIn, file)) continue;
          if (!existsSync(join(startsIn, file))) bag.error(block.location, `the command applies "${file}", which is not in the lesson folder`);
        }
      }
    }
  }
}
