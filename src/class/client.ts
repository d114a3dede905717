/**
 * The learner's side of a class: joining, leaving, and the reporter that turns engine events into
 * class events and sends them in the background.
 *
 * The reporter never stands in the learner's way: the listener only queues (in memory, written to
 * disk behind it), sending happens later with short timeouts, and no failure of the class server
 * turns into a thrown error or a rejected promise in the app.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { EnvironmentError, UsageError } from '../errors.js';
import { Redactor } from '../engine/running/redact.js';
import type { EngineEvent } from '../engine/types.js';
import { formatDuration, type ClassView } from './class-view.js';
import { readMembership, outboxDir, removeMembership, writeMembership, type ClassMembership } from './membership.js';
import { Outbox } from './outbox.js';
import {
  API,
  ClassEventSchema,
  JoinResponseSchema,
  LEARNER_HEADER,
  LIMITS,
  type ClassEvent,
  type EventBatch,
  type BatchResponse,
} from './protocol.js';
import { safeText } from './safe-text.js';
import { createTranslator, type Translator } from '../engine/i18n/translate.js';

export interface ClassReporter {
  listener: (event: EngineEvent) => void;
  /** For the app's status bar: which class, and whether progress is getting through. */
  /** In the learner's language when given one (the app's), else English. */
  statusLine(t?: Translator): string;
  /** Raises the learner's hand (asks the instructor for help), or lowers it; the new state. */
  toggleHand(): boolean;
  /** Sends what it can within a moment, keeps the rest on disk for next time. Never rejects. */
  close(): Promise<void>;
}

export interface ClassReporterOptions {
  env: NodeJS.ProcessEnv;
  /** The session's redactor, when there is one (it knows the kubeconfig's credentials too). */
  redactor?: Redactor;
  /** Per request; the server is on the local network, so an answer comes fast or not at all. */
  requestTimeoutMs?: number;
  /** Waiting between attempts while the server is unreachable: doubles from min up to max. */
  retryMs?: { min: number; max: number };
  /** How long `close()` keeps trying to send. */
  closeTimeoutMs?: number;
}

/** A class server answered with something other than success. */
export class ClassHttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`class server answered ${status}: ${reason}`);
    this.name = 'ClassHttpError';
  }
}

/** Undefined when this learner has not joined a class. */
export function createClassReporter(options: ClassReporterOptions): ClassReporter | undefined {
  try {
    const membership = readMembership(options.env);
    return membership && new BackgroundReporter(membership, options);
  } catch {
    return undefined; // a class must never keep the app from starting
  }
}

type Connection = 'sending' | 'idle' | 'unreachable' | 'refused' | 'left';

class BackgroundReporter implements ClassReporter {
  private readonly outbox: Outbox;
  private readonly redactor: Redactor;
  private readonly stop = new AbortController();
  private connection: Connection = 'idle';
  private sending: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private readonly requestTimeoutMs: number;
  private readonly retryMs: { min: number; max: number };
  /** Since when the hand is up (this app's clock), as far as this app knows. */
  private handSince: number | undefined;
  /** The instructor lowered it: said once on the status bar. */
  private handCleared = false;

  constructor(
    private readonly membership: ClassMembership,
    private readonly options: ClassReporterOptions,
  ) {
    this.outbox = Outbox.open(outboxDir(options.env), membership.learnerId);
    this.redactor = options.redactor ?? Redactor.fromEnv(options.env);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 3000;
    this.retryMs = options.retryMs ?? { min: 1000, max: 30_000 };
    if (this.outbox.size > 0) this.kick();
  }

  listener = (event: EngineEvent): void => {
    if (this.closed || this.connection === 'refused' || this.connection === 'left') return;
    try {
      const classEvent = toClassEvent(event, this.redactor);
      if (!classEvent) return;
      this.outbox.push(classEvent);
      this.kick();
    } catch {
      // Reporting progress is never worth breaking the lesson for.
    }
  };

