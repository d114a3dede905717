import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { buildClassView } from '../../../src/class/class-view.js';
import { ClassScreen, InstructorView } from '../../../src/class/instructor-view.js';
import type { ClassSnapshot } from '../../../src/class/store.js';
import { emptyLearnerState, type LearnerState } from '../../../src/class/learner-state.js';

const MINUTE = 60_000;
const now = 60 * MINUTE;

function onStep(startedAt: number, extra: Partial<LearnerState> = {}): LearnerState {
  return {
    ...emptyLearnerState(),
    lesson: { id: '02-deploy', title: 'Deploy' },
    step: { lessonId: '02-deploy', id: 'svc', title: 'Expose it', startedAt, state: 'active' },
    ...extra,
  };
}

describe('instructor view', () => {
  it('Given a stuck learner and a hostile name, when rendered, then the stuck one comes first, marked, and no escape is printed', () => {
    const view = buildClassView(
      {
        className: 'march',
        learners: [
          { id: '1', name: '\u001b[2Jmallory', joinedAt: 0, state: onStep(now - MINUTE, { hintsOnStep: 2 }) },
          {
            id: '2',
            name: 'bob',
            joinedAt: 0,
            state: onStep(now - 7 * MINUTE, { lastCheck: { checkId: 'endpoints', outcome: 'failed', message: 'svc has no endpoints', at: now }, sameCheckFailures: 1 }),
          },
        ],
      },
      { now, stuckAfterMs: 5 * MINUTE },
    );
    const { lastFrame, unmount } = render(<ClassScreen view={view} joinLine="kubelab class join http://127.0.0.1:7420 --token T" maxRows={10} />);
    const lines = lastFrame()!.split('\n');
    unmount();

    const bob = lines.findIndex((l) => l.includes('bob'));
    const mallory = lines.findIndex((l) => l.includes('mallory'));
    expect(bob).toBeGreaterThan(-1);
    expect(bob).toBeLessThan(mallory);
    expect(lines[bob]).toMatch(/^!\s+bob/);
    expect(lines[bob]).toContain('7m 00s');
    expect(lines[mallory]).toMatch(/Deploy › Expose it\s+1m 00s\s+2/);
    expect(lines.join('\n')).toContain('1 stuck');
    expect(lastFrame()).not.toContain('\u001b[2J');
  });

  it('Given the view polling the class, when a learner joins, then their row appears without a restart', async () => {
    const snapshot: ClassSnapshot = { className: 'march', learners: [] };
    const { lastFrame, unmount } = render(
      <InstructorView load={() => snapshot} joinLine="kubelab class join http://x --token T" stuckAfterMs={5 * MINUTE} refreshMs={20} now={() => now} />,
    );
    expect(lastFrame()).toContain('No learners yet.');

    snapshot.learners.push({ id: '1', name: 'newcomer', joinedAt: 0, state: onStep(now) });
    await vi.waitFor(() => expect(lastFrame()).toContain('newcomer'), { timeout: 2000, interval: 20 });
    unmount();
  });
});
