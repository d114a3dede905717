/**
 * The class on disk: one SQLite file per class under `stateDir()/classes/<name>.sqlite`.
 *
 * Durability: WAL with synchronous=FULL, and the server answers a batch only after its transaction
 * committed, so whatever a learner saw acknowledged survives a crash of the server (kill -9) and of
 * the machine. Reopening the same name reopens the same class with the same tokens.
 */
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stateDir } from '../paths.js';
import { applyClassEvent, emptyLearnerState, lowerHand, type LearnerState } from './learner-state.js';
import type { ClassEvent, EventBatch } from './protocol.js';
import { hashToken, newToken } from './secrets.js';

const SCHEMA_VERSION = '1';

export interface LearnerRecord {
  id: string;
  name: string;
  joinedAt: number;
  state: LearnerState;
}

export interface ClassSnapshot {
  className: string;
  learners: LearnerRecord[];
}

export interface StoredEvent {
  event: ClassEvent;
  /** Server clock, corrected for the learner's clock skew. */
  at: number;
  receivedAt: number;
}

export interface BatchResult {
  accepted: number;
  duplicates: number;
  /** So the learner's app learns when the instructor cleared their hand. */
  handRaised: boolean;
}

/** One learner's log, for the session's record. */
export interface LearnerLog {
  learner: LearnerRecord;
  events: StoredEvent[];
}

export function classDatabasePath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'classes', `${name}.sqlite`);
}

export class ClassStore {
  readonly classTokenHash: Buffer;
  readonly instructorTokenHash: Buffer;
  private readonly statements: Statements;
  private readonly appendTransaction: (learnerId: string, batch: EventBatch, now: number) => Omit<BatchResult, 'handRaised'> & { state: LearnerState };
  /**
   * Every learner's record, as committed. This process is the only writer, so the instructor view
   * can poll every second without reading and parsing the table each time.
   */
  private readonly records = new Map<string, LearnerRecord>();

  private constructor(
    private readonly db: Database.Database,
    readonly name: string,
    /** Kept in the file (mode 0600, folder 0700) so a reopened class prints the same join line. */
    readonly classToken: string,
    readonly instructorToken: string,
  ) {
    this.classTokenHash = hashToken(classToken);
    this.instructorTokenHash = hashToken(instructorToken);
    this.statements = prepareStatements(db);
    for (const row of this.statements.learners.all() as LearnerRow[]) this.records.set(row.id, toRecord(row));
    this.appendTransaction = db.transaction((learnerId: string, batch: EventBatch, now: number) => {
      const record = this.records.get(learnerId);
      if (!record) throw new Error(`no learner ${learnerId}`);
      let state = record.state;
      const skew = now - batch.sentAt;
      let accepted = 0;
      for (const event of batch.events) {
        const at = Math.min(now, Math.max(0, event.at + skew));
        const inserted = this.statements.insertEvent.run(learnerId, event.id, event.type, at, now, JSON.stringify(event));
        if (inserted.changes === 0) continue;
        accepted++;
        state = applyClassEvent(state, event, at);
      }
      if (accepted > 0) this.statements.updateState.run(JSON.stringify(state), learnerId);
      return { accepted, duplicates: batch.events.length - accepted, state };
    });
  }

