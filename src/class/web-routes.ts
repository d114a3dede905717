/**
 * The instructor's web view, under `/class/` on the class server's port: a static page, one
 * script and one stylesheet (served from the installation, nothing from the internet), the
 * class view as JSON and as a live event stream, clearing a raised hand, and the session record.
 *
 * Everything but the static files needs the session cookie a one-time login link set
 * (web-access.ts). Class tokens and learner secrets open nothing here. Changes (clearing a hand)
 * also need the page's CSRF token and an Origin of this very server, on top of SameSite=Strict.
 * Every answer carries a Content-Security-Policy that allows this server's own script and style
 * only: no inline script or style, no other origin.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { kubelabHome } from '../paths.js';
import { buildSessionRecord, sessionCsvFiles } from './export.js';
import { hashToken, tokenMatches } from './secrets.js';
import type { ClassStore } from './store.js';
import { WebAccess } from './web-access.js';
import { ViewStream } from './web-stream.js';

export const WEB_PREFIX = '/class';
export const CSRF_HEADER = 'x-kubelab-csrf';

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

const STATIC: Record<string, { file: string; type: string }> = {
  '/class/instructor.js': { file: 'instructor.js', type: 'text/javascript; charset=utf-8' },
  '/class/instructor.css': { file: 'instructor.css', type: 'text/css; charset=utf-8' },
};

const EXPORTS: Record<string, string> = {
  'record.json': 'application/json; charset=utf-8',
  'learners.csv': 'text/csv; charset=utf-8',
  'steps.csv': 'text/csv; charset=utf-8',
  'checks.csv': 'text/csv; charset=utf-8',
};

export interface WebRoutesOptions {
  store: ClassStore;
  stuckAfterMs: number;
  /** The server's own URL (known once it listens), for login links. */
  origin: () => string;
  port: () => number;
}

export interface WebRoutes {
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<number>;
  /** A learner's state changed: the event stream sends a new view soon. */
  changed(): void;
  /** A one-time link that signs one browser in (printed on the instructor's terminal only). */
  newLoginLink(): string;
  clearHand(learnerId: string): boolean;
  close(): void;
}

export function createWebRoutes(options: WebRoutesOptions): WebRoutes {
  const { store } = options;
  let access: WebAccess | undefined;
  const sessions = () => (access ??= new WebAccess(`kubelab_class_${options.port()}`));
  const stream = new ViewStream({ store, stuckAfterMs: options.stuckAfterMs });
  const files = new Map<string, Buffer>();
  const asset = async (name: string): Promise<Buffer> => {
    let content = files.get(name);
    if (!content) files.set(name, (content = await readFile(join(webAssetsDir(), name))));
    return content;
  };

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): number => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
    return status;
  };
  const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  const refuse = (res: ServerResponse) => json(res, 401, { error: 'not signed in: open the one-time link class serve prints (w prints a new one)' });

  const clearHand = (learnerId: string): boolean => {
    const cleared = store.clearHand(learnerId);
    if (cleared) stream.changed();
    return cleared;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://class.invalid');
    const method = req.method ?? 'GET';
    const staticFile = STATIC[path];
    if (staticFile && method === 'GET') return send(res, 200, staticFile.type, await asset(staticFile.file));

    if (path === '/class/login' && method === 'GET') {
      const redeemed = sessions().redeem(url.searchParams.get('code'));
      if (!redeemed) return send(res, 403, 'text/html; charset=utf-8', await asset('signed-out.html'));
      // Redirect so the used code leaves the address bar and the history.
      return send(res, 303, 'text/plain; charset=utf-8', 'Signed in.', { location: '/class/', 'set-cookie': sessions().setCookie(redeemed.sessionId) });
    }

    const session = sessions().session(req.headers.cookie);
    if ((path === '/class/' || path === '/class') && method === 'GET') {
      return send(res, session ? 200 : 401, 'text/html; charset=utf-8', await asset(session ? 'instructor.html' : 'signed-out.html'));
    }
    if (!session) return refuse(res);
    const projector = url.searchParams.get('projector') === '1';

    if (path === '/class/session' && method === 'GET') return json(res, 200, { csrfToken: session.csrfToken });
    if (path === '/class/view' && method === 'GET') return json(res, 200, stream.view(projector));
    if (path === '/class/stream' && method === 'GET') {
      if (!stream.subscribe(res, projector, SECURITY_HEADERS)) return json(res, 503, { error: 'too many open views of this class' });
      return 200;
    }

    const exportFile = /^\/class\/export\/([a-z]+\.(?:json|csv))$/.exec(path)?.[1];
    if (exportFile && EXPORTS[exportFile] && method === 'GET') {
      const record = buildSessionRecord(store.name, store.logs(), { now: Date.now(), openedAt: store.createdAt() });
      const body = exportFile === 'record.json' ? `${JSON.stringify(record, null, 2)}\n` : sessionCsvFiles(record)[exportFile as keyof ReturnType<typeof sessionCsvFiles>];
      return send(res, 200, EXPORTS[exportFile]!, body, { 'content-disposition': `attachment; filename="${store.name}-${exportFile}"` });
    }

    const hand = /^\/class\/hands\/([A-Za-z0-9-]{1,64})\/clear$/.exec(path)?.[1];
    if (hand && method === 'POST') {
      const problem = forgeryProblem(req, session.csrfToken);
      if (problem) return json(res, 403, { error: problem });
      if (!store.learner(hand)) return json(res, 404, { error: 'no such learner' });
      clearHand(hand);
      res.writeHead(204, SECURITY_HEADERS);
      res.end();
      return 204;
    }
    return json(res, 404, { error: `no such page: ${path}` });
  }

  return {
    handle,
    changed: () => stream.changed(),
    newLoginLink: () => `${options.origin()}/class/login?code=${sessions().newLoginCode()}`,
    clearHand,
    close: () => stream.close(),
  };
}

/** In a clone, the sources; in an installed package, the copy the build put in dist/. */
function webAssetsDir(): string {
  const home = kubelabHome();
  const source = join(home, 'src', 'class', 'web');
  return existsSync(source) ? source : join(home, 'dist', 'class-web');
}

/**
 * Why a change request may come from another site, or undefined when it is the page's own:
 * the browser says where it comes from (Origin, which a page cannot forge), and the page proves
 * it read its session (the CSRF token, which another site cannot read).
 */
function forgeryProblem(req: IncomingMessage, csrfToken: string): string | undefined {
  const origin = req.headers.origin;
  if (!origin || origin !== `http://${req.headers.host}`) return 'cross-origin request refused';
  if (req.headers['sec-fetch-site'] && req.headers['sec-fetch-site'] !== 'same-origin') return 'cross-site request refused';
  const presented = req.headers[CSRF_HEADER];
  if (typeof presented !== 'string' || !tokenMatches(presented, hashToken(csrfToken))) return 'missing or wrong CSRF token';
  return undefined;
}
