import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { EnvironmentError } from '../../errors.js';
import { stateDir } from '../../paths.js';
import { writeFileAtomic } from './atomic.js';
import { Redactor } from './redact.js';
import { isStepDone } from '../types.js';

export const PROGRESS_SCHEMA_VERSION = 1;

const stepProgressSchema = z.object({
  /** 'caught-up': `kubelab catch-up` ran it for the learner; done, but not passed by them. */
  status: z.enum(['passed', 'failed', 'skipped', 'in-progress', 'caught-up']),
  updatedAt: z.string(),
  hintsRevealed: z.number().int().nonnegative().default(0),
  solutionShown: z.boolean().default(false),
});
const progressSchema = z.object({
  schemaVersion: z.literal(PROGRESS_SCHEMA_VERSION),
  workshop: z.string(),
  provider: z.string().optional(),
  current: z.object({ lessonId: z.string(), stepId: z.string() }).optional(),
  steps: z.record(z.record(stepProgressSchema)).default({}),
  /** The language the learner switched to in the app (en, fr): kept with their progress. */
  language: z.string().optional(),
  /** The cluster's name, in files kept per cluster. */
  cluster: z.string().optional(),
  /** Counts the writes: a writer that read revision 4 and finds 5 knows someone else wrote meanwhile. */
  revision: z.number().int().nonnegative().optional(),
});

export type StepProgress = z.infer<typeof stepProgressSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type LessonState = 'done' | 'in-progress' | 'not-started';

export interface LoadedProgress {
  progress: Progress;
  /** Set when a corrupt file was moved aside: say so to the learner. */
  warning?: string;
}

/**
 * Whose progress: a workshop's progress belongs to one cluster (provider and name), so a learner's
 * `--name walk2` starts fresh instead of inheriting what they did on "kubelab".
 */
export interface ClusterKey {
  provider: string;
  name: string;
  /** The provider's usual name: progress kept before clusters had their own files was for this one. */
  isDefault: boolean;
}

const fileSafe = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, '_');

/** `progress/<workshop>/<provider>-<name>.json`; without a key, the file of kubelab versions before keys. */
export function progressFile(workshopId: string, env: NodeJS.ProcessEnv = process.env, key?: ClusterKey): string {
  if (!key) return join(stateDir(env), 'progress', `${workshopId}.json`);
  return join(stateDir(env), 'progress', fileSafe(workshopId), `${fileSafe(key.provider)}-${fileSafe(key.name)}.json`);
}

/**
 * The cluster the learner used last with this workshop: the newest cluster file, else the provider
 * the file of older versions remembered. Read before a provider is chosen.
 */
export async function lastUsedCluster(workshopId: string, env: NodeJS.ProcessEnv = process.env): Promise<{ provider?: string; name?: string }> {
  const dir = join(stateDir(env), 'progress', fileSafe(workshopId));
  const names = await readdir(dir).catch(() => [] as string[]);
  const dated = await Promise.all(
    names.filter((n) => n.endsWith('.json')).map(async (n) => ({ n, mtime: await stat(join(dir, n)).then((st) => st.mtimeMs, () => 0) })),
  );
  const newest = dated.sort((a, b) => b.mtime - a.mtime)[0];
  if (newest) {
    const text = await readFile(join(dir, newest.n), 'utf8').catch(() => '');
    const saved = (() => {
      try {
        return JSON.parse(text) as { provider?: string; cluster?: string };
      } catch {
        return {};
      }
    })();
    if (saved.provider) return { provider: saved.provider, ...(saved.cluster && { name: saved.cluster }) };
  }
  const legacy = await readFile(progressFile(workshopId, env), 'utf8').catch(() => undefined);
  try {
    return { provider: legacy ? (JSON.parse(legacy) as { provider?: string }).provider : undefined };
  } catch {
    return {};
  }
}

export function emptyProgress(workshopId: string): Progress {
  return { schemaVersion: PROGRESS_SCHEMA_VERSION, workshop: workshopId, steps: {} };
}

/** A temp file older than this is an interrupted write even if its pid now names another process. */
const STALE_TEMP_MS = 10 * 60_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `<file>.<pid>.<random>.tmp` files that writes interrupted by a crash or kill -9 left
 * behind; a temp file of a kubelab still running (its pid alive, written recently) is kept.
 */
async function removeStaleTempFiles(file: string): Promise<void> {
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!match) continue;
    const path = join(dirname(file), name);
    const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => undefined);
    if (age === undefined) continue;
    if (isRunning(Number(match[1])) && age < STALE_TEMP_MS) continue;
    await rm(path, { force: true }).catch(() => undefined);
  }
}

/** The progress path is unusable (a directory, no permission): the learner's environment, exit 3. */
function unusable(file: string, error: unknown): EnvironmentError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EISDIR' ? 'is a directory' : code === 'EACCES' || code === 'EPERM' ? 'is not readable and writable by you' : `cannot be used (${code ?? (error as Error).message})`;
  return new EnvironmentError(`The progress file ${file} ${why}.`, `Move it away, or set KUBELAB_STATE_DIR to another folder.`);
}

