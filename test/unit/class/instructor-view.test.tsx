import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import { buildClassView, fitName, formatClassView } from '../../../src/class/class-view.js';
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
    await vi.waitFor(() => expect(lastFrame()).toContain('newcomer'), { timeout: 30_000, interval: 20 });
    unmount();
  });

  it('Given twenty joins with the same name, when the view is built and drawn, then every row is told apart by a suffix in join order', () => {
    const learners = Array.from({ length: 20 }, (_, i) => ({ id: `id-${String(19 - i).padStart(2, '0')}`, name: i % 2 ? 'alice' : 'Alice ', joinedAt: i, state: onStep(now) }));
    const view = buildClassView({ className: 'march', learners }, { now, stuckAfterMs: 5 * MINUTE });
    const names = view.learners.map((l) => l.name);
    expect(new Set(names).size).toBe(20);
    // The first to join keeps the name; later ones are numbered in the order they joined.
    expect(view.learners.find((l) => l.id === 'id-19')!.name).toBe('Alice');
    expect(view.learners.find((l) => l.id === 'id-18')!.name).toBe('alice (2)');
    expect(view.learners.find((l) => l.id === 'id-00')!.name).toBe('alice (20)');
    const { lastFrame, unmount } = render(<ClassScreen view={view} joinLine="j" maxRows={40} />);
    const rows = lastFrame()!.split('\n').filter((l) => /alice/i.test(l));
    unmount();
    expect(new Set(rows).size).toBe(20);
    expect(new Set(formatClassView(view).split('\n').filter((l) => /alice/i.test(l))).size).toBe(20);
  });

  it('Given wide names (CJK, emoji, flags, accents) and long twins, when drawn, then each fits its 20 columns, the next column lines up, and twins keep their suffix', () => {
    const names = ['山田太郎山田太郎山田太郎山田太郎', '山田太郎山田太郎山田太郎山田太郎', '🧑‍💻🧑‍💻🧑‍💻🧑‍💻🧑‍💻🧑‍💻🧑‍💻🧑‍💻🧑‍💻🧑‍💻🧑‍💻', '👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽', '🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷🇫🇷', 'e\u0301'.repeat(25), 'a-rather-long-learner-name', 'a-rather-long-learner-name'];
    const learners = names.map((name, i) => ({ id: `id-${i}`, name, joinedAt: i, state: onStep(now) }));
    const view = buildClassView({ className: 'march', learners }, { now, stuckAfterMs: 5 * MINUTE });
    for (const row of view.learners) {
      const fitted = fitName(row, 20);
      expect(stringWidth(fitted), fitted).toBeLessThanOrEqual(20);
      expect(fitted.endsWith(row.nameSuffix)).toBe(true);
      // Never half a grapheme (a family emoji, a flag, an accented letter): the kept part is whole graphemes of the name.
      const kept = fitted.slice(0, fitted.length - row.nameSuffix.length).replace(/…$/, '');
      const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(row.name)].map((g) => g.segment);
      expect(graphemes.some((_, k) => graphemes.slice(0, k + 1).join('') === kept) || kept === row.name).toBe(true);
    }
    const { lastFrame, unmount } = render(<ClassScreen view={view} joinLine="j" maxRows={40} />);
    const rows = lastFrame()!.split('\n').filter((l) => l.includes('Deploy › Expose it'));
    unmount();
    expect(rows).toHaveLength(names.length);
    expect(new Set(rows.map((r) => r.slice(0, r.indexOf('Deploy')))).size).toBe(names.length);
    // Display columns before the lesson column: the same on every row.
    expect(new Set(rows.map((r) => stringWidth(r.slice(0, r.indexOf('Deploy'))))).size).toBe(1);
  });

  it('Given raised hands, when the instructor presses c, then the hand up longest is cleared; w shows a new web link', async () => {
    const cleared: string[] = [];
    const snapshot: ClassSnapshot = {
      className: 'march',
      learners: [
        { id: 'late', name: 'late', joinedAt: 0, state: onStep(now, { hand: { raisedAt: now - MINUTE } }) },
        { id: 'early', name: 'early', joinedAt: 0, state: onStep(now, { hand: { raisedAt: now - 4 * MINUTE } }) },
      ],
    };
    let links = 0;
    const { lastFrame, stdin, unmount } = render(
      <InstructorView
        load={() => snapshot}
        joinLine="j"
        stuckAfterMs={5 * MINUTE}
        now={() => now}
        firstWebLink="http://127.0.0.1:7420/class/login?code=first"
        clearHand={(id) => {
          cleared.push(id);
          snapshot.learners = snapshot.learners.map((l) => (l.id === id ? { ...l, state: { ...l.state, hand: undefined } } : l));
        }}
        newWebLink={() => `http://127.0.0.1:7420/class/login?code=new${++links}`}
      />,
    );
    expect(lastFrame()).toContain('code=first');
    expect(lastFrame()).toMatch(/2 hand\(s\) up/);
    await vi.waitFor(
      () => {
        // Input listens once the view has mounted: press again until it was heard, never twice after.
        if (cleared.length === 0) stdin.write('c');
        expect(cleared).toEqual(['early']);
      },
      { timeout: 30_000, interval: 50 },
    );
    await vi.waitFor(() => expect(lastFrame()).toMatch(/1 hand\(s\) up/), { timeout: 30_000, interval: 20 });
    stdin.write('w');
    await vi.waitFor(() => expect(lastFrame()).toContain('code=new1'), { timeout: 30_000, interval: 20 });
    unmount();
  });
});
