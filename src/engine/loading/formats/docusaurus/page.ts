/**
 * One eks-workshop-v2 page read as a lesson: its command blocks (only what their test tool runs,
 * with its parameters), its steps (cut at its headings), the files its website syntax shows, the
 * tools it calls, and its render model. docusaurus.ts finds and orders the pages.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { Token, Tokens } from 'marked';
import { parse as parseYaml } from 'yaml';
import { escapeFromFolder } from '../../../confine.js';
import type { DiagnosticBag } from '../../../diagnostics.js';
import { SHELL_LANGUAGES } from '../../info-string.js';
import { lexBlocks } from '../../markdown-lex.js';
import { extractUpstreamCommand, readUpstreamMeta, UPSTREAM_DEFAULT_HOOK_TIMEOUT_SECONDS, UPSTREAM_DEFAULT_TIMEOUT_SECONDS } from './blocks.js';
import { docusaurusSegments } from './render.js';
import { locator, slugify, splitFrontmatter } from '../../text.js';
import { commandNeeds, providerLacks, toolsCalled } from '../../../needs.js';
import type { RenderSegment } from '../../../plan.js';
import { blockMarker, fenceLanguage, type ShownFence } from '../../render.js';
import { PROVIDER_NAMES, type BlockNeed, type CommandBlock, type Lesson, type ProviderName, type SourceLocation, type Step, type ToolRequirement } from '../../../types.js';

/** `~/environment/eks-workshop` is their IDE's link to the repository's manifests/ folder. */
const ENVIRONMENT_LINK = '~/environment/eks-workshop';
const DEFAULT_PAGE_MINUTES = 5;

/** Shell-quotes a path only when it needs it, so the command the learner sees stays readable. */
function shellPath(path: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command as it runs here: `~/environment/eks-workshop` becomes the manifests folder, any other
 * `~/environment/...` the learner's kubelab workspace (their IDE's scratch folder).
 */
