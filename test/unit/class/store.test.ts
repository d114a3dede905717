import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../src/class/protocol.js';
import { ClassStore } from '../../../src/class/store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelab-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const batch = (sentAt: number, ...ids: string[]): EventBatch => ({
  sentAt,
  events: ids.map((id, i) => ({ type: 'step-started', id, at: sentAt - 10 + i, lessonId: 'l1', stepId: `s-${id}`, title: id })),
});

describe('class store', () => {
  it('Given a class with a learner and events, when it is closed and reopened by name, then tokens, learner and events are all there', async () => {
    const file = join(dir, 'classes', 'march.sqlite');
    const first = ClassStore.open(file, 'march');
    const { learnerId } = first.addLearner('ada');
    first.appendEvents(learnerId, batch(1000, 'event-aaaa'));
    const tokens = [first.classToken, first.instructorToken];
    first.close();

    const again = ClassStore.open(file, 'march');
    try {
      expect([again.classToken, again.instructorToken]).toEqual(tokens);
      expect(again.learner(learnerId)).toMatchObject({ name: 'ada', state: { step: { id: 's-event-aaaa' }, events: 1 } });
      expect(tokens[0]).not.toBe(tokens[1]);
      expect(tokens[0]!.length).toBeGreaterThanOrEqual(43);
      expect((await stat(file)).mode & 0o077).toBe(0);
    } finally {
      again.close();
    }
  });

  it('Given a batch sent twice (the answer was lost), when stored, then each event is kept once', () => {
    const store = ClassStore.open(join(dir, 'c.sqlite'), 'c');
    try {
      const { learnerId } = store.addLearner('bo');
      expect(store.appendEvents(learnerId, batch(1000, 'event-1111', 'event-2222'))).toEqual({ accepted: 2, duplicates: 0, handRaised: false });
      expect(store.appendEvents(learnerId, batch(1000, 'event-1111', 'event-2222', 'event-3333'))).toEqual({ accepted: 1, duplicates: 2, handRaised: false });
      expect(store.eventLog(learnerId).map((e) => e.event.id)).toEqual(['event-1111', 'event-2222', 'event-3333']);
    } finally {
      store.close();
    }
  });

  it('Given a learner whose clock is an hour behind, when their events are stored, then times are on the server clock', () => {
    const store = ClassStore.open(join(dir, 'c.sqlite'), 'c');
    try {
      const { learnerId } = store.addLearner('cy');
      const now = 10_000_000;
      store.appendEvents(learnerId, batch(now - 3_600_000, 'event-4444'), now);
      expect(store.learner(learnerId)!.state.step!.startedAt).toBe(now - 10);
    } finally {
      store.close();
    }
  });
});
