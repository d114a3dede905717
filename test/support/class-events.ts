import type { ClassEvent } from '../../src/class/protocol.js';
import type { BatchResult, ClassStore } from '../../src/class/store.js';

/** A class event before the learner's app stamps it with an id and a time. */
export type EventDraft = ClassEvent extends infer E ? (E extends unknown ? Omit<E, 'id' | 'at'> : never) : never;

let sent = 0;

/** Stores events as if one learner's app had sent them in one batch at `at` (server clock = learner clock). */
export function storeEvents(store: ClassStore, learnerId: string, at: number, ...events: EventDraft[]): BatchResult {
  const stamped = events.map((e) => ({ ...e, id: `event-${String(sent++).padStart(6, '0')}`, at }) as ClassEvent);
  return store.appendEvents(learnerId, { sentAt: at, events: stamped }, at);
}
