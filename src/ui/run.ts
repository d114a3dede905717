/**
 * The interactive app: loads the workshop and progress, draws the first frame as soon as it can,
 * then finds the cluster, the checkers and the class connection behind it — all through the
 * services the commands use. Ink and React are imported here only (src/services/app.ts loads this
 * module lazily), so no other command pays for them.
 */
import { ExitCode } from '../errors.js';
import { lastUsedCluster, loadProgress } from '../engine/progress.js';
import { ProgressSync } from '../engine/progress-sync.js';
import { missingProviderTools } from '../engine/tools.js';
import type { EngineListener, ProviderName } from '../engine/types.js';
import type { AppOptions } from '../services/app.js';
import { startClassReporter } from '../services/class.js';
import { chooseProvider, clusterKey, reachCluster } from '../services/connection.js';
import { goodbye } from './goodbye.js';
import type { RunContext } from '../services/context.js';
import type { CheckerRegistry } from '../services/session.js';
import type { WorkshopSession } from '../engine/session.js';
import { openWorkshop } from '../services/workshop.js';
import { AppController, createStore, type Connected } from './controller.js';
import { initialState, resumePoint, textFor } from './state.js';
import { chooseLanguage } from '../engine/i18n/language.js';
import { inSourceTitles } from '../engine/i18n/lesson-translation.js';

