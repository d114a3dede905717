import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Token, Tokens } from 'marked';
import { lexBlocks } from '../../markdown-lex.js';
import { isMap, isSeq, parse as parseYaml, parseDocument, YAMLParseError } from 'yaml';
import { DiagnosticBag } from '../../../diagnostics.js';
import { fenceInfo, parseInfoString, RUN_LANGUAGES, type InfoString } from '../../info-string.js';
import { patternProblem } from '../../../pattern.js';
import { locator, slugify, splitFrontmatter } from '../../text.js';
import { blockMarker, segmentsOf, type ShownFence } from '../../render.js';
import { describeZodIssues, frontmatterSchema, stepMetaSchema } from '../../schemas.js';
import { PROVIDER_NAMES, type CheckSpec, type CommandBlock, type Lesson, type ProviderName, type SourceLocation, type Step } from '../../../types.js';

const BLOCK_ATTRIBUTES = new Set(['run', 'norun', 'test', 'timeout', 'expect', 'expectError', 'expectOutput', 'provider', 'confirm', 'wait', 'hook', 'hookTimeout', 'raw']);
export const DEFAULT_BLOCK_TIMEOUT_SECONDS = 120;
export const DEFAULT_CHECK_TIMEOUT_SECONDS = 60;
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 300;

export interface ParsedLesson {
  /** Present whenever the frontmatter could be read, even with other errors, so lint can report everything. */
  lesson?: Lesson;
  diagnostics: DiagnosticBag;
}

function parseProviders(value: string, location: SourceLocation, bag: DiagnosticBag): ProviderName[] | undefined {
  const names = value.split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(PROVIDER_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    bag.error(location, `unknown provider "${unknown.join(', ')}" (providers: ${PROVIDER_NAMES.join(', ')})`);
    return undefined;
  }
  return names as ProviderName[];
}

const HEREDOC = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/**
 * Commands of a block. When any line starts with "$ " (eks-workshop-v2's look), only those lines,
 * their backslash continuations and the bodies of heredocs they open are commands; the rest is
 * sample output. A heredoc body is taken verbatim up to its delimiter line, blank lines and lines
 * starting with "$" included. Unlike eks-workshop-v2's own pages (docs/eks-workshop-v2.md), a
 * blank line does not end the block here: "$ " lines after it run too.
 */
export function commandText(code: string): string {
  return commandLines(code).text;
}

/** The commands of a block (see commandText), with the 0-based line of the block each kept line came from. */
export function commandLines(code: string): { text: string; lines: number[] } {
  const lines = code.split('\n');
  if (!lines.some((l) => l.startsWith('$ '))) return { text: code, lines: lines.map((_, i) => i) };
  const out: string[] = [];
  const from: number[] = [];
  const keep = (text: string, index: number) => {
    out.push(text);
    from.push(index);
  };
  let continuing = false;
  const heredocs: { delimiter: string; tabs: boolean }[] = [];
  const openHeredocs = (line: string) => {
    for (const m of line.matchAll(HEREDOC)) heredocs.push({ delimiter: m[3], tabs: m[1] === '-' });
  };
  for (const [index, line] of lines.entries()) {
    if (heredocs.length) {
      keep(line, index);
      const current = heredocs[0];
      if ((current.tabs ? line.replace(/^\t+/, '') : line) === current.delimiter) heredocs.shift();
      continue;
    }
    if (line.startsWith('$ ')) {
      keep(line.slice(2), index);
      openHeredocs(line);
      continuing = line.endsWith('\\');
    } else if (continuing) {
      keep(line, index);
      openHeredocs(line);
      continuing = line.endsWith('\\');
    }
  }
  return { text: out.join('\n'), lines: from };
}

function positiveSeconds(a: Map<string, string>, key: string, at: (key: string) => SourceLocation, bag: DiagnosticBag): number | undefined {
  if (!a.has(key)) return undefined;
  const n = Number(a.get(key));
  if (!Number.isFinite(n) || n <= 0) {
    bag.error(at(key), `${key} must be a positive number of seconds, got "${a.get(key)}"`);
    return undefined;
  }
  return n;
}

