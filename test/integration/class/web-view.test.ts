/**
 * The instructor's web view over real HTTP on loopback: the one-time link and its cookie, who the
 * page data and the event stream refuse, the live stream itself, clearing a hand (and what a
 * forged request gets), hostile names, and the session record's downloads. The browser's side
 * is in test/e2e/class-browser.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClassReporter, joinClass } from '../../../src/class/client.js';
import type { ClassView } from '../../../src/class/class-view.js';
import { readMembership } from '../../../src/class/membership.js';
import { startClassServer, type ClassServer } from '../../../src/class/server.js';
import { ClassStore } from '../../../src/class/store.js';

let root: string;
let store: ClassStore;
let server: ClassServer;
const signal = new AbortController().signal;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubelab-class-web-'));
  store = ClassStore.open(join(root, 'server', 'classes', 'web.sqlite'), 'web');
  server = await startClassServer({ store, port: 0, stuckAfterMs: 5 * 60_000 });
});

afterAll(async () => {
  await server?.close();
  store?.close();
  await rm(root, { recursive: true, force: true });
});

/** Redeems a fresh one-time link the way a browser does, and returns the cookie it set. */
async function signIn(): Promise<string> {
  const response = await fetch(server.newWebLink(), { redirect: 'manual' });
  expect(response.status).toBe(303);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

async function joined(name: string) {
  const env = { KUBELAB_STATE_DIR: join(root, 'learners', name.replace(/\W/g, '_')) };
  const membership = await joinClass({ url: server.url, token: store.classToken, name, env, signal });
  const headers = { authorization: `Bearer ${membership.classToken}`, 'x-kubelab-learner': `${membership.learnerId}.${membership.learnerSecret}`, 'content-type': 'application/json' };
  let n = 0;
  const send = async (...events: Record<string, unknown>[]) => {
    const at = Date.now();
    const body = { sentAt: at, events: events.map((e) => ({ id: `${membership.learnerId.slice(0, 8)}-${n++}-event`, at, ...e })) };
    const response = await fetch(`${server.url}/v1/events`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return (await response.json()) as { handRaised?: boolean };
  };
  return { env, membership, headers, send };
}

/** Reads server-sent `view` events from the stream until one satisfies the test. */
function viewStream(cookie: string, query = '') {
  const abort = new AbortController();
  const opened = fetch(`${server.url}/class/stream${query}`, { headers: { cookie }, signal: abort.signal });
  let buffer = '';
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const decoder = new TextDecoder();
  return {
    async next(matches: (view: ClassView) => boolean, timeoutMs = 20_000): Promise<ClassView> {
      const response = await opened;
      reader ??= response.body!.getReader();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: view\ndata: (.*)$/m.exec(frame)?.[1];
          if (data && matches(JSON.parse(data) as ClassView)) return JSON.parse(data) as ClassView;
        }
        if (Date.now() > deadline) throw new Error('no matching view on the stream in time');
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => abort.abort(),
  };
}

describe('class web view: signing in', () => {
  it('Given a one-time link, when it is opened, then it sets an HttpOnly SameSite=Strict cookie and redirects; opened again, it is refused', async () => {
    const link = server.newWebLink();
    expect(link).toMatch(new RegExp(`^${server.url}/class/login\\?code=[A-Za-z0-9_-]{43}$`));
    expect(link).not.toContain(store.classToken);
    expect(link).not.toContain(store.instructorToken);

    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/class/');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^kubelab_class_\d+=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);

    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('not signed in');
  });

  it('Given no cookie, a learner token, the instructor token or a forged cookie, when the page data, stream or record is asked for, then each is refused', async () => {
    const learner = await joined('Curious Learner');
    const port = new URL(server.url).port;
    const attempts: Record<string, string>[] = [
      {},
      learner.headers,
      { authorization: `Bearer ${store.instructorToken}` },
      { cookie: `kubelab_class_${port}=${learner.membership.learnerSecret}` },
      { cookie: `kubelab_class_${port}=${store.classToken}` },
    ];
    for (const headers of attempts) {
      for (const path of ['/class/view', '/class/stream', '/class/session', '/class/export/record.json', '/class/export/learners.csv']) {
        const response = await fetch(`${server.url}${path}`, { headers });
        expect({ path, status: response.status }).toEqual({ path, status: 401 });
        expect(await response.text()).not.toContain('Curious Learner');
      }
      const page = await fetch(`${server.url}/class/`, { headers });
      expect(page.status).toBe(401);
      expect(await page.text()).not.toContain('instructor.js');
    }
  });

  it('Given a signed-in browser, when the page and its files load, then a strict CSP allows only this server and the page has no inline script or style', async () => {
    const cookie = await signIn();
    const page = await fetch(`${server.url}/class/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//);

    const script = await fetch(`${server.url}/class/instructor.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await script.text();
    expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(code).not.toMatch(/https?:\/\//);
  });
});

describe('class web view: the live stream', () => {
  it('Given a signed-in stream, when learners report, raise a hand and catch up, then new views arrive without asking', async () => {
    const cookie = await signIn();
    const stream = viewStream(cookie);
    try {
      await stream.next(() => true);
      const ada = await joined('Ada Stream');
      await stream.next((v) => v.learners.some((l) => l.name === 'Ada Stream'));

      await ada.send({ type: 'step-started', lessonId: 'microservices', stepId: 'nodejs', title: 'Deploy the Node.js backend' });
      await stream.next((v) => v.learners.some((l) => l.name === 'Ada Stream' && l.stepTitle === 'Deploy the Node.js backend'));

      expect(await ada.send({ type: 'hand-raised' })).toEqual({ accepted: 1, duplicates: 0, handRaised: true });
      const raised = await stream.next((v) => v.learners.some((l) => l.name === 'Ada Stream' && l.hand !== undefined));
      expect(raised.learners.find((l) => l.name === 'Ada Stream')!.hand!.upMs).toBeGreaterThanOrEqual(0);

      await ada.send({ type: 'step-finished', lessonId: 'microservices', stepId: 'nodejs', status: 'caught-up', durationMs: 0 });
      const caughtUp = await stream.next((v) => v.learners.some((l) => l.name === 'Ada Stream' && l.caughtUpSteps === 1));
      expect(caughtUp.learners.find((l) => l.name === 'Ada Stream')!.stepState).toBe('caught-up');
    } finally {
      stream.close();
    }
  });

  it('Given a projector stream, when it sends views, then no learner name is in them', async () => {
    await joined('Secret Name');
    const cookie = await signIn();
    const stream = viewStream(cookie, '?projector=1');
    const view = await stream.next((v) => v.learners.length > 0);
    stream.close();
    const text = JSON.stringify(view);
    expect(text).not.toMatch(/Secret Name|Ada Stream|Curious Learner/);
    expect(view.learners.every((l) => /^learner \d+$/.test(l.name))).toBe(true);
    const json = await fetch(`${server.url}/class/view?projector=1`, { headers: { cookie } });
    expect(await json.text()).not.toContain('Secret Name');
  });

  it('Given a hostile name, when it is shown, then it arrives as plain data, never as markup the server wrote into a page', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    await joined(hostile);
    const cookie = await signIn();
    const view = (await (await fetch(`${server.url}/class/view`, { headers: { cookie } })).json()) as ClassView;
    expect(view.learners.some((l) => l.name === hostile)).toBe(true);
    const page = await (await fetch(`${server.url}/class/`, { headers: { cookie } })).text();
    expect(page).not.toContain('onerror');
  });
});

describe('class web view: clearing a hand', () => {
  it('Given a raised hand, when a forged request tries to clear it, then it is refused; when the page clears it, the learner app learns it', async () => {
    const grace = await joined('Grace Hand');
    const app = createClassReporter({ env: grace.env, retryMs: { min: 50, max: 200 } })!;
    expect(app.toggleHand()).toBe(true);
    await vi.waitFor(() => expect(store.learner(grace.membership.learnerId)!.state.hand).toBeDefined(), { timeout: 10_000, interval: 20 });

    const cookie = await signIn();
    const { csrfToken } = (await (await fetch(`${server.url}/class/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    const clear = (headers: Record<string, string>) => fetch(`${server.url}/class/hands/${grace.membership.learnerId}/clear`, { method: 'POST', headers });
    const origin = server.url;

    expect((await clear({ origin, 'x-kubelab-csrf': csrfToken })).status).toBe(401); // no cookie
    expect((await clear({ cookie, 'x-kubelab-csrf': csrfToken })).status).toBe(403); // no Origin
    expect((await clear({ cookie, origin: 'http://evil.example', 'x-kubelab-csrf': csrfToken })).status).toBe(403);
    expect((await clear({ cookie, origin })).status).toBe(403); // no CSRF token
    expect((await clear({ cookie, origin, 'x-kubelab-csrf': 'guessed' })).status).toBe(403);
    expect((await clear({ cookie, origin, 'x-kubelab-csrf': csrfToken, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await clear({ ...grace.headers, origin, 'x-kubelab-csrf': csrfToken })).status).toBe(401);
    expect(store.learner(grace.membership.learnerId)!.state.hand).toBeDefined();

    expect((await clear({ cookie, origin, 'x-kubelab-csrf': csrfToken })).status).toBe(204);
    expect(store.learner(grace.membership.learnerId)!.state.hand).toBeUndefined();

    // The learner's next report brings the news back to their status bar.
    app.listener({ type: 'hint-revealed', lessonId: 'microservices', stepId: 'nodejs', index: 0 });
    await vi.waitFor(() => expect(app.statusLine()).toContain('your instructor saw your hand'), { timeout: 10_000, interval: 20 });
    await app.close();
    expect(readMembership(grace.env)).toBeDefined();
  });
});

describe('class web view: the session record', () => {
  it('Given a signed-in browser, when it downloads the record, then JSON and CSV come as attachments and a formula-like name stays text', async () => {
    const eve = await joined('=cmd|calc');
    await eve.send({ type: 'step-started', lessonId: 'rbac', stepId: 'forbidden', title: 'Try it: rbac-user is not allowed (yet)' });
    await eve.send({ type: 'check', lessonId: 'rbac', stepId: 'forbidden', checkId: 'forbidden', outcome: 'failed', message: 'rbac-user can list pods' });
    const cookie = await signIn();

    const json = await fetch(`${server.url}/class/export/record.json`, { headers: { cookie } });
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="web-record.json"');
    const record = (await json.json()) as { learners: { name: string }[]; checksFailedMost: { checkId: string }[] };
    expect(record.learners.map((l) => l.name)).toContain('=cmd|calc');
    expect(record.checksFailedMost.map((c) => c.checkId)).toContain('forbidden');

    const csv = await fetch(`${server.url}/class/export/learners.csv`, { headers: { cookie } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain(",'=cmd|calc,");
    expect((await fetch(`${server.url}/class/export/passwd.csv`, { headers: { cookie } })).status).toBe(404);
  });
});