/** The revision a progress file's text holds (0 for files written before revisions). */
export function readRevision(text: string): number | undefined {
  try {
    const revision = (JSON.parse(text) as { revision?: unknown } | null)?.revision;
    return typeof revision === 'number' ? revision : 0;
  } catch {
    return undefined;
  }
}

/** The schemaVersion a file claims, if it is a JSON object with a numeric one. */
function claimedVersion(text: string): number | undefined {
  try {
    const version = (JSON.parse(text) as { schemaVersion?: unknown } | null)?.schemaVersion;
    return typeof version === 'number' ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A missing file is a fresh start; a corrupt one is moved aside with a warning, never a crash.
 * One written by a newer kubelab is left exactly as it is (this version cannot read it, a newer one
 * still can): progress starts fresh and is not saved over it.
 */
export async function loadProgress(workshopId: string, env: NodeJS.ProcessEnv = process.env, key?: ClusterKey): Promise<LoadedProgress> {
  const loaded = await loadProgressFile(progressFile(workshopId, env, key), workshopId);
  if (loaded || !key) return withKey(loaded ?? { progress: emptyProgress(workshopId) }, key);
  // No file for this cluster yet: progress from before clusters had files was its, when it was the
  // provider's usual cluster. The old file is read, never moved: an older kubelab still finds it.
  const legacy = await loadProgressFile(progressFile(workshopId, env), workshopId);
  const legacyProvider = legacy?.progress.provider ?? 'local';
  if (legacy && key.isDefault && legacyProvider === key.provider) return withKey({ ...legacy, progress: { ...legacy.progress, revision: undefined } }, key);
  return withKey({ progress: emptyProgress(workshopId) }, key);
}

/** The progress as it belongs to a cluster: its provider and (in the file) its name. */
function withKey(loaded: LoadedProgress, key: ClusterKey | undefined): LoadedProgress {
  if (!key) return loaded;
  return { ...loaded, progress: { ...loaded.progress, provider: key.provider, cluster: key.name } };
}

/** One progress file; undefined when there is none. */
async function loadProgressFile(file: string, workshopId: string): Promise<LoadedProgress | undefined> {
  await removeStaleTempFiles(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unusable(file, error);
  }
  const version = claimedVersion(text);
  if (version !== undefined && version > PROGRESS_SCHEMA_VERSION) {
    return {
      progress: emptyProgress(workshopId),
      warning: `Your progress file ${file} was written by a newer kubelab (schema ${version}; this one reads ${PROGRESS_SCHEMA_VERSION}). It is left untouched and progress in this session is not saved: update kubelab to continue where you were.`,
    };
  }
  let problem: string;
  try {
    const result = progressSchema.safeParse(JSON.parse(text));
    if (result.success) return { progress: result.data };
    problem = result.error.issues[0]?.message ?? 'unexpected content';
  } catch (error) {
    problem = (error as Error).message;
  }
  const aside = `${file}.corrupt-${Date.now()}`;
  await rename(file, aside);
  return { progress: emptyProgress(workshopId), warning: `Your progress file was unreadable (${problem}); it was moved to ${aside} and progress starts fresh.` };
}

/**
 * Writes progress atomically, redacted like every other thing kubelab writes. Never replaces a file
 * a newer kubelab wrote (loadProgress warned about it).
 */
export async function saveProgress(progress: Progress, env: NodeJS.ProcessEnv = process.env, key?: ClusterKey): Promise<number | undefined> {
  const file = progressFile(progress.workshop, env, key);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw unusable(file, error);
  });
  const version = existing === undefined ? undefined : claimedVersion(existing);
  if (version !== undefined && version > PROGRESS_SCHEMA_VERSION) return undefined;
  const revision = existing === undefined ? 0 : (readRevision(existing) ?? 0);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(Redactor.fromEnv(env).value({ ...progress, revision: revision + 1 }), null, 2)}\n`);
    return revision + 1;
  } catch (error) {
    throw unusable(file, error);
  }
}

export function stepProgress(progress: Progress, lessonId: string, stepId: string): StepProgress | undefined {
  return progress.steps[lessonId]?.[stepId];
}

export function updateStep(progress: Progress, lessonId: string, stepId: string, change: Partial<StepProgress>): Progress {
  const lesson = progress.steps[lessonId] ?? {};
  const before = lesson[stepId] ?? { status: 'in-progress' as const, updatedAt: '', hintsRevealed: 0, solutionShown: false };
  return {
    ...progress,
    current: { lessonId, stepId },
    steps: { ...progress.steps, [lessonId]: { ...lesson, [stepId]: { ...before, ...change, updatedAt: new Date().toISOString() } } },
  };
}

export function lessonState(progress: Progress, lessonId: string, stepIds: string[]): LessonState {
  const steps = progress.steps[lessonId] ?? {};
  const finished = stepIds.filter((id) => isStepDone(steps[id]?.status)).length;
  if (finished === stepIds.length && stepIds.length > 0) return 'done';
  return Object.keys(steps).length > 0 ? 'in-progress' : 'not-started';
}

export function resetLesson(progress: Progress, lessonId: string): Progress {
  const steps = { ...progress.steps };
  delete steps[lessonId];
  const current = progress.current?.lessonId === lessonId ? undefined : progress.current;
  return { ...progress, steps, current };
}