function parseCommandBlock(info: InfoString, code: string, location: SourceLocation, bag: DiagnosticBag, dir: string): CommandBlock {
  const at = (key: string): SourceLocation => ({ ...location, column: location.column + 3 + (info.offsets.get(key) ?? 0) });
  for (const key of info.attributes.keys()) {
    if (!BLOCK_ATTRIBUTES.has(key)) {
      bag.error(at(key), `unknown block attribute "${key}" (known: ${[...BLOCK_ATTRIBUTES].join(', ')})`);
    }
  }
  const a = info.attributes;
  let run = true;
  if (a.has('norun') || a.get('test') === 'false' || a.get('run') === 'false') run = false;
  const timeoutSeconds = positiveSeconds(a, 'timeout', at, bag) ?? DEFAULT_BLOCK_TIMEOUT_SECONDS;
  const waitSeconds = positiveSeconds(a, 'wait', at, bag);
  const hookTimeout = positiveSeconds(a, 'hookTimeout', at, bag);
  let expect: 'success' | 'fail' = 'success';
  if (a.has('expect')) {
    const e = a.get('expect');
    if (e === 'fail' || e === 'success') expect = e;
    else bag.error(at('expect'), `expect must be "fail" or "success", got "${e}"`);
  }
  if (a.get('expectError') === 'true') expect = 'fail';
  const providers = a.has('provider') ? parseProviders(a.get('provider')!, at('provider'), bag) : undefined;
  const confirm = a.get('confirm');
  const expectOutput = a.get('expectOutput');
  if (expectOutput !== undefined && expect !== 'fail') bag.error(at('expectOutput'), 'expectOutput names the failure a block expects: use it with expect=fail');
  const problem = expectOutput === undefined ? undefined : patternProblem(expectOutput);
  if (problem) bag.error(at('expectOutput'), `expectOutput ${expectOutput} is not a valid /pattern/: ${problem} (write a plain substring, or fix the pattern)`);
  const commands = a.get('raw') === 'true' ? { text: code, lines: [] } : commandLines(code);
  const block: CommandBlock = { code: commands.text, run, timeoutSeconds, expect, ...(expectOutput !== undefined && { expectOutput }), providers, confirm, location };
  // `$ ` lines dropped the sample output between them: where each kept line was, for positions.
  if (commands.lines.some((line, i) => line !== i)) block.codeLines = commands.lines;
  if (!run) block.skipReason = 'shown only (norun): run it yourself when the lesson says so';
  if (waitSeconds) block.waitSeconds = waitSeconds;
  const hook = a.get('hook');
  if (a.has('hook') && (!hook || hook === 'true')) bag.error(at('hook'), 'hook needs a name: hook=NAME runs tests/hook-NAME.sh');
  else if (hook) {
    const script = join(dir, 'tests', `hook-${hook}.sh`);
    if (!existsSync(script)) bag.error(at('hook'), `hook=${hook}: tests/hook-${hook}.sh is not in the lesson folder`);
    block.hook = { name: hook, script, timeoutSeconds: hookTimeout ?? DEFAULT_HOOK_TIMEOUT_SECONDS };
  } else if (hookTimeout) bag.error(at('hookTimeout'), 'hookTimeout without hook=NAME does nothing');
  return block;
}

function yamlDiagnostic(error: unknown, blockLocation: SourceLocation, bag: DiagnosticBag, what: string): void {
  if (error instanceof YAMLParseError && error.linePos) {
    const { line, col } = error.linePos[0];
    bag.error({ ...blockLocation, line: blockLocation.line + line, column: col }, `${what}: ${error.message.split('\n')[0]}`);
  } else {
    bag.error(blockLocation, `${what}: ${(error as Error).message}`);
  }
}

