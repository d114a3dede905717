import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBatcher, type OutputBatch } from '../../../src/ui/output-batcher.js';
import { FULL_OUTPUT_LIMIT } from '../../../src/ui/state.js';

const line = (n: number) => ({ stream: 'stdout' as const, text: `line ${n}` });

describe('the output batcher', () => {
  let batches: OutputBatch[];
  let batcher: OutputBatcher;
  beforeEach(() => {
    vi.useFakeTimers();
    batches = [];
    batcher = new OutputBatcher((batch) => batches.push(batch), 33);
  });
  afterEach(() => vi.useRealTimers());

  it('Given lines printed within one beat, then the screen hears nothing before the beat and one batch at it', () => {
    for (let n = 1; n <= 3; n++) batcher.push(line(n));
    vi.advanceTimersByTime(32);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([{ lines: [line(1), line(2), line(3)], total: 3 }]);
    // The beat ended with the batch: no empty batch follows.
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(1);
  });

  it('Given lines kept, when flushed before the beat (another engine event comes), then they are sent at once and the beat does not send them again', () => {
    batcher.push(line(1));
    batcher.flush();
    expect(batches).toEqual([{ lines: [line(1)], total: 1 }]);
    vi.advanceTimersByTime(1000);
    expect(batches).toHaveLength(1);
  });

  it('Given nothing kept, when flushed, then nothing is sent', () => {
    batcher.flush();
    expect(batches).toEqual([]);
  });

  it('Given a flood of more lines than the output view keeps, then the batch holds the newest FULL_OUTPUT_LIMIT and counts every line', () => {
    const printed = FULL_OUTPUT_LIMIT * 3 + 5;
    for (let n = 1; n <= printed; n++) batcher.push(line(n));
    vi.advanceTimersByTime(33);
    expect(batches).toHaveLength(1);
    const [batch] = batches;
    expect(batch.total).toBe(printed);
    expect(batch.lines).toHaveLength(FULL_OUTPUT_LIMIT);
    expect(batch.lines[0]).toEqual(line(printed - FULL_OUTPUT_LIMIT + 1));
    expect(batch.lines.at(-1)).toEqual(line(printed));
  });

  it('Given a batch sent, when more lines come, then they start a new beat and a new count', () => {
    batcher.push(line(1));
    vi.advanceTimersByTime(33);
    batcher.push(line(2));
    batcher.push(line(3));
    vi.advanceTimersByTime(33);
    expect(batches).toEqual([
      { lines: [line(1)], total: 1 },
      { lines: [line(2), line(3)], total: 2 },
    ]);
  });
});
