/**
 * `validate --shard I/N`: one CI job's part of a workshop. Lessons are dealt round-robin in the
 * workshop's order, so the parts are of even size, each lesson is in exactly one part, and the
 * parts' reports add up to the whole run's.
 */
export interface Shard {
  index: number;
  count: number;
}

/** Reads `I/N` (1 ≤ I ≤ N); undefined when it is not that. */
export function parseShard(text: string): Shard | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

export function shardOf<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}
