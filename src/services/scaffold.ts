import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseDocument, isSeq } from 'yaml';
import { UsageError } from '../errors.js';
import { controlPlaneBuildScript, scaffoldTemplate } from '../install-root.js';
import { KUBELAB_VERSION } from '../version.js';
import { sourceHash } from '../engine/i18n/lesson-translation.js';

/** What the control plane is built from; the CI cache is keyed on it so a new version rebuilds. */
export interface ControlPlaneVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
}

/** Reads the pinned versions out of scripts/build-control-plane.sh (its defaults are the truth). */
export function controlPlaneVersions(buildScript: string): ControlPlaneVersions {
  const pick = (name: string) => {
    const match = new RegExp(`^${name}_VERSION="\\$\\{KUBELAB_${name}_VERSION:-([^}"]+)\\}"`, 'm').exec(buildScript);
    if (!match) throw new Error(`build-control-plane.sh has no default ${name}_VERSION`);
    return match[1];
  };
  return { kubernetes: pick('K8S'), etcd: pick('ETCD'), kwok: pick('KWOK') };
}

/** A folder or free-text name turned into a workshop or lesson id: lowercase letters, digits, dashes. */
export function toId(name: string): string {
  const id = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  if (!id || !/^[a-z0-9]/.test(id)) throw new UsageError(`"${name}" cannot be made into an id.`, 'Use letters, digits and dashes, e.g. my-workshop');
  return id;
}

const titleOf = (id: string) => id.replace(/^\d+-/, '').split('-').filter(Boolean).map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');

export interface WorkflowOptions {
  kubelabVersion: string;
  versions: ControlPlaneVersions;
}

/**
 * The GitHub Actions workflow for a workshop repository (the same text is in docs/authoring.md).
 * The control plane is compiled from Go once (many minutes) and cached under ~/.cache/kubelab,
 * keyed on its versions; a warm cache makes the build script a no-op.
 */
export async function workflowFile({ kubelabVersion, versions }: WorkflowOptions): Promise<string> {
  return fillTemplate('workshop/github-workflow.yml', {
    KUBELAB_VERSION: kubelabVersion,
    K8S_VERSION: versions.kubernetes,
    ETCD_VERSION: versions.etcd,
    KWOK_VERSION: versions.kwok,
  });
}

/**
 * A file of templates/ (real files: tsc and ESLint check the TypeScript one) with its `__NAME__`
 * placeholders filled. A placeholder without a value, or a value nothing uses, is a bug here.
 */
async function fillTemplate(path: string, values: Readonly<Record<string, string>>): Promise<string> {
  const text = await readFile(scaffoldTemplate(path), 'utf8');
  const used = new Set<string>();
  const filled = text.replace(/__([A-Z0-9_]+)__/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`templates/${path}: no value for __${name}__`);
    used.add(name);
    return value;
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length) throw new Error(`templates/${path} has no __${unused[0]}__`);
  return filled;
}

async function writeNew(path: string, text: string): Promise<void> {
  // 'wx': never overwrite what an author already has.
  await writeFile(path, text, { flag: 'wx' });
}

export interface InitResult {
  dir: string;
  id: string;
  files: string[];
}