export function mapEnvironmentPaths(command: string, manifestsDir: string | undefined): string {
  let out = command;
  if (manifestsDir) out = out.split(ENVIRONMENT_LINK).join(shellPath(manifestsDir));
  return out.replace(/~\/environment(?=[/\s"'`;)]|$)/gm, '"$KUBELAB_WORKSPACE/environment"');
}

/** prepare-environment MODULE needs AWS when the module's terraform declares anything to create. */
export function prepareNeeds(command: string, manifestsDir: string | undefined): BlockNeed | undefined {
  const match = /(?:^|[;&|]\s*)prepare-environment(?:[ \t]+([^\s;&|]+))?/m.exec(command);
  if (!match || !match[1] || !manifestsDir) return undefined;
  const tfDir = join(manifestsDir, 'modules', match[1], '.workshop', 'terraform');
  if (!existsSync(tfDir)) return undefined;
  const declares = readdirSync(tfDir)
    .filter((f) => f.endsWith('.tf'))
    .some((f) => /^\s*(resource|module|data)\s+"/m.test(readFileSync(join(tfDir, f), 'utf8')));
  return declares ? { kind: 'aws', reason: `needs AWS: prepare-environment ${match[1]} creates AWS resources with terraform` } : undefined;
}

export interface PageContext {
  root: string;
  /** The workshop folder (the root itself, or the folder of a single page): what it may run stays inside. */
  folder: string;
  manifestsDir?: string;
  /** Why nothing on this page runs (a `.notest` folder), if so. */
  notTested?: string;
  bag: DiagnosticBag;
}

interface Section {
  title: string;
  location: SourceLocation;
  tokens: string[];
  /** The tokens with a marker where each command block stands (render.ts). */
  render: string[];
  fences: ShownFence[];
  blocks: CommandBlock[];
}

/** MDX `import X from '…'` lines: build-time plumbing, neither prose nor commands. */
const MDX_IMPORT = /^(import|export)\s[^\n]*(\n(import|export)\s[^\n]*)*\n*$/;

function blockFromFence(code: Tokens.Code, location: SourceLocation, page: { dir: string }, ctx: PageContext): CommandBlock | undefined {
  const info = (code.lang ?? '').trim();
  const space = info.indexOf(' ');
  const language = space === -1 ? info : info.slice(0, space);
  if (language !== 'bash') {
    // Their test tool runs ```bash blocks only; a prompt in another shell fence is shown, never run.
    if (!SHELL_LANGUAGES.has(language) || !/^\$ /m.test(code.text)) return undefined;
    ctx.bag.warning(location, `a \`\`\`${language} block is never run (only \`\`\`bash blocks are, as in eks-workshop-v2's test tool)`);
    return { code: code.text, run: false, skipReason: `\`\`\`${language} block: only bash blocks run`, timeoutSeconds: UPSTREAM_DEFAULT_TIMEOUT_SECONDS, expect: 'success', location };
  }
  const meta = readUpstreamMeta(space === -1 ? '' : info.slice(space + 1).trim());
  const at = (column: number): SourceLocation => ({ ...location, column: location.column + 3 + language.length + 1 + column });
  for (const ignored of meta.ignored) ctx.bag.warning(at(ignored.column), `block parameter "${ignored.text}" is ignored (${ignored.why}), as eks-workshop-v2's test tool ignores it`);
  const extracted = extractUpstreamCommand(code.text, meta.raw);
  for (const line of extracted.unreadCommandLines) {
    ctx.bag.warning({ ...location, line: location.line + 1 + line, column: 1 }, 'this "$ " line comes after a blank line, so it is never run (their test tool stops reading a block at its first blank line)');
  }
  const timeoutSeconds = Number.isFinite(meta.timeoutSeconds) && meta.timeoutSeconds > 0 ? meta.timeoutSeconds : UPSTREAM_DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isFinite(meta.timeoutSeconds)) ctx.bag.warning(location, `timeout is not a number: the default ${UPSTREAM_DEFAULT_TIMEOUT_SECONDS} s applies`);
  const command = mapEnvironmentPaths(extracted.command, ctx.manifestsDir);
  let run = meta.test && extracted.command.trim().length > 0;
  let skipReason: string | undefined;
  if (!meta.test) skipReason = 'test=false: shown, not run';
  else if (!extracted.command.trim()) skipReason = 'no "$ " line: sample output or a file, not a command';
  if (ctx.notTested && run) {
    run = false;
    skipReason = ctx.notTested;
  }
  const block: CommandBlock = {
    code: command,
    run,
    timeoutSeconds,
    expect: meta.expectError ? 'fail' : 'success',
    location,
    ...(skipReason && { skipReason }),
    ...(meta.waitSeconds > 0 && { waitSeconds: meta.waitSeconds }),
  };
  const needs = prepareNeeds(extracted.command, ctx.manifestsDir) ?? commandNeeds(extracted.command);
  if (needs) block.needs = needs;
  if (meta.hook) {
    const script = join(page.dir, 'tests', `hook-${meta.hook}.sh`);
    // hook=../../x or a tests/ symlink must not make kubelab run a script from outside the workshop.
    const escape = escapeFromFolder(ctx.folder, page.dir, relative(page.dir, script));
    if (escape) {
      ctx.bag.error(location, `hook=${meta.hook}: script ${escape}: a workshop may only run scripts it ships`);
      return block;
    }
    // A warning, not an error: the page still opens and runs; the hook's check fails when it is due.
    if (!existsSync(script)) ctx.bag.warning(location, `hook=${meta.hook}: ${relative(ctx.root, script) || script} does not exist (its check will fail)`);
    const hookNeeds = existsSync(script) ? commandNeeds(readFileSync(script, 'utf8')) : undefined;
    block.hook = {
      name: meta.hook,
      script,
      timeoutSeconds: meta.hookTimeoutSeconds > 0 ? meta.hookTimeoutSeconds : UPSTREAM_DEFAULT_HOOK_TIMEOUT_SECONDS,
      ...(hookNeeds && { needs: hookNeeds }),
    };
  }
  return block;
}

/**
 * Steps of a page: it is cut at every `##` and `###` heading; a section without a command joins
 * the next one as its prose (headings kept), and trailing ones join the last step; commands above
 * the first heading are a step of their own, titled after the page. So every command block is in
 * exactly one step, whatever heading levels the page uses.
 */
function pageSteps(sections: Section[], pageTitle: string, intro: Section): { intro: string; introRender: RenderSegment[]; steps: Step[] } {
  const groups: Section[] = [];
  let pending: string[] = [];
  const all = intro.blocks.length ? [{ ...intro, title: pageTitle }, ...sections] : sections;
  for (const section of all) {
    if (section.blocks.length === 0) {
      pending.push(...section.tokens);
      continue;
    }
    // Sections without commands hold no marker: their tokens are their render text too.
    groups.push({ ...section, tokens: [...pending, ...section.tokens], render: [...pending, ...section.render] });
    pending = [];
  }
  if (pending.length) {
    const last = groups.at(-1);
    if (last) {
      last.tokens.push(...pending);
      last.render.push(...pending);
    } else groups.push({ title: pageTitle, location: sections[0]?.location ?? intro.location, tokens: pending, render: pending, fences: [], blocks: [] });
  }
  const seen = new Map<string, number>();
  const steps = groups.map((group, index): Step => {
    const base = slugify(group.title) || `step-${index + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      id: n === 1 ? base : `${base}-${n}`,
      title: group.title,
      index,
      markdown: group.tokens.join('').trim(),
      render: docusaurusSegments(group.render.join(''), group.fences),
      blocks: group.blocks,
      checks: [],
      hints: [],
      challenge: false,
      location: group.location,
    };
  });
  if (steps.length === 0) {
    // A page of prose only is still a page to read: one step, nothing to run.
    steps.push({ id: slugify(pageTitle) || 'read', title: pageTitle, index: 0, markdown: '', render: [], blocks: [], checks: [], hints: [], challenge: false, location: intro.location });
  }
  const introShown = !intro.blocks.length;
  return { intro: introShown ? intro.tokens.join('').trim() : '', introRender: introShown ? docusaurusSegments(intro.render.join(''), []) : [], steps };
}

const FENCE_LANGUAGES: Record<string, string> = { '.yaml': 'yaml', '.yml': 'yaml', '.json': 'json', '.sh': 'bash', '.py': 'python', '.tf': 'hcl' };

function fencedFile(path: string, title: string): string {
  const text = readFileSync(path, 'utf8').replace(/\n$/, '');
  const fence = text.includes('```') ? '````' : '```';
  return `${title}\n\n${fence}${FENCE_LANGUAGES[extname(path)] ?? ''}\n${text}\n${fence}\n\n`;
}

/**
 * The website's file-showing syntax, resolved once here so the app shows the file itself:
 * `::yaml{file="manifests/…"}`, a ```file block naming a file, a ```kustomization block naming a
 * kustomization and the resource it changes. A file that is not there stays as written, with a warning.
 */
function expandFileDirectives(token: Token, location: SourceLocation, ctx: PageContext): string {
  const repoRoot = ctx.manifestsDir ? dirname(ctx.manifestsDir) : undefined;
  const show = (relativePath: string, base: string | undefined, title: string): string | undefined => {
    if (!base) return undefined;
    const path = resolve(base, relativePath);
    if (!existsSync(path) || !statSync(path).isFile()) {
      ctx.bag.warning(location, `${relativePath} is not in ${base}: shown as written`);
      return undefined;
    }
    return fencedFile(path, title);
  };
  if (token.type === 'paragraph') {
    const directive = /^::yaml\{(.*)\}\s*$/s.exec(token.raw.trim());
    if (!directive) return token.raw;
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(directive[1])?.[1];
    const file = attr('file');
    if (!file) return token.raw;
    return show(file, repoRoot, `**${attr('title') ?? basename(file)}** (\`${file}\`)`) ?? token.raw;
  }
  if (token.type === 'code') {
    const code = token as Tokens.Code;
    const language = (code.lang ?? '').trim().split(/\s+/)[0];
    const [first, second] = code.text.split('\n').map((l) => l.trim());
    if (language === 'file' && first) return show(first, repoRoot, `\`${first}\``) ?? token.raw;
    if (language === 'kustomization' && first) {
      return show(first, ctx.manifestsDir, `Kustomization \`${first}\`${second ? `, which changes ${second}` : ''} (\`kubectl kustomize\` shows the result):`) ?? token.raw;
    }
  }
  return token.raw;
}

/** One page as a lesson. */
export function parseDocusaurusPage(source: string, file: string, id: string, ctx: PageContext): Lesson {
  const locate = locator(source, file);
  const { yaml, bodyOffset } = splitFrontmatter(source);
  let frontmatter: Record<string, unknown> = {};
  if (yaml === undefined) {
    ctx.bag.warning(locate(0), 'no frontmatter: eks-workshop-v2\'s test tool refuses such a page; kubelab takes its title from the first heading');
  } else {
    try {
      const value = parseYaml(yaml);
      if (value && typeof value === 'object') frontmatter = value as Record<string, unknown>;
    } catch (error) {
      ctx.bag.error({ file, line: 2, column: 1 }, `frontmatter is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const body = source.slice(yaml === undefined ? 0 : bodyOffset);
  // Block tokens only: the inline pass can take minutes on a crafted paragraph (markdown-lex.ts).
  const tokens = lexBlocks(body);
  const firstHeading = tokens.find((t): t is Tokens.Heading => t.type === 'heading' && (t as Tokens.Heading).depth === 1);
  const title = typeof frontmatter.title === 'string' && frontmatter.title ? frontmatter.title : (firstHeading?.text ?? basename(file, extname(file)));
  const dir = dirname(file);
  const intro: Section = { title, location: locate(yaml === undefined ? 0 : bodyOffset), tokens: [], render: [], fences: [], blocks: [] };
  const sections: Section[] = [];
  let offset = yaml === undefined ? 0 : bodyOffset;
  for (const token of tokens) {
    const location = locate(offset);
    offset += token.raw.length;
    const current = sections[sections.length - 1] ?? intro;
    if (token.type === 'heading' && [2, 3].includes((token as Tokens.Heading).depth)) {
      sections.push({ title: (token as Tokens.Heading).text, location, tokens: [token.raw], render: [token.raw], fences: [], blocks: [] });
      continue;
    }
    if (token.type === 'paragraph' && MDX_IMPORT.test(token.raw.trim() + '\n')) continue;
    const block = token.type === 'code' ? blockFromFence(token as Tokens.Code, location, { dir }, ctx) : undefined;
    const shown = expandFileDirectives(token, location, ctx);
    current.tokens.push(shown);
    if (block) {
      current.render.push(blockMarker(current.blocks.length));
      current.fences.push({ language: fenceLanguage((token as Tokens.Code).lang), code: (token as Tokens.Code).text });
      current.blocks.push(block);
    } else current.render.push(shown);
  }
  const { intro: introText, introRender, steps } = pageSteps(sections, title, intro);
  const needsAws = steps.flatMap((s) => s.blocks).find((b) => b.run && b.needs?.kind === 'aws');
  return {
    id,
    title,
    minutes: Math.max(DEFAULT_PAGE_MINUTES, steps.reduce((n, s) => n + s.blocks.filter((b) => b.run).length, 0)),
    requires: [],
    tools: pageTools(steps),
    // A page that calls AWS builds on what it creates: on a laptop cluster none of it can run.
    providers: needsAws ? PROVIDER_NAMES.filter((p) => p !== 'local' && p !== 'kind') : [...PROVIDER_NAMES],
    ...(needsAws && { unavailableReason: needsAws.needs!.reason }),
    dir,
    file,
    intro: introText,
    render: introRender,
    steps,
  };
}

/**
 * Tools the page's runnable commands and hooks call, each needed only on the providers where those
 * commands run (eksctl is not missing on a laptop cluster that will not run it anyway).
 */
function pageTools(steps: Step[]): ToolRequirement[] {
  const where = new Map<string, Set<ProviderName>>();
  const add = (text: string, need: BlockNeed | undefined) => {
    for (const tool of toolsCalled(text)) {
      const set = where.get(tool) ?? new Set<ProviderName>();
      for (const p of PROVIDER_NAMES) if (!providerLacks(need, p)) set.add(p);
      where.set(tool, set);
    }
  };
  for (const block of steps.flatMap((s) => s.blocks)) {
    if (!block.run) continue;
    add(block.code, block.needs);
    if (block.hook && existsSync(block.hook.script)) add(readFileSync(block.hook.script, 'utf8'), block.hook.needs ?? block.needs);
  }
  return [...where].filter(([, set]) => set.size > 0).map(([name, set]) => (set.size === PROVIDER_NAMES.length ? { name } : { name, providers: [...set] }));
}
