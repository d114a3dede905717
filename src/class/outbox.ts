/**
 * Class events waiting to be sent, bounded and kept on disk so a closed laptop or a restarted app
 * does not lose them.
 *
 * Each running kubelab owns one file, `<pid>-<random>.json`, so a TUI and a headless `validate` in
 * another terminal never overwrite each other's queue. A file is someone else's to adopt when its
 * process is gone, or when its owner closed it while the server was down (`orphan-*.json`).
 * Adopting is a rename, which only one process can win.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../engine/running/atomic.js';
import { ClassEventSchema, type ClassEvent } from './protocol.js';

export const MAX_QUEUED_EVENTS = 1000;

interface OutboxFile {
  learnerId: string;
  events: unknown[];
}

export class Outbox {
  private events: ClassEvent[] = [];
  /** Events dropped because the queue was full (oldest first: where a learner is now matters most). */
  dropped = 0;
  private readonly file: string;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly learnerId: string,
    private readonly max: number,
  ) {
    this.file = join(dir, `${process.pid}-${randomBytes(6).toString('hex')}.json`);
  }

  /** Opens this process's queue and adopts what dead or closed kubelabs left behind. */
  static open(dir: string, learnerId: string, max = MAX_QUEUED_EVENTS): Outbox {
    const outbox = new Outbox(dir, learnerId, max);
    try {
      outbox.adoptLeftovers();
    } catch {
      // A damaged queue folder must not stop the app; the events in it are lost, nothing else.
    }
    return outbox;
  }

  get size(): number {
    return this.events.length;
  }

  push(event: ClassEvent): void {
    this.events.push(event);
    const excess = this.events.length - this.max;
    if (excess > 0) {
      this.events.splice(0, excess);
      this.dropped += excess;
    }
    this.save();
  }

  peek(count: number): ClassEvent[] {
    return this.events.slice(0, count);
  }

  remove(ids: Set<string>): void {
    this.events = this.events.filter((e) => !ids.has(e.id));
    this.save();
  }

  /** Writes the queue soon: one write at a time, the latest content wins, errors are ignored. */
  private save(): void {
    this.dirty = true;
    if (this.writing || this.closed) return;
    this.writing = (async () => {
      while (this.dirty && !this.closed) {
        this.dirty = false;
        try {
          if (this.events.length === 0) await rm(this.file, { force: true });
          else await writeFileAtomic(this.file, this.serialize());
        } catch {
          // Disk full or folder removed (`class leave`): the queue still lives in memory.
        }
      }
    })().finally(() => {
      this.writing = undefined;
    });
  }

  /** The learner left the class: forget the queue and never write it again. */
  discard(): void {
    this.events = [];
    this.dirty = false;
    this.closed = true;
    void this.writing?.finally(() => rm(this.file, { force: true }).catch(() => {}));
    void rm(this.file, { force: true }).catch(() => {});
  }

  /** Waits for the last write, then hands the file over to whichever kubelab starts next. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.writing;
    this.closed = true;
    try {
      if (this.events.length === 0) {
        await rm(this.file, { force: true });
      } else {
        await writeFileAtomic(this.file, this.serialize());
        await rename(this.file, join(this.dir, `orphan-${randomBytes(6).toString('hex')}.json`));
      }
    } catch {
      // Nothing more to do: the learner's app must be able to exit.
    }
  }

  private serialize(): string {
    const file: OutboxFile = { learnerId: this.learnerId, events: this.events };
    return JSON.stringify(file);
  }

  private adoptLeftovers(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const claimed: string[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json') || !isLeftover(name)) continue;
      const claim = `${this.file.slice(0, -'.json'.length)}-c${claimed.length}.json`;
      try {
        renameSync(join(this.dir, name), claim);
      } catch {
        continue; // another kubelab adopted it first
      }
      claimed.push(claim);
      try {
        const content = JSON.parse(readFileSync(claim, 'utf8')) as OutboxFile;
        if (content.learnerId !== this.learnerId) continue; // from a class this learner left
        for (const raw of content.events) {
          const parsed = ClassEventSchema.safeParse(raw);
          if (parsed.success) this.events.push(parsed.data);
        }
      } catch {
        // unreadable: dropped
      }
    }
    if (claimed.length === 0) return;
    this.events.sort((a, b) => a.at - b.at);
    if (this.events.length > this.max) {
      this.dropped += this.events.length - this.max;
      this.events.splice(0, this.events.length - this.max);
    }
    // Ours is written before the claims go, so a crash here loses nothing.
    if (this.events.length > 0) {
      writeFileSync(`${this.file}.tmp`, this.serialize(), { mode: 0o600 });
      renameSync(`${this.file}.tmp`, this.file);
    }
    for (const claim of claimed) rmSync(claim, { force: true });
  }
}

function isLeftover(name: string): boolean {
  if (name.startsWith('orphan-')) return true;
  const pid = Number(name.split('-')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