  static open(file: string, name: string): ClassStore {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const db = new Database(file);
    chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS learners (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash BLOB NOT NULL,
        joined_at INTEGER NOT NULL,
        state TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS events (
        learner_id TEXT NOT NULL REFERENCES learners(id),
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (learner_id, event_id)
      );
    `);
    const meta = (key: string, fallback: () => string): string => {
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, fallback());
      return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string }).value;
    };
    const version = meta('schema_version', () => SCHEMA_VERSION);
    if (version !== SCHEMA_VERSION) {
      db.close();
      throw new Error(`${file} has class schema ${version}; this kubelab reads ${SCHEMA_VERSION}`);
    }
    meta('created_at', () => String(Date.now()));
    return new ClassStore(db, name, meta('class_token', newToken), meta('instructor_token', newToken));
  }

  addLearner(name: string, now = Date.now()): { learnerId: string; learnerSecret: string } {
    const learnerId = randomUUID();
    const learnerSecret = newToken();
    const state = emptyLearnerState();
    this.statements.insertLearner.run(learnerId, name, hashToken(learnerSecret), now, JSON.stringify(state));
    this.records.set(learnerId, { id: learnerId, name, joinedAt: now, state });
    return { learnerId, learnerSecret };
  }

  learnerSecretHash(learnerId: string): Buffer | undefined {
    const row = this.statements.secretHash.get(learnerId) as { secret_hash: Buffer } | undefined;
    return row?.secret_hash;
  }

  /** Stores the batch's new events and folds them into the learner's state, in one transaction. */
  appendEvents(learnerId: string, batch: EventBatch, now = Date.now()): BatchResult {
    const { accepted, duplicates, state } = this.appendTransaction(learnerId, batch, now);
    // Only after the commit: a failed transaction leaves the cached record as it was.
    this.records.set(learnerId, { ...this.records.get(learnerId)!, state });
    return { accepted, duplicates, handRaised: state.hand !== undefined };
  }

  /**
   * The instructor saw to a raised hand. Logged as the learner's hand going down (type
   * `hand-cleared` in the log says who lowered it). False when the hand was not up.
   */
  clearHand(learnerId: string, now = Date.now()): boolean {
    const record = this.records.get(learnerId);
    if (!record?.state.hand) return false;
    const state = lowerHand(record.state);
    const event: ClassEvent = { type: 'hand-lowered', id: randomUUID(), at: now };
    this.clearTransaction(learnerId, event, now, state);
    this.records.set(learnerId, { ...record, state });
    return true;
  }

  private clearTransaction(learnerId: string, event: ClassEvent, now: number, state: LearnerState): void {
    this.db.transaction(() => {
      this.statements.insertEvent.run(learnerId, event.id, 'hand-cleared', now, now, JSON.stringify(event));
      this.statements.updateState.run(JSON.stringify(state), learnerId);
    })();
  }

  /** When the class was first opened (server clock). */
  createdAt(): number {
    return Number((this.statements.meta.get('created_at') as { value: string } | undefined)?.value ?? 0);
  }

  /** Every learner with their whole log, in join order: what `class export` writes out. */
  logs(): LearnerLog[] {
    const byLearner = new Map<string, StoredEvent[]>();
    for (const row of this.statements.allEvents.iterate() as IterableIterator<EventRow & { learner_id: string }>) {
      let events = byLearner.get(row.learner_id);
      if (!events) byLearner.set(row.learner_id, (events = []));
      events.push(toStoredEvent(row));
    }
    return this.snapshot().learners.map((learner) => ({ learner, events: byLearner.get(learner.id) ?? [] }));
  }

  learner(learnerId: string): LearnerRecord | undefined {
    return this.records.get(learnerId);
  }

  learnerCount(): number {
    return this.records.size;
  }

  /** Records are replaced, never changed in place, so a snapshot stays as it was taken. */
  snapshot(): ClassSnapshot {
    return { className: this.name, learners: [...this.records.values()] };
  }

  eventLog(learnerId: string): StoredEvent[] {
    return (this.statements.eventLog.all(learnerId) as EventRow[]).map(toStoredEvent);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertLearner: db.prepare('INSERT INTO learners (id, name, secret_hash, joined_at, state) VALUES (?, ?, ?, ?, ?)'),
    secretHash: db.prepare('SELECT secret_hash FROM learners WHERE id = ?'),
    learners: db.prepare('SELECT id, name, joined_at, state FROM learners ORDER BY joined_at, id'),
    insertEvent: db.prepare('INSERT OR IGNORE INTO events (learner_id, event_id, type, at, received_at, body) VALUES (?, ?, ?, ?, ?, ?)'),
    updateState: db.prepare('UPDATE learners SET state = ? WHERE id = ?'),
    eventLog: db.prepare('SELECT body, at, received_at FROM events WHERE learner_id = ? ORDER BY rowid'),
    allEvents: db.prepare('SELECT learner_id, body, at, received_at FROM events ORDER BY learner_id, rowid'),
    meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

interface LearnerRow {
  id: string;
  name: string;
  joined_at: number;
  state: string;
}

interface EventRow {
  body: string;
  at: number;
  received_at: number;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return { event: JSON.parse(row.body) as ClassEvent, at: row.at, receivedAt: row.received_at };
}

function toRecord(row: LearnerRow): LearnerRecord {
  return { id: row.id, name: row.name, joinedAt: row.joined_at, state: JSON.parse(row.state) as LearnerState };
}
