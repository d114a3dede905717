import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { EnvironmentError } from '../errors.js';
import { stateDir } from '../paths.js';
import { writeFileAtomic } from './atomic.js';
import { Redactor } from './redact.js';
import { isStepDone } from './types.js';

export const PROGRESS_SCHEMA_VERSION = 1;

const stepProgressSchema = z.object({
  status: z.enum(['passed', 'failed', 'skipped', 'in-progress']),
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
});

export type StepProgress = z.infer<typeof stepProgressSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type LessonState = 'done' | 'in-progress' | 'not-started';

export interface LoadedProgress {
  progress: Progress;
  /** Set when a corrupt file was moved aside: say so to the learner. */
  warning?: string;
}

export function progressFile(workshopId: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'progress', `${workshopId}.json`);
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
export async function loadProgress(workshopId: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedProgress> {
  const file = progressFile(workshopId, env);
  await removeStaleTempFiles(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress(workshopId) };
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
export async function saveProgress(progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = progressFile(progress.workshop, env);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw unusable(file, error);
  });
  const version = existing === undefined ? undefined : claimedVersion(existing);
  if (version !== undefined && version > PROGRESS_SCHEMA_VERSION) return;
  try {
    await writeFileAtomic(file, `${JSON.stringify(Redactor.fromEnv(env).value(progress), null, 2)}\n`);
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