interface StepDraft {
  title: string;
  heading: Tokens.Heading;
  location: SourceLocation;
  markdown: string[];
  /** The markdown with a marker where each command block stands (render.ts). */
  render: string[];
  fences: ShownFence[];
  blocks: CommandBlock[];
  meta?: { value: unknown; location: SourceLocation; checkLines: number[] };
}

/**
 * The line of each entry of a step block's `checks:` list, so a problem with a check is shown at
 * that check, not at the block's first line. `fenceLine` is the line of the ``` opening the block.
 */
export function checkLines(yamlText: string, fenceLine: number): number[] {
  const doc = parseDocument(yamlText);
  const checks = isMap(doc.contents) ? doc.contents.get('checks', true) : undefined;
  if (!isSeq(checks)) return [];
  const lineAt = (offset: number) => fenceLine + 1 + (yamlText.slice(0, offset).match(/\n/g)?.length ?? 0);
  return checks.items.map((item) => {
    const start = (item as { range?: [number, number, number] }).range?.[0];
    return start === undefined ? fenceLine : lineAt(start);
  });
}

/**
 * Parses one lesson.md with marked's lexer: frontmatter, then one Step per `##` heading.
 * Every problem goes to the diagnostics with its line; use the lesson only when there is no error.
 */
export function parseLesson(source: string, file: string, dir: string): ParsedLesson {
  const bag = new DiagnosticBag();
  const { yaml, yamlOffset, bodyOffset } = splitFrontmatter(source);
  const locate = locator(source, file);
  const top = locate(0);
  if (yaml === undefined) {
    bag.error(top, yamlOffset === -1 ? 'frontmatter is not closed: add a line "---" after it' : 'missing YAML frontmatter: start the file with "---", id, title, minutes, then "---"');
    return { diagnostics: bag };
  }
  let frontmatter: ReturnType<typeof frontmatterSchema.parse> | undefined;
  try {
    const result = frontmatterSchema.safeParse(parseYaml(yaml) ?? {});
    if (result.success) frontmatter = result.data;
    else for (const m of describeZodIssues(result.error)) bag.error({ file, line: 2, column: 1 }, `frontmatter ${m}`);
  } catch (error) {
    yamlDiagnostic(error, { file, line: 1, column: 1 }, bag, 'frontmatter');
  }

  const body = source.slice(bodyOffset);
  // Block tokens only: the inline pass can take minutes on a crafted paragraph (markdown-lex.ts).
  const tokens = lexBlocks(body);
  const intro: string[] = [];
  const drafts: StepDraft[] = [];
  let offset = bodyOffset;
  for (const token of tokens as Token[]) {
    const location = locate(offset);
    offset += token.raw.length;
    const current = drafts[drafts.length - 1];
    if (token.type === 'heading' && (token as Tokens.Heading).depth === 2) {
      drafts.push({ title: (token as Tokens.Heading).text, heading: token as Tokens.Heading, location, markdown: [], render: [], fences: [], blocks: [] });
      continue;
    }
    if (token.type === 'code') {
      const code = token as Tokens.Code;
      const closed = /(^|\n)\s{0,3}(`{3,}|~{3,})\s*$/.test(code.raw.trimEnd()) && code.raw.trimEnd().split('\n').length > 1;
      if (code.codeBlockStyle !== 'indented' && !closed) {
        bag.error(location, 'code fence is not closed: add a closing ``` line');
      }
      const info = parseInfoString(fenceInfo(code));
      if (info.language === 'yaml' && info.attributes.has('step')) {
        if (!current) {
          bag.error(location, 'a ```yaml step``` block must be inside a step (after a "## " heading)');
        } else if (current.meta) {
          bag.error(location, 'a step has at most one ```yaml step``` block');
        } else {
          try {
            current.meta = { value: parseYaml(code.text) ?? {}, location, checkLines: checkLines(code.text, location.line) };
          } catch (error) {
            yamlDiagnostic(error, location, bag, 'step block');
          }
        }
        continue;
      }
      if (RUN_LANGUAGES.has(info.language)) {
        const block = parseCommandBlock(info, code.text, location, bag, dir);
        if (current) {
          current.render.push(blockMarker(current.blocks.length));
          current.fences.push({ language: info.language, code: code.text });
          current.blocks.push(block);
          current.markdown.push(token.raw);
          continue;
        } else if (block.run) bag.error(location, 'this command block belongs to no step: put it under a "## " heading (or mark it norun to show it only)');
      }
    }
    if (current) {
      current.markdown.push(token.raw);
      current.render.push(token.raw);
    } else intro.push(token.raw);
  }

  const steps: Step[] = [];
  const seen = new Set<string>();
  drafts.forEach((draft, index) => {
    let meta = stepMetaSchema.parse({});
    if (draft.meta) {
      const result = stepMetaSchema.safeParse(draft.meta.value);
      if (result.success) meta = result.data;
      else for (const m of describeZodIssues(result.error)) bag.error(draft.meta.location, `step block ${m}`);
    }
    const id = meta.id ?? slugify(draft.title);
    if (!id) bag.error(draft.location, `step heading "${draft.title}" gives no id: add "id:" in its yaml step block`);
    if (seen.has(id)) bag.error(draft.location, `duplicate step id "${id}" (rename the heading or set "id:" in its yaml step block)`);
    seen.add(id);
    const checkIds = new Map<string, number>();
    const checks: CheckSpec[] = meta.checks.map((entry, index) => {
      const n = (checkIds.get(entry.check) ?? 0) + 1;
      checkIds.set(entry.check, n);
      return {
        id: entry.id ?? (n === 1 ? entry.check : `${entry.check}-${n}`),
        checker: entry.check,
        args: entry.args,
        timeoutSeconds: entry.timeout ?? DEFAULT_CHECK_TIMEOUT_SECONDS,
        ...(entry.expect === 'fail' && { expect: 'fail' as const }),
        providers: entry.providers,
        unprovable: entry.unprovable,
        location: { ...draft.meta!.location, line: draft.meta!.checkLines[index] ?? draft.meta!.location.line },
      };
    });
    const hintChecks = meta.hints.map((h) => (typeof h === 'string' ? undefined : h.check));
    for (const check of hintChecks) {
      if (check && !checks.some((c) => c.id === check)) {
        bag.error(draft.meta!.location, `step block hints: no check "${check}" in this step (its checks: ${checks.map((c) => c.id).join(', ') || 'none'})`);
      }
    }
    steps.push({
      id,
      title: draft.title,
      index,
      markdown: draft.markdown.join('').trim(),
      render: segmentsOf(draft.render.join(''), draft.fences),
      blocks: draft.blocks,
      checks,
      hints: meta.hints.map((h) => (typeof h === 'string' ? h : h.text)),
      ...(hintChecks.some(Boolean) && { hintChecks }),
      ...(meta.hints.some((h) => typeof h !== 'string' && h.providers) && { hintProviders: meta.hints.map((h) => (typeof h === 'string' ? undefined : h.providers)) }),
      challenge: meta.challenge,
      setup: meta.setup,
      cleanup: meta.cleanup,
      ...(meta.unchecked && { unchecked: meta.unchecked }),
      location: draft.location,
    });
  });
  if (steps.length === 0) bag.error(top, 'a lesson needs at least one step: add a "## " heading');

  if (!frontmatter) return { diagnostics: bag };
  return {
    diagnostics: bag,
    lesson: {
      id: frontmatter.id,
      title: frontmatter.title,
      minutes: frontmatter.minutes,
      requires: frontmatter.requires,
      tools: frontmatter.tools,
      providers: frontmatter.providers ?? [...PROVIDER_NAMES],
      dir,
      file,
      intro: intro.join('').trim(),
      render: segmentsOf(intro.join(''), []),
      steps,
      setup: frontmatter.setup,
      cleanup: frontmatter.cleanup,
    },
  };
}
