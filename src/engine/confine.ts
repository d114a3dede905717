/**
 * A workshop is code a learner downloads: the files kubelab reads or runs for it (lesson folders,
 * setup and cleanup scripts, manifests its commands apply) must stay inside its folder. Paths are
 * judged after resolving symlinks, so a link pointing out of the folder is refused too.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { DiagnosticBag } from './diagnostics.js';
import { commandWords, shellCommands } from './shell-words.js';
import type { Lesson } from './types.js';

/** `path` is `root` or inside it (both already absolute and resolved). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `path`, or of its nearest existing parent with the rest appended (it may not exist yet). */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(realPath(parent), path.slice(parent.length).replace(/^[/\\]/, ''));
  }
}

/**
 * Why `target` (relative to `base`, or absolute) is not inside `root`, or undefined when it is.
 * Both the path as written and the path after following symlinks must stay inside.
 */
export function escapeFromFolder(root: string, base: string, target: string): string | undefined {
  const written = resolve(base, target);
  const realRoot = realPath(root);
  if (!isWithin(resolve(root), written) && !isWithin(realRoot, written)) return `"${target}" is outside the workshop folder ${root}`;
  const real = realPath(written);
  if (!isWithin(realRoot, real)) return `"${target}" leads outside the workshop folder ${root} (through a symlink, to ${real})`;
  return undefined;
}

/** The first line (1-based) of `source` that holds `needle`, else `fallback`. */
function lineOf(source: string, needle: RegExp, fallback: number): number {
  const index = source.split('\n').findIndex((l) => needle.test(l));
  return index < 0 ? fallback : index + 1;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A lesson's setup and cleanup scripts (its own and its steps') must be inside the workshop:
 * validate and the app run them with node.
 */
export function checkLessonScripts(root: string, lesson: Lesson, source: string, bag: DiagnosticBag): void {
  for (const [key, script] of [['setup', lesson.setup], ['cleanup', lesson.cleanup]] as const) {
    if (!script) continue;
    const why = escapeFromFolder(root, lesson.dir, script);
    if (why) bag.error({ file: lesson.file, line: lineOf(source, new RegExp(`^${key}\\s*:`), 2), column: 1 }, `lesson ${key} script ${why}: a workshop may only run scripts it ships`);
  }
  for (const step of lesson.steps) {
    for (const [key, script] of [['setup', step.setup], ['cleanup', step.cleanup]] as const) {
      if (!script) continue;
      const why = escapeFromFolder(root, lesson.dir, script);
      const line = lineOf(source.split('\n').slice(step.location.line - 1).join('\n'), new RegExp(`^\\s*${key}\\s*:\\s*["']?${escapeRegExp(script)}`), 1) + step.location.line - 1;
      if (why) bag.error({ file: lesson.file, line, column: 1 }, `step "${step.id}" ${key} script ${why}: a workshop may only run scripts it ships`);
    }
  }
}

/**
 * A block's `hook=NAME` script (tests/hook-NAME.sh, run with bash before and after the block)
 * must be inside the workshop like any other script: `hook=../../x` and a tests/ symlink that
 * leads out are errors at the block's line, and the hook is dropped so nothing can run it.
 */
export function checkBlockHooks(root: string, lesson: Lesson, bag: DiagnosticBag): void {
  for (const step of lesson.steps) {
    for (const block of step.blocks) {
      if (!block.hook) continue;
      const why = escapeFromFolder(root, lesson.dir, relative(lesson.dir, block.hook.script));
      if (!why) continue;
      bag.error(block.location, `hook=${block.hook.name}: script ${why}: a workshop may only run scripts it ships`);
      delete block.hook;
    }
  }
}

/** A `lessons:` entry of workshop.yaml must name a folder inside the workshop (symlinks followed). */
export function checkLessonFolder(root: string, manifest: string, manifestSource: string, folder: string, bag: DiagnosticBag): boolean {
  const lessons = resolve(root, 'lessons');
  const why = escapeFromFolder(root, lessons, folder) ?? escapeFromFolder(root, lessons, `${folder}/lesson.md`);
  if (!why) return true;
  bag.error({ file: manifest, line: lineOf(manifestSource, new RegExp(escapeRegExp(folder)), 1), column: 1 }, `lesson folder ${why}: lessons must live inside the workshop`);
  return false;
}

export interface CommandPathProblem {
  /** A `cd` target, or a file a tool reads (-f, --filename, -k, --kustomize). */
  kind: 'cd' | 'file';
  path: string;
  why: string;
  absolute: boolean;
  /** The 0-based line of the block where the command starts. */
  line: number;
}

const MANIFEST_TOOLS = /^(kubectl|k|kustomize|eksctl|helm|oc|kubeconform|kubeval)$/;

/**
 * What a command block would make kubectl (or any tool) read from outside the workshop: `-f`,
 * `--filename`, `-k`/`--kustomize` paths and `cd` targets, followed from block to block as the shell
 * would (each lesson starts in its folder; a `cd` inside `( … )` ends with it). Commands are read
 * with a shell tokenizer, through `sudo`, `env`, `time` and `NAME=value` prefixes. Paths with
 * variables are not followed (they are the learner's values, e.g. $KUBELAB_WORKSPACE); URLs are not files.
 */
export function commandPathEscapes(root: string, cwd: string | undefined, code: string): { cwd: string | undefined; problems: CommandPathProblem[] } {
  const problems: CommandPathProblem[] = [];
  const outer: (string | undefined)[] = [];
  for (const item of shellCommands(code)) {
    if (item.kind === 'subshell-start') {
      outer.push(cwd);
      continue;
    }
    if (item.kind === 'subshell-end') {
      if (outer.length) cwd = outer.pop();
      continue;
    }
    const words = commandWords(item.words);
    const tool = words[0]?.text ?? '';
    if (tool === 'cd' || tool === 'pushd') {
      const target = words.slice(1).find((w) => !/^-[LPe@]+$/.test(w.text));
      if (!target || target.expands || target.text.startsWith('~') || target.text === '-') {
        // `cd "$KUBELAB_WORKSPACE"`: somewhere only the run knows; relative paths after it are not judged.
        cwd = undefined;
        continue;
      }
      if (cwd === undefined && !isAbsolute(target.text)) continue;
      const base: string = cwd ?? root;
      const why = escapeFromFolder(root, base, target.text);
      if (why) problems.push({ kind: 'cd', path: target.text, why, absolute: isAbsolute(target.text), line: item.line });
      // Followed even out of the folder: what the next commands read is judged from where they run.
      cwd = resolve(base, target.text);
      continue;
    }
    // Only tools whose -f/-k read manifests (for `tail -f` or `curl -k` they mean something else).
    if (!MANIFEST_TOOLS.test(basename(tool))) continue;
    for (const [i, word] of words.entries()) {
      const flag = /^(-f|--filename|-k|--kustomize)(?:=(.*))?$/.exec(word.text);
      if (!flag) continue;
      const value = flag[2] !== undefined ? word : words[i + 1];
      const path = flag[2] ?? value?.text;
      if (!path || !value || value.expands || path === '-' || path.startsWith('~') || /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) continue;
      if (cwd === undefined && !isAbsolute(path)) continue;
      const why = escapeFromFolder(root, cwd ?? root, path);
      if (why) problems.push({ kind: 'file', path, why, absolute: isAbsolute(path), line: item.line });
    }
  }
  return { cwd, problems };
}