  toggleHand(): boolean {
    const raise = this.handSince === undefined;
    this.handSince = raise ? Date.now() : undefined;
    this.handCleared = false;
    if (!this.closed && this.connection !== 'refused' && this.connection !== 'left') {
      this.outbox.push({ type: raise ? 'hand-raised' : 'hand-lowered', id: randomUUID(), at: Date.now() });
      this.kick();
    }
    return raise;
  }

  statusLine({ t }: Translator = createTranslator('en')): string {
    const who = `${t('class.who', { className: safeText(this.membership.className, 32), name: safeText(this.membership.name, 24) })}${this.handLine(t)}`;
    if (this.connection === 'left') return t('class.left');
    if (this.connection === 'refused') return t('class.refused', { who });
    const queued = this.outbox.size;
    if (this.connection === 'unreachable') return t('class.unreachable', { who, count: String(queued) });
    return queued > 0 ? t('class.sending', { who, count: String(queued) }) : t('class.shared', { who });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.options.closeTimeoutMs ?? 1500).unref());
    const drain = (async () => {
      await this.sending;
      if (this.outbox.size > 0 && this.connection !== 'refused' && this.connection !== 'left') await this.sendAll();
    })();
    await Promise.race([drain.catch(() => {}), deadline]);
    this.stop.abort();
    await this.sending?.catch(() => {});
    await this.outbox.close();
  }

  private handLine(t: Translator['t']): string {
    if (this.handSince !== undefined) return t('class.handUp', { duration: formatDuration(Date.now() - this.handSince) });
    return this.handCleared ? t('class.handSeen') : '';
  }

  /** The server's word on the hand wins once no hand event of ours is still on its way. */
  private learnHand(raised: boolean | undefined): void {
    if (raised === undefined || this.outbox.peek(LIMITS.eventsPerBatch * 10).some((e) => e.type === 'hand-raised' || e.type === 'hand-lowered')) return;
    if (!raised && this.handSince !== undefined) {
      this.handSince = undefined;
      this.handCleared = true;
    } else if (raised && this.handSince === undefined) {
      this.handSince = Date.now();
    }
  }

  /** Starts sending unless a send is running or a retry is already scheduled. */
  private kick(): void {
    if (this.sending || this.retryTimer || this.stop.signal.aborted) return;
    this.sending = this.sendAll()
      .catch(() => {})
      .finally(() => {
        this.sending = undefined;
      });
  }

  private async sendAll(): Promise<void> {
    while (this.outbox.size > 0 && !this.stop.signal.aborted) {
      if (this.hasLeft()) return;
      const events = fitBatch(this.outbox.peek(LIMITS.eventsPerBatch));
      this.connection = 'sending';
      try {
        const answer = await postEvents(this.membership, { sentAt: Date.now(), events }, this.requestSignal());
        this.outbox.remove(new Set(events.map((e) => e.id)));
        this.learnHand(answer?.handRaised);
        this.failures = 0;
        this.connection = 'idle';
      } catch (error) {
        if (error instanceof ClassHttpError && (error.status === 401 || error.status === 403)) {
          this.connection = 'refused';
          return;
        }
        if (error instanceof ClassHttpError && error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 408) {
          // The server will never take this batch; keeping it would block everything behind it.
          this.outbox.remove(new Set(events.map((e) => e.id)));
          continue;
        }
        this.connection = 'unreachable';
        this.scheduleRetry();
        return;
      }
    }
  }

  /** `kubelab class leave` (or a new join) in another terminal stops this app's reporting too. */
  private hasLeft(): boolean {
    if (readMembership(this.options.env)?.learnerId === this.membership.learnerId) return false;
    this.connection = 'left';
    this.outbox.discard();
    return true;
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    const delay = Math.min(this.retryMs.max, this.retryMs.min * 2 ** this.failures) * (0.75 + Math.random() * 0.5);
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, delay);
    this.retryTimer.unref();
  }

  private requestSignal(): AbortSignal {
    return AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.requestTimeoutMs)]);
  }
}

