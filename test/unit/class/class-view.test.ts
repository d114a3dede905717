import { describe, expect, it } from 'vitest';
import { buildClassView, describeLesson, formatClassView } from '../../../src/class/class-view.js';
import { applyClassEvent, emptyLearnerState, type LearnerState } from '../../../src/class/learner-state.js';
import type { ClassEvent } from '../../../src/class/protocol.js';
import type { LearnerRecord } from '../../../src/class/store.js';

const MINUTE = 60_000;
let nextId = 0;
/** A class event before the client gives it an id. */
type Draft = ClassEvent extends infer E ? (E extends unknown ? Omit<E, 'id'> : never) : never;
const id = () => `event-${String(nextId++).padStart(6, '0')}`;

function fold(events: Draft[], at: number): LearnerState {
  return events.reduce((state, event) => applyClassEvent(state, { ...event, id: id() } as ClassEvent, at), emptyLearnerState());
}

const onStep = (lessonId: string, stepId: string, at = 1): Draft[] => [
  { type: 'lesson-started', at, lessonId, title: `Lesson ${lessonId}` },
  { type: 'step-started', at, lessonId, stepId, title: `Step ${stepId}` },
];
const fail = (checkId: string, at = 2): Extract<Draft, { type: 'check' }> => ({ type: 'check', at, lessonId: 'l1', stepId: 's1', checkId, outcome: 'failed', message: `${checkId} not ready` });

function learner(name: string, state: LearnerState): LearnerRecord {
  return { id: `id-${name}`, name, joinedAt: 0, state };
}

describe('learner state', () => {
  it('Given the same check failing three times, when a different check fails, then the count starts again', () => {
    const three = fold([...onStep('l1', 's1'), fail('a'), fail('a'), fail('a')], 0);
    expect(three.sameCheckFailures).toBe(3);
    const other = applyClassEvent(three, { ...fail('b'), id: id() } as ClassEvent, 10);
    expect(other.sameCheckFailures).toBe(1);
  });

  it('Given a learner on step 2, when an older event arrives late, then it is counted but does not move them back', () => {
    const state = fold([...onStep('l1', 's2', 100)], 0);
    const late = applyClassEvent(state, { type: 'step-started', id: id(), at: 50, lessonId: 'l1', stepId: 's1', title: 'old' }, 5);
    expect(late.step?.id).toBe('s2');
    expect(late.events).toBe(state.events + 1);
  });

  it('Given hints revealed twice for the same index, when counted, then a hint is only counted once', () => {
    const hint = (index: number): Draft => ({ type: 'hint-revealed', at: 3, lessonId: 'l1', stepId: 's1', index });
    const state = fold([...onStep('l1', 's1'), hint(0), hint(0), hint(1)], 0);
    expect([state.hintsOnStep, state.hintsTotal]).toEqual([2, 2]);
  });
});

describe('class view', () => {
  const now = 100 * MINUTE;

  it('Given learners failing a check 3 times or on a step past the threshold, when the view is built, then they are stuck and first, longest first', () => {
    const snapshot = {
      className: 'k8s',
      learners: [
        learner('amy', fold(onStep('l1', 's1'), now - 1 * MINUTE)),
        learner('bob', fold([...onStep('l1', 's1'), fail('a'), fail('a'), fail('a')], now - 2 * MINUTE)),
        learner('cat', fold(onStep('l1', 's1'), now - 6 * MINUTE)),
        learner('dan', fold(onStep('l1', 's1'), now - 9 * MINUTE)),
        learner('eve', fold([...onStep('l1', 's1'), fail('a'), fail('a')], now - 1 * MINUTE)),
      ],
    };
    const view = buildClassView(snapshot, { now, stuckAfterMs: 5 * MINUTE });
    expect(view.learners.map((l) => [l.name, l.stuck])).toEqual([
      ['dan', true],
      ['cat', true],
      ['bob', true],
      ['amy', false],
      ['eve', false],
    ]);
    expect(view.learners[2]!.stuckReason).toBe('check a failed 3× in a row');
    expect(view.learners[0]!.stuckReason).toBe('on this step for 9m 00s');
  });

  it('Given a learner who finished their step long ago, when the view is built, then they are not stuck', () => {
    const state = fold([...onStep('l1', 's1'), { type: 'step-finished', at: 5, lessonId: 'l1', stepId: 's1', status: 'passed', durationMs: 1000 }], 0);
    const [row] = buildClassView({ className: 'k', learners: [learner('fin', state)] }, { now, stuckAfterMs: MINUTE }).learners;
    expect(row).toMatchObject({ stuck: false, stepState: 'passed', timeOnStepMs: 1000 });
  });

  it('Given 3 of 4 learners passed lesson 1, when summarised, then the summary reads "3/4 finished"', () => {
    const passed = (name: string) =>
      learner(name, fold([...onStep('l1', 's9'), { type: 'lesson-finished', at: 9, lessonId: 'l1', status: 'passed', durationMs: 1 }, ...onStep('l2', 's1', 10)], now));
    const snapshot = { className: 'k', learners: [passed('a'), passed('b'), passed('c'), learner('d', fold(onStep('l1', 's2'), now))] };
    const view = buildClassView(snapshot, { now, stuckAfterMs: 5 * MINUTE });
    const l1 = view.lessons.find((l) => l.lessonId === 'l1')!;
    expect(describeLesson(l1)).toBe('3/4 finished Lesson l1 · now on: Step s2 1');
    expect(view.lessons.find((l) => l.lessonId === 'l2')!.steps).toEqual([{ stepId: 's1', title: 'Step s1', learners: 3, stuck: 0 }]);
  });

  it('Given a learner name and message with terminal escapes, when the view is built and printed, then no escape reaches the output', () => {
    const state = fold([...onStep('l1', 's1'), { ...fail('a'), message: 'ok' }], now);
    state.lastCheck!.message = '\u001b[2Jcleared\u001b]0;title\u0007';
    const view = buildClassView({ className: 'k', learners: [learner('\u001b[31mmallory\u001b[0m\n', state)] }, { now, stuckAfterMs: MINUTE });
    const text = formatClassView(view);
    expect(view.learners[0]!.name).toBe('mallory');
    expect(text).toContain('mallory');
    expect(text).toContain('✗ cleared');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('names that only look alike (issue 25, item 10)', () => {
  it('Given "Ada", "Ada" with a zero-width space, a Cyrillic "Аda", a Greek-omicron "Bοb" and a full-width "Ａda", when the view is built, then each look-alike is numbered after the first and none hides an invisible character', () => {
    const names = ['Ada', 'Ada\u200b', '\u0410da', 'Bob', 'B\u03bfb', '\uff21da', 'A\u00adda'];
    const learners = names.map((name, i) => ({ id: `id-${i}`, name, joinedAt: i, state: emptyLearnerState() }));
    const rows = buildClassView({ className: 'k', learners }, { now: 0, stuckAfterMs: MINUTE }).learners;
    const shown = Object.fromEntries(rows.map((r) => [r.id, r.name]));
    expect(shown['id-0']).toBe('Ada');
    expect(shown['id-1']).toBe('Ada (2)');
    expect(shown['id-2']).toBe('\u0410da (3)');
    expect(shown['id-3']).toBe('Bob');
    expect(shown['id-4']).toBe('B\u03bfb (2)');
    expect(shown['id-5']).toBe('Ada (4)');
    expect(shown['id-6']).toBe('Ada (5)');
    expect(rows.every((r) => !/\p{Cf}/u.test(r.name))).toBe(true);
  });
});
