/**
 * The last step the learner ran in the app — its commands, their output and its check results —
 * kept in the state folder so `kubelab bundle` from another terminal can include it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../engine/running/atomic.js';
import { Redactor } from '../engine/running/redact.js';
import type { CheckResult } from '../engine/types.js';
import { stateDir } from '../paths.js';

export interface LastStepRecord {
  at: string;
  lessonId: string;
  stepId: string;
  title: string;
  status: string;
  message?: string;
  blocks: { code: string; output: string[] }[];
  checks: ({ id: string; durationMs?: number } & CheckResult)[];
}

/** Output lines kept per block: the end is what says what went wrong. */
export const LAST_STEP_LINES = 200;

const lastStepFile = (workshopId: string, env: NodeJS.ProcessEnv) => join(stateDir(env), 'last-step', `${workshopId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);

/** Written redacted (again: the lines were redacted as they were shown). */
export async function writeLastStep(workshopId: string, record: LastStepRecord, env: NodeJS.ProcessEnv, redactor = Redactor.fromEnv(env)): Promise<void> {
  const kept = { ...record, blocks: record.blocks.map((b) => ({ ...b, output: b.output.slice(-LAST_STEP_LINES) })) };
  await writeFileAtomic(lastStepFile(workshopId, env), `${JSON.stringify(redactor.value(kept), null, 2)}\n`);
}

export async function readLastStep(workshopId: string, env: NodeJS.ProcessEnv): Promise<LastStepRecord | undefined> {
  const text = await readFile(lastStepFile(workshopId, env), 'utf8').catch(() => undefined);
  try {
    return text ? (JSON.parse(text) as LastStepRecord) : undefined;
  } catch {
    return undefined;
  }
}
