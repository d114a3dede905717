/**
 * The class server: a small HTTP API in front of the class store.
 *
 * Who may do what:
 * - every learner request carries the class token (`Authorization: Bearer <class token>`), the one
 *   printed in the join line;
 * - joining gives a learner an id and a secret of their own; sending events and reading "me" need
 *   it (`X-Kubelab-Learner: <id>.<secret>`). Events are written to the learner the secret belongs
 *   to: there is no field in which to name another one;
 * - the class status (every learner) needs the instructor token, which learners never see.
 * Tokens are compared in constant time. Bodies are limited in size and validated strictly; learners
 * are rate limited. Nothing invalid is stored.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildClassView } from './class-view.js';
import { API, EventBatchSchema, JoinRequestSchema, LEARNER_HEADER, LIMITS, describeIssue } from './protocol.js';
import type { ClassStore } from './store.js';
import { hashToken, newToken, tokenMatches } from './secrets.js';
import { WEB_PREFIX, createWebRoutes } from './web-routes.js';
import type { z } from 'zod';

export interface RateLimit {
  burst: number;
  perSecond: number;
}

export interface ClassServerLimits {
  /** Event batches per learner. */
  learner: RateLimit;
  /** Joins per client address. */
  join: RateLimit;
  maxLearners: number;
}

export const DEFAULT_LIMITS: ClassServerLimits = {
  learner: { burst: 20, perSecond: 5 },
  join: { burst: 60, perSecond: 10 },
  maxLearners: 1000,
};

export interface ClassServerObserver {
  request?(info: { method: string; path: string; status: number; ms: number }): void;
  joined?(learner: { id: string; name: string }): void;
}

export interface ClassServerOptions {
  store: ClassStore;
  /** 127.0.0.1 unless the instructor asked for more. */
  host?: string;
  port?: number;
  stuckAfterMs: number;
  limits?: Partial<ClassServerLimits>;
  observer?: ClassServerObserver;
  signal?: AbortSignal;
}