export async function runApp(flags: AppOptions, context: RunContext): Promise<number> {
  // Ink and React load while the workshop is read: the two together decide the first frame.
  const [ui, workshop] = await Promise.all([
    Promise.all([import('ink'), import('./components/App.js')]),
    openWorkshop(flags.workshop, context),
  ]);
  const [{ render }, { appElement }] = ui;
  const provider: ProviderName = chooseProvider(flags, (await lastUsedCluster(workshop.id, context.env)).provider);
  // Progress is the cluster's (provider and name): a new --name starts fresh.
  const { progress, warning } = await loadProgress(workshop.id, context.env, clusterKey(flags, provider));
  // Another terminal may reset a lesson while the app is open: saves merge with the file, never overwrite it.
  let key = clusterKey(flags, provider);
  let sync = new ProgressSync(progress, context.env, key);
  /** The cluster last found, for the support bundle (its kubeconfig's credentials are redacted). */
  let lastConnection: Connected['connection'];
  const stdout = context.stdout as NodeJS.WriteStream;
  // --lang, else the language last switched to (kept with progress), else the locale, else English.
  const { language } = chooseLanguage({ flag: flags.lang, remembered: progress.language, env: context.env });
  const store = createStore(
    initialState({
      workshop,
      language,
      progress,
      provider,
      size: { columns: stdout.columns || 80, rows: stdout.rows || 24 },
      color: context.color && !('NO_COLOR' in context.env),
      notice: warning ? { tone: 'warn', text: warning } : undefined,
      providerMissing: Object.fromEntries(workshop.providers.map((p) => [p, missingProviderTools(p, context.env)])),
      clusterName: flags.name,
    }),
  );

  const listeners: EngineListener[] = [];
  // The session module and the checkers (which pull in client-node) load behind the first frame.
  type Sessions = { open: typeof import('../services/session.js'); checkers: CheckerRegistry };
  let loading: Promise<Sessions> | undefined;
  let loaded: Sessions | undefined;
  const loadSessions = () =>
    (loading ??= (async () => {
      const open = await import('../services/session.js');
      loaded = { open, checkers: await open.loadCheckers(workshop) };
      return loaded;
    })());

  // Never throws (the controller's contract): even a checker that fails to load becomes a state to show.
  const connect = async (name: ProviderName, signal: AbortSignal): Promise<Connected> => {
    const [reached, sessions] = await Promise.all([reachCluster(flags, name, { ...context, signal }), loadSessions().catch((error: Error) => error)]);
    if (sessions instanceof Error) return { cluster: { state: 'down', provider: name, detail: `kubelab could not load its checkers: ${sessions.message}`, next: 'Run kubelab lint to see which' } };
    return reached;
  };

  // Every look at the cluster also notes its credentials and any part that is down, so the app
  // follows a cluster recreated or broken behind it (see AppController.refreshCluster).
  const look = async (name: ProviderName, signal: AbortSignal): Promise<Connected> => {
    const reached = await connect(name, signal);
    lastConnection = reached.connection;
    const { credentialFingerprint, partsDown } = await import('../services/cluster-watch.js');
    const fingerprint = reached.connection && (await credentialFingerprint(reached.connection.kubeconfig));
    const { cluster } = reached;
    if (cluster.state !== 'reachable' || !reached.connection) return { ...reached, fingerprint };
    const down = await partsDown(reached.connection, context.env, signal).catch(() => undefined);
    if (!down) return { ...reached, fingerprint };
    const next = `Restart what stopped with: kubelab cluster up --provider ${name}`;
    return { ...reached, fingerprint, cluster: { ...cluster, state: 'unhealthy', detail: `${down} is down`, next } };
  };

  // The offline local cluster (the default, or named with --name) is started by the app (and built
  // the first time) while the learner reads. A provider chosen on the command line (even
  // --provider local) means the learner manages that cluster: the app follows it, never starts it.
  const localCluster = !flags.provider && !flags.kubeconfig && !flags.context;
  const startCluster = localCluster
    ? async (name: ProviderName, signal: AbortSignal, onProgress: (line: string) => void): Promise<void> => {
        if (name !== 'local') return;
        const { startLocalCluster } = await import('../services/cluster.js');
        await startLocalCluster(flags.name, context.env, signal, onProgress);
      }
    : undefined;

  // Set once the class connection is found (behind the first frame); a key before that finds none.
  let classReporter: Awaited<ReturnType<typeof startClassReporter>> = undefined;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const controller = new AppController({
    store,
    connect: look,
    // connect() has loaded the session module and the checkers by the time a runner is asked for.
    createRunner: (connection, emit) => loaded!.open.createSession({ workshop, connection, env: context.env, emit, clusterName: flags.name }, loaded!.checkers),
    saveProgress: (p) => sync.save(p),
    reloadProgress: (p) => sync.reload(p),
    progressFor: async (picked) => {
      key = clusterKey(flags, picked);
      const loadedProgress = (await loadProgress(workshop.id, context.env, key)).progress;
      sync = new ProgressSync(loadedProgress, context.env, key);
      return loadedProgress;
    },
    startCluster,
    catchUp: (runner) => async (target, current, options) => {
      const { catchUpTo } = await import('../services/catch-up.js');
      // The runner is the app's WorkshopSession (createRunner above): catch-up runs in its shell.
      const result = await catchUpTo(runner as WorkshopSession, workshop, target.lesson, target.step, current, options);
      return { ...result, ran: result.entries.filter((e) => e.outcome === 'ran').length };
    },
    writeBundle: async () => {
      const { writeBundle } = await import('../services/bundle.js');
      return writeBundle({ workshop, progress: store.getState().progress, key, connection: lastConnection, env: context.env, signal: context.signal }, undefined, context.cwd);
    },
    recordStep: (record) => {
      void import('../services/last-step.js').then(({ writeLastStep }) => writeLastStep(workshop.id, record, context.env)).catch(() => undefined);
    },
    listeners,
    toggleHand: () => {
      if (!classReporter) return undefined;
      const raised = classReporter.toggleHand();
      store.dispatch({ type: 'class-status', text: classReporter.statusLine(textFor(store.getState())) });
      return raised;
    },
    exit: resolveExit,
  });

  const instance = render(appElement({ store, controller }), {
    stdout,
    stdin: process.stdin,
    stderr: process.stderr,
    exitOnCtrlC: false,
  });

  // Ctrl-C arrives as a key while Ink holds the terminal; a SIGINT from elsewhere means the same.
  const onSigint = () => controller.handle('interrupt');
  process.on('SIGINT', onSigint);
  const onAbort = () => void controller.quit(ExitCode.interrupted);
  context.signal.addEventListener('abort', onAbort);

  classReporter = await startClassReporter(context.env);
  let classTimer: NodeJS.Timeout | undefined;
  if (classReporter) {
    // The instructor reads every learner's steps under the workshop's own titles, whatever their language.
    const toSource = inSourceTitles(workshop);
    const report = classReporter.listener;
    listeners.push((event) => report(toSource(event)));
    const refresh = () => store.dispatch({ type: 'class-status', text: classReporter.statusLine(textFor(store.getState())) });
    refresh();
    classTimer = setInterval(refresh, 2000);
    classTimer.unref();
  }
  const eksReminders = async (): Promise<string[]> => {
    try {
      const { eksReminders } = await import('../services/cluster.js');
      return await eksReminders(context.env);
    } catch {
      return [];
    }
  };
  void eksReminders().then((lines) => lines.length && store.dispatch({ type: 'eks-reminders', lines }));
  void controller.start();

  const code = await exited;
  process.off('SIGINT', onSigint);
  context.signal.removeEventListener('abort', onAbort);
  if (classTimer) clearInterval(classTimer);
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  await classReporter?.close();
  const final = store.getState();
  for (const line of goodbye(final, resumePoint(final), flags, context.env)) context.stderr.write(`${line}\n`);
  // A cluster that bills by the hour must not be forgotten on the way out.
  for (const line of await eksReminders()) context.stderr.write(`Reminder: ${line}\n`);
  return code;
}

