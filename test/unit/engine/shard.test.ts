import { describe, expect, it } from 'vitest';
import { parseShard, shardOf } from '../../../src/engine/running/shard.js';

describe('validate --shard I/N', () => {
  it('given N shards, when each takes its part, then every lesson is in exactly one and the parts are even', () => {
    const lessons = Array.from({ length: 10 }, (_, i) => `l${i}`);
    const parts = [1, 2, 3].map((index) => shardOf(lessons, { index, count: 3 }));
    expect(parts.map((p) => p.length)).toEqual([4, 3, 3]);
    expect(parts.flat().sort()).toEqual([...lessons].sort());
  });

  it('given shard texts, when read, then only I/N with 1 ≤ I ≤ N is one', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0', '-1/2']) expect(parseShard(bad)).toBeUndefined();
  });
});
