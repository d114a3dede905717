import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { escapeFromFolder } from './confine.js';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Token, Tokens } from 'marked';
import { lexBlocks } from './markdown-lex.js';
import { parse as parseYaml } from 'yaml';
import { DiagnosticBag } from './diagnostics.js';
import type { LessonSource, LoadedWorkshop } from './lesson-source.js';
import { extractUpstreamCommand, readUpstreamMeta, UPSTREAM_DEFAULT_HOOK_TIMEOUT_SECONDS, UPSTREAM_DEFAULT_TIMEOUT_SECONDS } from './docusaurus-blocks.js';
import { locator, slugify, splitFrontmatter } from './lesson-parser.js';
import { commandNeeds, providerLacks, toolsCalled } from './needs.js';
import { PROVIDER_NAMES, type BlockNeed, type CommandBlock, type Lesson, type ProviderName, type SourceLocation, type Step, type ToolRequirement } from './types.js';

/**
 * Opens an eks-workshop-v2 docs tree (Docusaurus) as it is: no workshop.yaml, no edit to its
 * pages. A module folder (website/docs/introduction) or a single page becomes a Workshop whose
 * lessons are its pages in sidebar order. The rules are in docs/eks-workshop-v2.md.
 */

const PAGE_EXTENSIONS = new Set(['.md', '.mdx']);
const INDEX_PAGES = ['index.md', 'index.mdx', '_index.md', 'index.en.md'];
/** `~/environment/eks-workshop` is their IDE's link to the repository's manifests/ folder. */
const ENVIRONMENT_LINK = '~/environment/eks-workshop';
const DEFAULT_PAGE_MINUTES = 5;

export interface DocusaurusOptions {
  /** KUBELAB_EKS_MANIFESTS overrides where `~/environment/eks-workshop` points. */
  env?: NodeJS.ProcessEnv;
}

export type LoadedDocusaurus = LoadedWorkshop;

/** eks-workshop-v2's pages (a Docusaurus module folder or one page), opened as they are. */
export const docusaurusSource: LessonSource = {
  format: 'docusaurus',
  description: 'eks-workshop-v2 pages (Docusaurus .md/.mdx)',
  detect: (path) => isDocusaurusTree(path),
  load: (path, options) => loadDocusaurusWorkshop(path, options),
};

/**
 * A path kubelab should open as Docusaurus content: a page named on its own, or a folder (without
 * workshop.yaml) with Docusaurus's own markers — a page with frontmatter, or a `_category_` file —
 * in it or one folder down. Any folder of Markdown is not enough: it would be taken for pages to
 * run, and nothing in it would run.
 */
export function isDocusaurusTree(path: string): boolean {
  const root = resolve(path);
  if (!existsSync(root)) return false;
  const stat = statSync(root);
  if (stat.isFile()) return PAGE_EXTENSIONS.has(extname(root));
  if (existsSync(join(root, 'workshop.yaml'))) return false;
  return hasDocusaurusMarkers(root, 1);
}

