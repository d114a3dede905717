/**
 * The class services commands and the app use. The class modules load only when asked for, so
 * other commands never load SQLite or the HTTP server.
 */
import type { ClassReporter } from '../class/client.js';

/** Sends this learner's progress to the class they joined; undefined when they joined none. */
export async function startClassReporter(env: NodeJS.ProcessEnv): Promise<ClassReporter | undefined> {
  const { createClassReporter } = await import('../class/client.js').catch(() => ({ createClassReporter: undefined }));
  return createClassReporter?.({ env });
}

export async function serveClass(...args: Parameters<typeof import('../class/serve.js').serveClass>) {
  await (await import('./sqlite.js')).requireSqlite();
  return (await import('../class/serve.js')).serveClass(...args);
}

/** The session's record as files; reads the class's SQLite file, so it needs better-sqlite3 too. */
export async function exportClass(...args: Parameters<typeof import('../class/export-files.js').exportClass>) {
  await (await import('./sqlite.js')).requireSqlite();
  return (await import('../class/export-files.js')).exportClass(...args);
}

export async function joinClass(...args: Parameters<typeof import('../class/client.js').joinClass>) {
  return (await import('../class/client.js')).joinClass(...args);
}

export async function leaveClass(...args: Parameters<typeof import('../class/client.js').leaveClass>) {
  return (await import('../class/client.js')).leaveClass(...args);
}

/** The class's live table, once, as text or as the view object. */
export async function fetchClassView(options: Parameters<typeof import('../class/client.js').fetchClassStatus>[0]) {
  const [{ fetchClassStatus }, { formatClassView }] = await Promise.all([import('../class/client.js'), import('../class/class-view.js')]);
  const view = await fetchClassStatus(options);
  return { view, text: formatClassView(view) };
}
