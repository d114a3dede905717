import { PassThrough } from 'node:stream';
import { inject } from 'vitest';
import type { WorkshopSession } from '../../src/engine/running/session.js';
import type { Lesson, Step, Workshop } from '../../src/engine/types.js';
import { loadWorkshop } from '../../src/engine/loading/sources.js';
import { resolveConnection } from '../../src/services/connection.js';
import { openSession } from '../../src/services/session.js';
import { ROOT } from './cli.js';

export interface BundledSession {
  workshop: Workshop;
  session: WorkshopSession;
  lesson(id: string): Lesson;
  step(lessonId: string, stepId: string): Step;
}

/**
 * The bundled workshop on the shared test cluster, in process: the same session `validate` builds
 * (real commands, real checkers, the lesson's kubeconfig and workspace), so a test can run a
 * lesson's steps one by one and ask its checks about the cluster in between.
 */
export async function bundledSession(): Promise<BundledSession> {
  const { workshop, diagnostics } = await loadWorkshop(ROOT);
  if (!workshop) throw new Error(`the bundled workshop does not load: ${JSON.stringify(diagnostics.items)}`);
  const env = { ...process.env, KUBELAB_STATE_DIR: inject('stateDir'), NO_COLOR: '1' };
  const context = { signal: new AbortController().signal, stderr: new PassThrough(), env, cwd: ROOT };
  const connection = await resolveConnection({ provider: 'local' }, context);
  const session = await openSession({ workshop, connection, env });
  const lesson = (id: string) => {
    const found = workshop.lessons.find((l) => l.id === id);
    if (!found) throw new Error(`no lesson ${id}`);
    return found;
  };
  const step = (lessonId: string, stepId: string) => {
    const found = lesson(lessonId).steps.find((s) => s.id === stepId);
    if (!found) throw new Error(`no step ${lessonId}/${stepId}: ${lesson(lessonId).steps.map((s) => s.id).join(', ')}`);
    return found;
  };
  return { workshop, session, lesson, step };
}

/** A cleanup step undoes the lesson, so it is the one step allowed to make earlier checks fail. */
export function isCleanupStep(step: Step): boolean {
  return /^(clean up|when you are done)/i.test(step.title);
}
