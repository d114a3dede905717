import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { escapeFromFolder } from '../../../confine.js';
import { parseDocusaurusPage, type PageContext } from './page.js';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DiagnosticBag } from '../../../diagnostics.js';
import type { LessonSource, LoadedWorkshop } from '../../../lesson-source.js';
import { slugify, splitFrontmatter } from '../../text.js';
import { PROVIDER_NAMES, type Lesson } from '../../../types.js';

/**
 * Opens an eks-workshop-v2 docs tree (Docusaurus) as it is: no workshop.yaml, no edit to its
 * pages. A module folder (website/docs/introduction) or a single page becomes a Workshop whose
 * lessons are its pages in sidebar order. The rules are in docs/eks-workshop-v2.md.
 */

const PAGE_EXTENSIONS = new Set(['.md', '.mdx']);
const INDEX_PAGES = ['index.md', 'index.mdx', '_index.md', 'index.en.md'];

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
  // Pages share folders: a save re-runs the page saved, and the pages whose hooks it is.
  lessonFiles: (lesson) => [lesson.file, ...lesson.steps.flatMap((s) => s.blocks.flatMap((b) => (b.hook ? [b.hook.script] : []))), ...(lesson.suiteHooks?.before ?? []), ...(lesson.suiteHooks?.after ?? [])],
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
