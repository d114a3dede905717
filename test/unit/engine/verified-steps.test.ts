import { describe, expect, it } from 'vitest';
import { nothingExercised, type LessonsReport, type StepReport } from '../../../src/engine/running/run-lessons.js';
import { plain, renderSummary } from '../../../src/reporters/pretty.js';
import { renderJunit } from '../../../src/reporters/junit.js';

const step = (id: string, fields: Partial<StepReport>): StepReport => ({ id, title: id, status: 'passed', durationMs: 1, checks: [], ...fields });
const report = (steps: StepReport[], summary: Partial<LessonsReport['summary']> = {}): LessonsReport => ({
  lessons: [{ id: 'l', title: 'L', status: steps.some((s) => s.status === 'passed') ? 'passed' : 'skipped', durationMs: 1, steps }],
  summary: { passed: steps.filter((s) => s.status === 'passed').length, failed: 0, skipped: steps.filter((s) => s.status === 'skipped').length, durationMs: 1, ...summary },
});

describe('nothing verified is never "passed"', () => {
  it('given a run where every step was read or not provable, when judged, then it proved nothing and says which format it took the content for', () => {
    const idle = report([step('a', { status: 'skipped', unverified: 'read: nothing to run or check', error: 'read: nothing to run or check' }), step('b', { status: 'skipped', error: 'not provable here: needs a real node' })]);
    expect(nothingExercised(idle, 'eks-workshop-v2 pages (Docusaurus .md/.mdx)')).toBe(
      'nothing could be run or checked: kubelab took this content for eks-workshop-v2 pages (Docusaurus .md/.mdx) and found 1 lesson(s) with 2 step(s), none of which ran a command or evaluated a check here (read: nothing to run or check; not provable here: needs a real node)',
    );
    expect(nothingExercised(report([step('a', {})]), 'x')).toBeUndefined();
    // An empty shard (more CI jobs than lessons) claims nothing either way.
    expect(nothingExercised({ lessons: [], summary: { passed: 0, failed: 0, skipped: 0, durationMs: 0 } }, 'x')).toBeUndefined();
  });

  it('given passed steps of which some no check verified, when summed up, then the summary line counts verified and read steps apart, and says why per step', () => {
    const r = report([step('checked', {}), step('unchecked', { unverified: 'not checked: its commands ran, nothing verified what they did' }), step('prose', { status: 'skipped', unverified: 'read: nothing to run or check', error: 'read: nothing to run or check' })], { verified: 1, read: 1 });
    const text = renderSummary(r, plain);
    expect(text).toMatch(/^2 passed \(1 verified by a check\), 0 failed, 1 skipped \(1 with nothing run or checked here: read, or not provable here\) \(steps\)/m);
    expect(text).toContain('– unchecked: not checked: its commands ran, nothing verified what they did');
    expect(renderJunit(r)).toContain('<skipped message="read: nothing to run or check"/>');
  });
});
