import { describe, expect, it } from 'vitest';
import { checkSatisfied } from '../../src/engine/running/session.js';
import { bundledSession, isCleanupStep } from '../support/bundled-session.js';

/**
 * A rule for every lesson: a later step never makes an earlier step's check fail (cleanup aside).
 * Otherwise `kubelab check` and `list --probe` would send a learner who scaled to three replicas
 * back to "scale to one". So each lesson runs step by step, and after each step every earlier
 * step's checks are asked again — with a few seconds for the cluster to settle, as a learner
 * checking a moment later would give it.
 */
describe('the bundled workshop: no step undoes an earlier step (real local cluster)', () => {
  it('given each lesson run step by step, when every earlier step is checked again after each step, then all its checks still pass', { timeout: 900_000 }, async () => {
    const { workshop, session } = await bundledSession();
    const signal = new AbortController().signal;
    const broken: string[] = [];
    let rechecks = 0;
    for (const lesson of workshop.lessons) {
      for (const [index, step] of lesson.steps.entries()) {
        const run = await session.runStep(lesson, step, { signal });
        expect(run.status, `${lesson.id}/${step.id}: ${run.error}`).toBe('passed');
        if (isCleanupStep(step)) continue;
        for (const earlier of lesson.steps.slice(0, index)) {
          if (isCleanupStep(earlier)) continue;
          for (const outcome of await session.runChecks(lesson, earlier, signal, 10_000)) {
            rechecks++;
            if (!checkSatisfied(outcome.result)) broken.push(`${lesson.id}: after "${step.id}", ${earlier.id}/${outcome.spec.id} fails: ${outcome.result.message}`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
    expect(rechecks).toBeGreaterThan(50);
    console.log(`${rechecks} checks of earlier steps asked again after later steps, across ${workshop.lessons.length} lessons`);
  });
});