/**
 * The class event for an engine event, or undefined for what a class never sees (command output,
 * the commands themselves, check progress). Text is redacted, made one line and cut to size.
 */
export function toClassEvent(event: EngineEvent, redactor: Redactor, now = Date.now()): ClassEvent | undefined {
  const envelope = { id: randomUUID(), at: now };
  // text(), not line(): each event is complete in itself, no key spans two events.
  const title = (text: string) => safeText(redactor.text(text), LIMITS.title);
  const id = (text: string) => safeText(text, LIMITS.id);
  let candidate: ClassEvent;
  switch (event.type) {
    case 'lesson-start':
      candidate = { type: 'lesson-started', ...envelope, lessonId: id(event.lessonId), title: title(event.title) };
      break;
    case 'lesson-end':
      // A lesson brought up to date by catch-up was gone through: finished, as passed.
      candidate = { type: 'lesson-finished', ...envelope, lessonId: id(event.lessonId), status: event.status === 'caught-up' ? 'passed' : event.status, durationMs: duration(event.durationMs) };
      break;
    case 'step-start':
      candidate = { type: 'step-started', ...envelope, lessonId: id(event.lessonId), stepId: id(event.stepId), title: title(event.title) };
      break;
    case 'step-end':
      candidate = {
        type: 'step-finished',
        ...envelope,
        lessonId: id(event.lessonId),
        stepId: id(event.stepId),
        status: event.status,
        durationMs: duration(event.durationMs),
      };
      break;
    case 'check-end': {
      if (event.result.status === 'skip') return undefined;
      const outcome = event.result.status === 'pass' ? 'passed' : event.result.status === 'error' ? 'error' : 'failed';
      const firstLine = event.result.message.split('\n', 1)[0] ?? '';
      candidate = {
        type: 'check',
        ...envelope,
        lessonId: id(event.lessonId),
        stepId: id(event.stepId),
        checkId: id(event.checkId),
        outcome,
        message: safeText(redactor.text(firstLine), LIMITS.message),
      };
      break;
    }
    case 'hint-revealed':
      candidate = { type: 'hint-revealed', ...envelope, lessonId: id(event.lessonId), stepId: id(event.stepId), index: Math.min(100, event.index) };
      break;
    case 'solution-shown':
      candidate = { type: 'solution-shown', ...envelope, lessonId: id(event.lessonId), stepId: id(event.stepId) };
      break;
    default:
      return undefined;
  }
  // Whatever the server would refuse is not worth queueing.
  return ClassEventSchema.safeParse(candidate).success ? candidate : undefined;
}

/** As many events as fit well under the server's body limit (at least one; one is always small). */
function fitBatch(events: ClassEvent[]): ClassEvent[] {
  const budget = LIMITS.bodyBytes - 1024;
  let size = 64;
  const batch: ClassEvent[] = [];
  for (const event of events) {
    size += Buffer.byteLength(JSON.stringify(event)) + 1;
    if (batch.length > 0 && size > budget) break;
    batch.push(event);
  }
  return batch;
}

function duration(ms: number): number {
  return Math.min(7 * 24 * 3600 * 1000, Math.max(0, Math.round(ms)));
}

// ---- HTTP ---------------------------------------------------------------------------------------

/** A learner's batch. Resolves once the server stored it; retrying the same batch is harmless. */
export async function postEvents(membership: ClassMembership, batch: EventBatch, signal: AbortSignal): Promise<BatchResponse> {
  return (await request(membership.url, API.events, {
    method: 'POST',
    token: membership.classToken,
    learner: `${membership.learnerId}.${membership.learnerSecret}`,
    body: batch,
    signal,
  })) as BatchResponse;
}

export interface JoinOptions {
  url: string;
  token: string;
  name: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Pauses before each retry of a refused (429) join; the default waits about 15 s in all. */
  retryDelaysMs?: readonly number[];
}