export interface ClassServer {
  /** `http://host:port`, as a learner on this machine would reach it. */
  url: string;
  port: number;
  /** A one-time link to the instructor's web view: for the instructor's terminal only. */
  newWebLink(): string;
  /** The instructor saw to a learner's raised hand (from the terminal view). */
  clearHand(learnerId: string): boolean;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export async function startClassServer(options: ClassServerOptions): Promise<ClassServer> {
  const { store, observer } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const learnerBuckets = new TokenBuckets(limits.learner, limits.maxLearners);
  const joinBuckets = new TokenBuckets(limits.join, 10_000);
  const nobody = hashToken(newToken());
  let url = '';
  let port = 0;
  const web = createWebRoutes({ store, stuckAfterMs: options.stuckAfterMs, origin: () => url, port: () => port });

  const handlers: Record<string, (req: IncomingMessage) => Promise<Reply>> = {
    [`POST ${API.join}`]: async (req) => {
      if (!joinBuckets.take(req.socket.remoteAddress ?? '')) return tooManyRequests(limits.join);
      const parsed = await readJson(req, JoinRequestSchema);
      if ('status' in parsed) return parsed;
      if (store.learnerCount() >= limits.maxLearners) return fail(403, `the class is full (${limits.maxLearners} learners)`);
      const { learnerId, learnerSecret } = store.addLearner(parsed.value.name);
      web.changed();
      observer?.joined?.({ id: learnerId, name: parsed.value.name });
      return { status: 201, body: { className: store.name, learnerId, learnerSecret } };
    },
    [`POST ${API.events}`]: async (req) => {
      const learnerId = authenticateLearner(req);
      if (!learnerId) return unauthorized('unknown learner or wrong learner secret');
      if (!learnerBuckets.take(learnerId)) return tooManyRequests(limits.learner);
      const parsed = await readJson(req, EventBatchSchema);
      if ('status' in parsed) return parsed;
      const result = store.appendEvents(learnerId, parsed.value);
      if (result.accepted > 0) web.changed();
      return { status: 200, body: result };
    },
    [`GET ${API.me}`]: async (req) => {
      const learnerId = authenticateLearner(req);
      if (!learnerId) return unauthorized('unknown learner or wrong learner secret');
      const record = store.learner(learnerId)!;
      return { status: 200, body: { id: record.id, name: record.name, state: record.state } };
    },
  };

  function authenticateLearner(req: IncomingMessage): string | undefined {
    const header = req.headers[LEARNER_HEADER];
    if (typeof header !== 'string') return undefined;
    const dot = header.indexOf('.');
    if (dot <= 0) return undefined;
    const learnerId = header.slice(0, dot);
    const expected = store.learnerSecretHash(learnerId);
    // Compare against a dummy when the id is unknown so both paths cost the same.
    const matches = tokenMatches(header.slice(dot + 1), expected ?? nobody);
    return expected && matches ? learnerId : undefined;
  }

  async function dispatch(req: IncomingMessage): Promise<Reply> {
    const path = (req.url ?? '/').split('?')[0]!;
    const token = bearer(req);
    if (path === API.status) {
      if (!tokenMatches(token, store.instructorTokenHash)) return unauthorized('the status needs the instructor token');
      if (req.method !== 'GET') return fail(405, 'use GET');
      return { status: 200, body: buildClassView(store.snapshot(), { now: Date.now(), stuckAfterMs: options.stuckAfterMs }) };
    }
    if (!tokenMatches(token, store.classTokenHash)) return unauthorized('wrong or missing class token');
    const handler = handlers[`${req.method} ${path}`];
    if (handler) return handler(req);
    const known = Object.keys(handlers).some((key) => key.endsWith(` ${path}`));
    return known ? fail(405, 'method not allowed') : fail(404, `no such endpoint: ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === WEB_PREFIX || path.startsWith(`${WEB_PREFIX}/`)) return handleWeb(req, res, path, started);
    let reply: Reply;
    try {
      reply = await dispatch(req);
    } catch (error) {
      reply = fail(500, 'the class server failed to handle this request');
      process.emitWarning(`class server: ${error instanceof Error ? error.message : String(error)}`);
    }
    const body = JSON.stringify(reply.body);
    const unread = !req.complete;
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      ...(unread ? { connection: 'close' } : {}),
      ...reply.headers,
    });
    res.end(body);
    observer?.request?.({ method: req.method ?? '', path: req.url ?? '', status: reply.status, ms: performance.now() - started });
  }

  /** The web view writes its own answers: HTML, scripts, CSV and event streams are not JSON. */
  async function handleWeb(req: IncomingMessage, res: ServerResponse, path: string, started: number): Promise<void> {
    let status: number;
    try {
      status = await web.handle(req, res, path);
    } catch (error) {
      status = 500;
      process.emitWarning(`class server: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('the class server failed to handle this request');
    }
    observer?.request?.({ method: req.method ?? '', path: req.url ?? '', status, ms: performance.now() - started });
  }

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 }, (req, res) => {
    void handle(req, res);
  });
  server.maxHeadersCount = 50;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  url = `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      web.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  options.signal?.addEventListener('abort', () => void close(), { once: true });

  return { url, port, close, newWebLink: web.newLoginLink, clearHand: web.clearHand };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function fail(status: number, reason: string): Reply {
  return { status, body: { error: reason } };
}

function unauthorized(reason: string): Reply {
  return { status: 401, body: { error: reason }, headers: { 'www-authenticate': 'Bearer realm="kubelab-class"' } };
}

function tooManyRequests(limit: RateLimit): Reply {
  return { status: 429, body: { error: 'too many requests, slow down' }, headers: { 'retry-after': String(Math.ceil(1 / limit.perSecond)) } };
}

/** Reads at most LIMITS.bodyBytes of JSON and validates it; a Reply says why it was refused. */
async function readJson<T extends z.ZodTypeAny>(req: IncomingMessage, schema: T): Promise<{ value: z.infer<T> } | Reply> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return fail(415, 'send application/json');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > LIMITS.bodyBytes) return fail(413, `body larger than ${LIMITS.bodyBytes} bytes`);
  const body = await new Promise<Buffer | 'too-large' | 'aborted'>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= LIMITS.bodyBytes) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve('too-large');
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => resolve('aborted')); // no-op once 'end' resolved it
  });
  if (body === 'too-large') return fail(413, `body larger than ${LIMITS.bodyBytes} bytes`);
  if (body === 'aborted') return fail(400, 'the request body was cut off');
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return fail(400, `body is not JSON: ${error instanceof Error ? error.message : 'parse error'}`);
  }
  const result = schema.safeParse(json);
  if (!result.success) return fail(400, describeIssue(result.error));
  return { value: result.data };
}

/** A token bucket per key; the map is bounded so an attacker cannot grow it without end. */
class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys: number,
  ) {}

  take(key: string, now = performance.now()): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.buckets.clear();
      bucket = { tokens: this.limit.burst, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
