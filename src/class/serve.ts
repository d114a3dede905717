/**
 * `kubelab class serve`: opens (or reopens) the class, starts the server, and shows the instructor
 * view until Ctrl-C or q. Without a terminal it logs joins and newly stuck learners instead.
 */
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import type { Writable } from 'node:stream';
import { join, dirname } from 'node:path';
import { writeFileAtomic } from '../engine/running/atomic.js';
import { Redactor } from '../engine/running/redact.js';
import { EnvironmentError } from '../errors.js';
import { buildClassView } from './class-view.js';
import { startClassServer, type ClassServer, type ClassServerLimits } from './server.js';
import { ClassStore, classDatabasePath } from './store.js';
import { safeText } from './safe-text.js';

export interface ServeClassOptions {
  name: string;
  host: string;
  port: number;
  stuckAfterMs: number;
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  stdout: Writable;
  stderr: Writable;
  signal: AbortSignal;
  limits?: Partial<ClassServerLimits>;
}

export async function serveClass(options: ServeClassOptions): Promise<void> {
  const file = classDatabasePath(options.name, options.env);
  let store: ClassStore;
  try {
    store = ClassStore.open(file, options.name);
  } catch (error) {
    throw new EnvironmentError(`Cannot open the class database ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let server: ClassServer | undefined;
  try {
    // The server's log (learner names, stuck reasons) goes through the same redactor as every sink.
    const redactor = Redactor.fromEnv(options.env);
    const log = (line: string) => options.stderr.write(`${redactor.text(line)}\n`);
    server = await startClassServer({
      store,
      host: options.host,
      port: options.port,
      stuckAfterMs: options.stuckAfterMs,
      limits: options.limits,
      signal: options.signal,
      observer: options.interactive ? undefined : { joined: (learner) => log(`joined: ${safeText(learner.name, 40)}`) },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new EnvironmentError(`Port ${options.port} is in use on ${options.host}.`, 'Pick another with --port, or stop the other class server.');
      if (error.code === 'EADDRNOTAVAIL') throw new EnvironmentError(`${options.host} is not an address of this machine.`, 'Use --host with one of its addresses, or 0.0.0.0 for all.');
      throw error;
    });

    // The instructor token never goes to the screen (it is projected to the room) or to logs.
    const tokenFile = join(dirname(file), `${options.name}.instructor-token`);
    await writeFileAtomic(tokenFile, `${store.instructorToken}\n`, 0o600);
    const joinLine = `kubelab class join ${learnerUrl(server.url, options.host)} --token ${store.classToken}`;
    options.stdout.write(`${joinLine}\n`);
    log(`Class "${options.name}" (${file}), ${store.learnerCount()} learner(s) so far.`);
    log(`Status for scripts: kubelab class status ${server.url} --token "$(cat ${tokenFile})" --json`);
    if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
      log('Traffic is plain HTTP: use it on a network you trust (tokens travel in clear).');
    }

    // Not through the redactor: it is a one-time secret meant for this terminal, and must stay whole.
    const webLink = server.newWebLink();
    if (options.interactive) {
      await showInstructorView(store, server, { joinLine, webLink }, options);
    } else {
      options.stderr.write(`Instructor's web view (opens one browser, within 10 minutes): ${webLink}\n`);
      await logUntilStopped(store, options, log);
    }
  } finally {
    await server?.close();
    store.close();
  }
}

async function showInstructorView(store: ClassStore, server: ClassServer, lines: { joinLine: string; webLink: string }, options: ServeClassOptions): Promise<void> {
  const [{ render }, { instructorViewElement }] = await Promise.all([import('ink'), import('./instructor-view.js')]);
  const view = instructorViewElement({
    load: () => store.snapshot(),
    joinLine: lines.joinLine,
    firstWebLink: lines.webLink,
    stuckAfterMs: options.stuckAfterMs,
    clearHand: (id) => server.clearHand(id),
    newWebLink: () => server.newWebLink(),
  });
  const app = render(view, {
    stdout: options.stdout as NodeJS.WriteStream,
    exitOnCtrlC: true,
  });
  const onAbort = () => app.unmount();
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await app.waitUntilExit();
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
}

async function logUntilStopped(store: ClassStore, options: ServeClassOptions, log: (line: string) => void): Promise<void> {
  let stuck = new Set<string>();
  const timer = setInterval(() => {
    const view = buildClassView(store.snapshot(), { now: Date.now(), stuckAfterMs: options.stuckAfterMs });
    const now = new Set(view.learners.filter((l) => l.stuck).map((l) => l.id));
    for (const row of view.learners) if (row.stuck && !stuck.has(row.id)) log(`stuck: ${row.name} (${row.stuckReason})`);
    stuck = now;
  }, 15_000);
  try {
    if (!options.signal.aborted) await once(options.signal, 'abort');
  } finally {
    clearInterval(timer);
  }
}

/** A wildcard address is no use to learners: show this machine's first LAN address instead. */
function learnerUrl(url: string, host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return url;
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal);
  return lan ? url.replace('127.0.0.1', lan.address) : url;
}