/** Refuses a folder that already holds anything but dotfiles (a fresh `git init` is fine). */
export async function initWorkshop(dir: string, options: Partial<WorkflowOptions> & { title?: string } = {}): Promise<InitResult> {
  const workflow: WorkflowOptions = {
    kubelabVersion: options.kubelabVersion ?? KUBELAB_VERSION,
    versions: options.versions ?? controlPlaneVersions(await readFile(controlPlaneBuildScript(), 'utf8')),
  };
  if (existsSync(dir)) {
    const entries = (await readdir(dir)).filter((e) => !e.startsWith('.'));
    if (entries.length) {
      throw new UsageError(`${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}).`, 'Choose a new folder: kubelab init my-workshop');
    }
    if (existsSync(join(dir, '.github', 'workflows', 'kubelab.yml'))) throw new UsageError(`${dir} already has .github/workflows/kubelab.yml.`);
  }
  const id = toId(basename(dir));
  const title = options.title ?? titleOf(id);
  const hello = await fillTemplate('workshop/lessons/01-hello/lesson.md', {});
  const files: [string, string][] = [
    ['workshop.yaml', await fillTemplate('workshop/workshop.yaml', { ID: id, TITLE: JSON.stringify(title) })],
    ['lessons/01-hello/lesson.md', hello],
    // The hello lesson in French beside it: how an author adds a language (translatedFrom: the lesson.md it follows).
    ['lessons/01-hello/lesson.fr.md', await fillTemplate('workshop/lessons/01-hello/lesson.fr.md', { SOURCE_HASH: sourceHash(hello) })],
    ['lessons/01-hello/web.yaml', await fillTemplate('workshop/lessons/01-hello/web.yaml', { NAMESPACE: id })],
    ['checkers/replicas-at-least.ts', await fillTemplate('workshop/checkers/replicas-at-least.ts', {})],
    ['.github/workflows/kubelab.yml', await workflowFile(workflow)],
    ['README.md', await fillTemplate('workshop/README.md', { TITLE: title })],
  ];
  for (const [file, text] of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeNew(join(dir, file), text);
  }
  return { dir, id, files: files.map(([f]) => f) };
}

export interface NewLessonResult {
  folder: string;
  id: string;
  file: string;
}

/**
 * Adds lessons/<folder>/lesson.md and appends the folder to workshop.yaml's list, keeping the
 * author's comments and formatting there. When the existing folders are numbered (01-…, 02-…),
 * the new one takes the next number in the same width.
 */
export async function addLesson(workshopDir: string, name: string): Promise<NewLessonResult> {
  const manifest = join(workshopDir, 'workshop.yaml');
  if (!existsSync(manifest)) throw new UsageError(`${workshopDir} has no workshop.yaml.`, 'Run it in a workshop folder, give --workshop DIR, or start one with: kubelab init DIR');
  const doc = parseDocument(await readFile(manifest, 'utf8'));
  if (doc.errors.length) throw new UsageError(`${manifest}: ${doc.errors[0].message}`, 'Fix it, then run: kubelab lint');
  const lessons = doc.get('lessons');
  if (!isSeq(lessons)) throw new UsageError(`${manifest} has no "lessons:" list.`, 'Add one: lessons: [01-hello]');
  const existing = lessons.items.map((item) => String((item as { value?: unknown }).value ?? item));

  const id = toId(name.replace(/^\d+-/, ''));
  const numbered = existing.map((f) => /^(\d+)-/.exec(f)).filter((m): m is RegExpExecArray => m !== null);
  let folder = toId(name);
  if (!/^\d+-/.test(folder) && existing.length > 0 && numbered.length === existing.length) {
    const next = Math.max(...numbered.map((m) => Number(m[1]))) + 1;
    folder = `${String(next).padStart(numbered[0][1].length, '0')}-${folder}`;
  }
  if (existing.includes(folder)) throw new UsageError(`workshop.yaml already lists the lesson ${folder}.`);
  const lessonDir = join(workshopDir, 'lessons', folder);
  if (existsSync(lessonDir)) throw new UsageError(`${relative(workshopDir, lessonDir)} already exists.`, 'Add it to workshop.yaml\'s lessons list, or choose another name.');

  await mkdir(lessonDir, { recursive: true });
  const file = join(lessonDir, 'lesson.md');
  await writeNew(file, await fillTemplate('lesson/lesson.md', { ID: id, TITLE: titleOf(id) }));
  lessons.add(doc.createNode(folder));
  await writeFile(manifest, doc.toString({ flowCollectionPadding: false }));
  return { folder, id, file };
}