/** Joins the class and saves the membership; a previous class (and its queue) is left. */
export async function joinClass(options: JoinOptions): Promise<ClassMembership> {
  const url = classUrl(options.url);
  const name = safeText(options.name, LIMITS.name);
  if (!name) throw new UsageError('--name must contain visible characters.');
  const answer = await callServer(url, () =>
    politely(() => request(url, API.join, { method: 'POST', token: options.token, body: { name }, signal: withTimeout(options.signal, 5000) }), options.signal, options.retryDelaysMs),
  );
  const joined = JoinResponseSchema.parse(answer);
  const membership: ClassMembership = {
    version: 1,
    url,
    className: joined.className,
    name,
    learnerId: joined.learnerId,
    learnerSecret: joined.learnerSecret,
    classToken: options.token,
    joinedAt: Date.now(),
  };
  await removeMembership(options.env);
  await writeMembership(options.env, membership);
  return membership;
}

/** Stops reporting for this learner: the membership and any queued events are removed. */
export async function leaveClass(env: NodeJS.ProcessEnv): Promise<ClassMembership | undefined> {
  const membership = readMembership(env);
  await removeMembership(env);
  return membership;
}

/** The instructor's view of the class, as the server computes it. */
export async function fetchClassStatus(options: { url: string; token: string; signal: AbortSignal }): Promise<ClassView> {
  const url = classUrl(options.url);
  return (await callServer(url, () =>
    request(url, API.status, { method: 'GET', token: options.token, signal: withTimeout(options.signal, 5000) }),
  )) as ClassView;
}

/** Checks and normalises a class URL: http(s), no trailing slash. */
export function classUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a URL.`, 'Paste the join line the instructor shows, e.g. kubelab class join http://10.0.0.5:7420 --token …');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`The class URL must start with http:// or https:// (got ${url.protocol}).`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** For the one-shot commands: server answers become usage errors, silence an environment error. */
/**
 * A class of thirty joining at once meets the server's rate limit: a 429 is "not now", so the call
 * is tried again after a growing pause (with jitter, so the room does not retry in step), a
 * bounded number of times. The last 429 is the caller's to report.
 */
async function politely<T>(call: () => Promise<T>, signal: AbortSignal, delaysMs: readonly number[] = JOIN_RETRY_DELAYS_MS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ClassHttpError) || error.status !== 429 || attempt >= delaysMs.length || signal.aborted) throw error;
      const pause = delaysMs[attempt] * (0.75 + Math.random() * 0.5);
      await sleep(pause, undefined, { signal });
    }
  }
}

/** About 15 s in all, then the join gives up (exit 3). */
const JOIN_RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

async function callServer(url: string, call: () => Promise<unknown>): Promise<unknown> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ClassHttpError) {
      // Busy is not a usage error: the same command works in a moment.
      if (error.status === 429) throw new EnvironmentError(`The class server at ${url} is busy (too many requests) and still refused after several tries.`, 'Wait a minute, then run the same join again.');
      if (error.status === 401) throw new UsageError(`The class server at ${url} refused the token: ${error.reason}.`, 'Check the token in the line the instructor shared.');
      throw new UsageError(`The class server at ${url} answered ${error.status}: ${error.reason}.`);
    }
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
      throw new EnvironmentError(`The class server at ${url} did not answer in time.`, 'Check the URL and that you are on the same network.');
    }
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    throw new EnvironmentError(`Cannot reach the class server at ${url}${cause}.`, 'Check the URL and that the instructor is running: kubelab class serve');
  }
}

interface RequestOptions {
  method: 'GET' | 'POST';
  token: string;
  learner?: string;
  body?: unknown;
  signal: AbortSignal;
}

async function request(base: string, path: string, options: RequestOptions): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'application/json' };
  if (options.learner) headers[LEARNER_HEADER] = options.learner;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method: options.method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const reason = (json as { error?: unknown } | undefined)?.error;
    throw new ClassHttpError(response.status, typeof reason === 'string' ? safeText(reason, 200) : response.statusText);
  }
  return json;
}

function withTimeout(signal: AbortSignal, ms: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}
