/**
 * Catch-up (issue 24, item 12): what runs before a step, and what the class hears of it.
 */
import { describe, expect, it } from 'vitest';
import { toClassEvent } from '../../../src/class/client.js';
import { ClassEventSchema } from '../../../src/class/protocol.js';
import { catchUpPlan } from '../../../src/engine/running/catch-up.js';
import { emptyProgress, updateStep } from '../../../src/engine/running/progress.js';
import { Redactor } from '../../../src/engine/running/redact.js';
import { isStepDone } from '../../../src/engine/types.js';
import { fixtureWorkshop, BUNDLED_DIR } from '../../support/ui-app.js';

describe('catch-up plan', () => {
  it('Given lesson 3 step 3 and nothing done, then lesson 1 (which it builds on) and lesson 3’s first two steps run, in order', async () => {
    const workshop = await fixtureWorkshop(BUNDLED_DIR);
    const rbac = workshop.lessons.find((l) => l.id === 'rbac')!;
    const plan = catchUpPlan(workshop, rbac, rbac.steps[2], emptyProgress(workshop.id)).map((s) => `${s.lesson.id}/${s.step.id}`);
    const required = workshop.lessons.filter((l) => rbac.requires.includes(l.id)).flatMap((l) => l.steps.map((s) => `${l.id}/${s.id}`));
    expect(required.length).toBeGreaterThan(0);
    expect(plan).toEqual([...required, `rbac/${rbac.steps[0].id}`, `rbac/${rbac.steps[1].id}`]);
  });

  it('Given the lessons it builds on are done, then only the lesson’s own earlier steps run', async () => {
    const workshop = await fixtureWorkshop(BUNDLED_DIR);
    const rbac = workshop.lessons.find((l) => l.id === 'rbac')!;
    let progress = emptyProgress(workshop.id);
    for (const l of workshop.lessons.filter((x) => rbac.requires.includes(x.id))) for (const s of l.steps) progress = updateStep(progress, l.id, s.id, { status: 'passed' });
    expect(catchUpPlan(workshop, rbac, rbac.steps[1], progress).map((s) => s.step.id)).toEqual([rbac.steps[0].id]);
  });

  it('Given a caught-up step, then it counts as done, and the class hears "caught-up", which its protocol accepts', () => {
    expect(isStepDone('caught-up')).toBe(true);
    const event = toClassEvent({ type: 'step-end', lessonId: 'rbac', stepId: 'create-user', status: 'caught-up', durationMs: 1200 }, new Redactor(), 7);
    expect(event).toMatchObject({ type: 'step-finished', status: 'caught-up' });
    expect(ClassEventSchema.safeParse(event).success).toBe(true);
  });
});
