import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildClassView, formatClassView, withoutNames } from '../../../src/class/class-view.js';
import { ClassScreen } from '../../../src/class/instructor-view.js';
import { ClassEventSchema } from '../../../src/class/protocol.js';
import { ClassStore } from '../../../src/class/store.js';
import { storeEvents, type EventDraft } from '../../support/class-events.js';

const MINUTE = 60_000;
let dir: string;
let store: ClassStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelab-hands-'));
  store = ClassStore.open(join(dir, 'classes', 'room.sqlite'), 'room');
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

const send = (learnerId: string, at: number, ...events: EventDraft[]) => storeEvents(store, learnerId, at, ...events);
const started = (lessonId: string, stepId: string, title: string) => ({ type: 'step-started', lessonId, stepId, title }) as const;
const finished = (lessonId: string, stepId: string, status: 'passed' | 'caught-up', durationMs = 1000) => ({ type: 'step-finished', lessonId, stepId, status, durationMs }) as const;

describe('raised hands', () => {
  it('Given a learner raises their hand, when the view is built later, then the hand shows with how long it has been up and comes first', () => {
    const ada = store.addLearner('ada', 0).learnerId;
    const bob = store.addLearner('bob', 0).learnerId;
    send(bob, 1000, started('l1', 's1', 'Step one'));
    expect(send(ada, 2000, { type: 'hand-raised' })).toMatchObject({ handRaised: true });

    const view = buildClassView(store.snapshot(), { now: 2000 + 3 * MINUTE, stuckAfterMs: 60 * MINUTE });
    expect(view.learners[0]).toMatchObject({ name: 'ada', hand: { raisedAt: 2000, upMs: 3 * MINUTE } });
    expect(view.learners[1]!.hand).toBeUndefined();
    expect(formatClassView(view)).toContain('1 hand(s) up');
    expect(formatClassView(view)).toMatch(/HAND UP 3m 00s ada/);
  });

  it('Given a raised hand, when the instructor clears it, then it is down, logged as cleared, still down after reopening, and the learner hears of it', () => {
    const ada = store.addLearner('ada', 0).learnerId;
    send(ada, 1000, { type: 'hand-raised' });
    expect(store.clearHand(ada, 5000)).toBe(true);
    expect(store.clearHand(ada, 6000)).toBe(false);
    expect(store.learner(ada)!.state.hand).toBeUndefined();
    const log = store.eventLog(ada);
    expect(log.at(-1)!.event.type).toBe('hand-lowered');
    expect(ClassEventSchema.safeParse(log.at(-1)!.event).success).toBe(true);

    store.close();
    store = ClassStore.open(join(dir, 'classes', 'room.sqlite'), 'room');
    expect(store.learner(ada)!.state.hand).toBeUndefined();
    expect(store.learner(ada)!.state.handsRaised).toBe(1);
    expect(send(ada, 7000, started('l1', 's1', 'Step one'))).toMatchObject({ handRaised: false });
  });

  it('Given a learner lowers their own hand and raises it again, when viewed, then the time counts from the second raise', () => {
    const ada = store.addLearner('ada', 0).learnerId;
    send(ada, 1000, { type: 'hand-raised' });
    send(ada, 2000, { type: 'hand-lowered' });
    expect(store.learner(ada)!.state.hand).toBeUndefined();
    send(ada, 9000, { type: 'hand-raised' });
    send(ada, 9500, { type: 'hand-raised' });
    expect(store.learner(ada)!.state).toMatchObject({ hand: { raisedAt: 9000 }, handsRaised: 2 });
  });

  it('Given a raised hand, when the terminal view renders, then its row is marked and says for how long', () => {
    const ada = store.addLearner('ada', 0).learnerId;
    send(ada, 1000, started('l1', 's1', 'Step one'), { type: 'hand-raised' });
    const view = buildClassView(store.snapshot(), { now: 1000 + 2 * MINUTE + 5000, stuckAfterMs: 60 * MINUTE });
    const { lastFrame, unmount } = render(React.createElement(ClassScreen, { view, joinLine: 'kubelab class join http://x --token T', maxRows: 10 }));
    const frame = lastFrame()!;
    unmount();
    expect(frame).toContain('1 hand(s) up');
    expect(frame).toMatch(/✋\s+ada.*hand up 2m 05s/);
  });
});

describe('caught-up steps', () => {
  it('Given a learner who caught up over two steps, when viewed, then the steps count as caught up, apart from passed ones, in the row and the step summary', () => {
    const ada = store.addLearner('ada', 0).learnerId;
    const bob = store.addLearner('bob', 0).learnerId;
    send(bob, 1000, started('l1', 's1', 'Step one'), finished('l1', 's1', 'passed', 4000));
    // catch-up reports the steps it jumped over without starting them, then the learner goes on.
    send(ada, 1000, finished('l1', 's1', 'caught-up', 0), finished('l1', 's2', 'caught-up', 0), started('l1', 's3', 'Step three'));

    const view = buildClassView(store.snapshot(), { now: 2000, stuckAfterMs: 60 * MINUTE });
    const row = view.learners.find((l) => l.name === 'ada')!;
    expect(row).toMatchObject({ caughtUpSteps: 2, stepId: 's3', stepState: 'active' });
    expect(view.learners.find((l) => l.name === 'bob')!.caughtUpSteps).toBe(0);
    const results = view.lessons[0]!.results;
    expect(results.find((r) => r.stepId === 's1')).toMatchObject({ title: 'Step one', passed: 1, caughtUp: 1, medianPassMs: 4000 });
    expect(results.find((r) => r.stepId === 's2')).toMatchObject({ passed: 0, caughtUp: 1 });
    expect(formatClassView(view)).toContain('(caught up 2 steps)');
  });

  it('Given a learner whose current step ends caught up, when viewed, then the row says caught-up, not passed', () => {
    const ada = store.addLearner('ada', 0).learnerId;
    send(ada, 1000, started('l1', 's1', 'Step one'), finished('l1', 's1', 'caught-up', 0));
    const row = buildClassView(store.snapshot(), { now: 2000, stuckAfterMs: MINUTE }).learners[0]!;
    expect(row).toMatchObject({ stepState: 'caught-up', caughtUpSteps: 1, stuck: false });
  });
});

describe('projector mode', () => {
  it('Given named learners, when the view is made for a projector, then no name is left, only seats in join order', () => {
    store.addLearner('ada', 0);
    store.addLearner('<b>bob</b>', 10);
    store.addLearner('ada', 20);
    const view = withoutNames(buildClassView(store.snapshot(), { now: 100, stuckAfterMs: MINUTE }));
    // Learner ids are random UUIDs, whose hex can spell "ada": everything but the ids is searched.
    const text = JSON.stringify({ ...view, learners: view.learners.map(({ id: _id, ...rest }) => rest) });
    expect(text).not.toMatch(/ada|bob/);
    expect(view.learners.map((l) => l.name).sort()).toEqual(['learner 1', 'learner 2', 'learner 3']);
  });
});
