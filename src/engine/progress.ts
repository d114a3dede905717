import { existsSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { stateDir } from '../paths.js';
import { writeFileAtomic } from './atomic.js';
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

/** A missing file is a fresh start; a corrupt one is moved aside with a warning, never a crash. */
export async function loadProgress(workshopId: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedProgress> {
  const file = progressFile(workshopId, env);
  if (!existsSync(file)) return { progress: emptyProgress(workshopId) };
  const text = await readFile(file, 'utf8');
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

export async function saveProgress(progress: Progress, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await writeFileAtomic(progressFile(progress.workshop, env), `${JSON.stringify(progress, null, 2)}\n`);
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
