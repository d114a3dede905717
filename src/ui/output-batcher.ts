/**
 * A busy command can print thousands of lines a second; the screen hears of them on a beat
 * instead, a batch at a time, with a count of the lines that were let go.
 */
import { FULL_OUTPUT_LIMIT, type OutputLine } from './state.js';

/** About two frames: output still looks live, and a flood costs one redraw per beat. */
const FLUSH_MS = 33;

export interface OutputBatch {
  /** The newest lines, at most FULL_OUTPUT_LIMIT. */
  lines: OutputLine[];
  /** Every line since the last batch, including those let go. */
  total: number;
}

export class OutputBatcher {
  private pending: OutputLine[] = [];
  private total = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly send: (batch: OutputBatch) => void,
    private readonly flushMs = FLUSH_MS,
  ) {}

  /** Keeps a line for the next batch; the first line of a batch starts the beat. */
  push(line: OutputLine): void {
    this.pending.push(line);
    this.total++;
    // The output view keeps up to FULL_OUTPUT_LIMIT lines a block; anything older is only counted.
    // Trimming at twice the limit keeps the cost of a flood to one copy every FULL_OUTPUT_LIMIT lines.
    if (this.pending.length > FULL_OUTPUT_LIMIT * 2) this.pending = this.pending.slice(-FULL_OUTPUT_LIMIT);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Sends what is kept now (before any other event, so the screen sees things in order). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.total === 0) return;
    const batch = { lines: this.pending.slice(-FULL_OUTPUT_LIMIT), total: this.total };
    this.pending = [];
    this.total = 0;
    this.send(batch);
  }
}
