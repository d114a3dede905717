import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProgress, updateStep } from '../../src/engine/running/progress.js';
import { loadWorkshop } from '../../src/engine/loading/sources.js';
import { listWorkshop } from '../../src/services/listing.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'workshops', 'basic');

async function fixture() {
  const { workshop } = await loadWorkshop(FIXTURE);
  if (!workshop) throw new Error('fixture workshop did not load');
  return workshop;
}

describe('kubelab list --json', () => {
  it('given a fresh learner, when listed, then every step has its check target, file, line and checks, and nothing is passed', async () => {
    const workshop = await fixture();
    const listing = listWorkshop(workshop, emptyProgress(workshop.id));
    expect(listing).toMatchObject({ workshop: 'basic-fixture', dir: FIXTURE, progress: { stepsPassed: 0 } });
    const hello = listing.lessons.find((l) => l.id === 'hello')!;
    expect(hello).toMatchObject({ status: 'not-started', file: 'lessons/hello/lesson.md', minutes: 2 });
    expect(hello.steps[0]).toEqual({
      id: 'deploy-web',
      target: 'hello/deploy-web',
      title: 'Deploy web',
      file: 'lessons/hello/lesson.md',
      line: expect.any(Number),
      status: 'not-started',
      checks: [{ id: 'deployment-ready', checker: 'deployment-ready' }],
    });
    // The line is the step's heading in the file, so an editor or an annotation lands on it.
    const headings = readFileSync(join(FIXTURE, 'lessons', 'hello', 'lesson.md'), 'utf8').split('\n').flatMap((text, i) => (text.startsWith('## ') ? [i + 1] : []));
    expect(hello.steps.map((s) => s.line)).toEqual(headings);
    expect(listing.progress.steps).toBe(workshop.lessons.reduce((n, l) => n + l.steps.length, 0));
  });

  it('given progress on one step, when listed, then that step, its lesson and the totals show it', async () => {
    const workshop = await fixture();
    const progress = updateStep(emptyProgress(workshop.id), 'hello', 'deploy-web', { status: 'passed' });
    const listing = listWorkshop(workshop, progress, new Map([['hello', 'carry-on-and-fail-on-purpose']]));
    const hello = listing.lessons.find((l) => l.id === 'hello')!;
    expect(hello.status).toBe('in-progress');
    expect(hello.resumeAt).toBe('carry-on-and-fail-on-purpose');
    expect(hello.steps.map((s) => s.status)).toEqual(['passed', 'not-started', 'not-started']);
    expect(listing.progress).toMatchObject({ current: { lessonId: 'hello', stepId: 'deploy-web' }, stepsPassed: 1 });
  });
});