function hasDocusaurusMarkers(dir: string, depth: number): boolean {
  const entries = readdirSync(dir, { withFileTypes: true });
  const marked = entries.some((e) => e.isFile() && (/^_category_\.(json|ya?ml)$/.test(e.name) || (PAGE_EXTENSIONS.has(extname(e.name)) && startsWithFrontmatter(join(dir, e.name)))));
  if (marked || depth === 0) return marked;
  return entries.some((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && hasDocusaurusMarkers(join(dir, e.name), depth - 1));
}

function startsWithFrontmatter(file: string): boolean {
  try {
    return /^---\r?\n/.test(readFileSync(file, 'utf8').slice(0, 8));
  } catch {
    return false;
  }
}

/**
 * Where `~/environment/eks-workshop` points: the override, else the `manifests/` folder of the
 * repository the content sits in (website/docs/X ↔ manifests/), else the nearest ancestor's
 * `manifests/` folder.
 */
export function findManifestsDir(contentPath: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KUBELAB_EKS_MANIFESTS) return resolve(env.KUBELAB_EKS_MANIFESTS);
  let dir = resolve(contentPath);
  for (;;) {
    const candidate = join(dir, 'manifests');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

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

interface FolderEntry {
  kind: 'page' | 'folder';
  path: string;
  position: number;
  name: string;
}

function frontmatterOf(file: string): Record<string, unknown> {
  const { yaml } = splitFrontmatter(readFileSync(file, 'utf8'));
  if (!yaml) return {};
  try {
    const value = parseYaml(yaml);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** sidebar_position (Docusaurus), else weight (their older Hugo pages); unpositioned last. */
function positionOf(frontmatter: Record<string, unknown>): number {
  for (const key of ['sidebar_position', 'weight']) {
    const n = Number(frontmatter[key]);
    if (frontmatter[key] !== undefined && Number.isFinite(n)) return n;
  }
  return Number.POSITIVE_INFINITY;
}

function indexPage(dir: string): string | undefined {
  return INDEX_PAGES.map((name) => join(dir, name)).find((p) => existsSync(p));
}

function hasPages(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) => (e.isFile() && PAGE_EXTENSIONS.has(extname(e.name))) || (e.isDirectory() && e.name !== 'tests' && !e.name.startsWith('.') && hasPages(join(dir, e.name))));
}

interface OrderedPage {
  file: string;
  /** Folders from the root down to the page's own, for suite hooks and `.notest`. */
  folders: string[];
}

/**
 * Pages in sidebar order: a folder's index page first, then its pages and sub-folders together,
 * by position (a folder's position is its index page's), ties by name — the order a learner
 * reads them in on the website.
 */
function orderPages(dir: string, folders: string[], out: OrderedPage[]): void {
  const index = indexPage(dir);
  const chain = [...folders, dir];
  if (index) out.push({ file: index, folders: chain });
  const entries: FolderEntry[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && PAGE_EXTENSIONS.has(extname(entry.name)) && path !== index) {
      entries.push({ kind: 'page', path, position: positionOf(frontmatterOf(path)), name: entry.name });
    } else if (entry.isDirectory() && entry.name !== 'tests' && !entry.name.startsWith('.') && hasPages(path)) {
      const childIndex = indexPage(path);
      entries.push({ kind: 'folder', path, position: childIndex ? positionOf(frontmatterOf(childIndex)) : Number.POSITIVE_INFINITY, name: entry.name });
    }
  }
  entries.sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.kind === 'page') out.push({ file: entry.path, folders: chain });
    else orderPages(entry.path, chain, out);
  }
}

interface PageContext {
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
    if (!['sh', 'shell', 'console', 'zsh'].includes(language) || !/^\$ /m.test(code.text)) return undefined;
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
function pageSteps(sections: Section[], pageTitle: string, intro: Section): { intro: string; steps: Step[] } {
  const groups: Section[] = [];
  let pending: string[] = [];
  const all = intro.blocks.length ? [{ ...intro, title: pageTitle }, ...sections] : sections;
  for (const section of all) {
    if (section.blocks.length === 0) {
      pending.push(...section.tokens);
      continue;
    }
    groups.push({ ...section, tokens: [...pending, ...section.tokens] });
    pending = [];
  }
  if (pending.length) {
    if (groups.length) groups[groups.length - 1].tokens.push(...pending);
    else groups.push({ title: pageTitle, location: sections[0]?.location ?? intro.location, tokens: pending, blocks: [] });
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
      blocks: group.blocks,
      checks: [],
      hints: [],
      challenge: false,
      location: group.location,
    };
  });
  if (steps.length === 0) {
    // A page of prose only is still a page to read: one step, nothing to run.
    steps.push({ id: slugify(pageTitle) || 'read', title: pageTitle, index: 0, markdown: '', blocks: [], checks: [], hints: [], challenge: false, location: intro.location });
  }
  return { intro: intro.blocks.length ? '' : intro.tokens.join('').trim(), steps };
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
  const intro: Section = { title, location: locate(yaml === undefined ? 0 : bodyOffset), tokens: [], blocks: [] };
  const sections: Section[] = [];
  let offset = yaml === undefined ? 0 : bodyOffset;
  for (const token of tokens) {
    const location = locate(offset);
    offset += token.raw.length;
    const current = sections[sections.length - 1] ?? intro;
    if (token.type === 'heading' && [2, 3].includes((token as Tokens.Heading).depth)) {
      sections.push({ title: (token as Tokens.Heading).text, location, tokens: [token.raw], blocks: [] });
      continue;
    }
    if (token.type === 'paragraph' && MDX_IMPORT.test(token.raw.trim() + '\n')) continue;
    if (token.type === 'code') {
      const block = blockFromFence(token as Tokens.Code, location, { dir }, ctx);
      if (block) current.blocks.push(block);
    }
    current.tokens.push(expandFileDirectives(token, location, ctx));
  }
  const { intro: introText, steps } = pageSteps(sections, title, intro);
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

function lessonId(root: string, file: string, rootIsFile: boolean): string {
  const base = rootIsFile ? dirname(root) : root;
  let rel = relative(base, file).split(sep).join('/').replace(/\.mdx?$/, '');
  rel = rel.replace(/(^|\/)(_?index(\.en)?)$/, '');
  const name = slugify(rel.replace(/\//g, '-'));
  return name || slugify(basename(base)) || 'introduction';
}

/** Loads a module folder or a single page. Never throws for bad content: it is all in diagnostics. */
export async function loadDocusaurusWorkshop(path: string, options: DocusaurusOptions = {}): Promise<LoadedDocusaurus> {
  const root = resolve(path);
  const bag = new DiagnosticBag();
  const rootIsFile = statSync(root).isFile();
  const manifestsDir = findManifestsDir(rootIsFile ? dirname(root) : root, options.env ?? process.env);
  const ordered: OrderedPage[] = [];
  if (rootIsFile) ordered.push({ file: root, folders: [dirname(root)] });
  else orderPages(root, [], ordered);
  if (!manifestsDir) {
    bag.warning({ file: ordered[0]?.file ?? root, line: 1, column: 1 }, 'no manifests/ folder found above this content: ~/environment/eks-workshop paths will not resolve (set KUBELAB_EKS_MANIFESTS to the eks-workshop-v2 manifests folder)');
  }
  const lessons: Lesson[] = [];
  const ids = new Map<string, number>();
  for (const page of ordered) {
    const noTestFolder = page.folders.find((f) => existsSync(join(f, '.notest')));
    const ctx: PageContext = { root, folder: rootIsFile ? dirname(root) : root, manifestsDir, bag, ...(noTestFolder && { notTested: `${relative(root, noTestFolder) || '.'}/.notest marks this folder untested upstream` }) };
    let id = lessonId(root, page.file, rootIsFile);
    const n = (ids.get(id) ?? 0) + 1;
    ids.set(id, n);
    if (n > 1) id = `${id}-${n}`;
    lessons.push(parseDocusaurusPage(await readFile(page.file, 'utf8'), page.file, id, ctx));
  }
  attachSuiteHooks(lessons, ordered, rootIsFile ? dirname(root) : root, bag);
  ruleOutFolders(lessons, ordered);
  const rootTitle = rootIsFile ? lessons[0]?.title : lessons.find((l) => dirname(l.file) === root && INDEX_PAGES.includes(basename(l.file)))?.title;
  return {
    diagnostics: bag,
    workshop: {
      id: slugify(basename(rootIsFile ? dirname(root) : root)) || 'eks-workshop',
      title: rootTitle ?? basename(root),
      description: `eks-workshop-v2 content from ${root}`,
      dir: rootIsFile ? dirname(root) : root,
      variables: manifestsDir ? { KUBELAB_EKS_MANIFESTS: manifestsDir } : {},
      providers: [...PROVIDER_NAMES],
      lessons,
      format: 'docusaurus',
    },
  };
}

/**
 * A module's introduction page that needs AWS (its prepare-environment builds AWS resources) rules
 * out the whole folder: every later page there builds on what it creates.
 */
function ruleOutFolders(lessons: Lesson[], ordered: OrderedPage[]): void {
  lessons.forEach((lesson, i) => {
    if (!lesson.unavailableReason || !INDEX_PAGES.includes(basename(lesson.file))) return;
    const folder = dirname(lesson.file);
    for (let j = i + 1; j < lessons.length; j++) {
      const later = lessons[j];
      if (!ordered[j].folders.includes(folder) || later.unavailableReason) continue;
      later.providers = [...lesson.providers];
      later.unavailableReason = `builds on "${lesson.title}", which ${lesson.unavailableReason}`;
    }
  });
}

/** A folder's tests/hook-suite.sh runs `before` ahead of its first page and `after` behind its last. */
function attachSuiteHooks(lessons: Lesson[], ordered: OrderedPage[], root: string, bag: DiagnosticBag): void {
  const folders = new Set(ordered.flatMap((p) => p.folders));
  for (const folder of folders) {
    const script = join(folder, 'tests', 'hook-suite.sh');
    if (!existsSync(script)) continue;
    // A tests/ or hook-suite.sh symlink leading out is refused like every other script.
    const escape = escapeFromFolder(root, folder, relative(folder, script));
    if (escape) {
      bag.error({ file: script, line: 1, column: 1 }, `suite hook ${escape}: a workshop may only run scripts it ships`);
      continue;
    }
    const inside = ordered.map((p, i) => (p.folders.includes(folder) && !p.folders.some((f) => existsSync(join(f, '.notest'))) ? i : -1)).filter((i) => i >= 0);
    if (inside.length === 0) continue;
    const first = lessons[inside[0]];
    const last = lessons[inside[inside.length - 1]];
    first.suiteHooks ??= { before: [], after: [] };
    first.suiteHooks.before.push(script);
    last.suiteHooks ??= { before: [], after: [] };
    last.suiteHooks.after.unshift(script);
  }
}
