/**
 * The interactive app: loads the workshop and progress, draws the first frame as soon as it can,
 * then finds the cluster, the checkers and the class connection behind it — all through the
 * services the commands use. Ink and React are imported here only (src/services/app.ts loads this
 * module lazily), so no other command pays for them.
 */
import { ExitCode } from '../errors.js';
import { loadProgress, saveProgress } from '../engine/progress.js';
import type { EngineListener, ProviderName } from '../engine/types.js';
import type { AppOptions } from '../services/app.js';
import { startClassReporter } from '../services/class.js';
import { chooseProvider, reachCluster } from '../services/connection.js';
import type { RunContext } from '../services/context.js';
import type { CheckerRegistry } from '../services/session.js';
import { openWorkshop } from '../services/workshop.js';
import { AppController, createStore, type Connected } from './controller.js';
import { initialState, resumePoint } from './state.js';

export async function runApp(flags: AppOptions, context: RunContext): Promise<number> {
  // Ink and React load while the workshop is read: the two together decide the first frame.
  const [ui, workshop] = await Promise.all([
    Promise.all([import('ink'), import('./components/App.js')]),
    openWorkshop(flags.workshop, context),
  ]);
  const [{ render }, { appElement }] = ui;
  const { progress, warning } = await loadProgress(workshop.id, context.env);
  const provider: ProviderName = chooseProvider(flags, progress.provider);
  const stdout = context.stdout as NodeJS.WriteStream;
  const store = createStore(
    initialState({
      workshop,
      progress,
      provider,
      size: { columns: stdout.columns || 80, rows: stdout.rows || 24 },
      color: context.color && !('NO_COLOR' in context.env),
      notice: warning ? { tone: 'warn', text: warning } : undefined,
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
    const { credentialFingerprint, partsDown } = await import('../services/cluster-watch.js');
    const fingerprint = reached.connection && (await credentialFingerprint(reached.connection.kubeconfig));
    const { cluster } = reached;
    if (cluster.state !== 'reachable' || !reached.connection) return { ...reached, fingerprint };
    const down = await partsDown(reached.connection, context.env, signal).catch(() => undefined);
    if (!down) return { ...reached, fingerprint };
    const next = `Restart what stopped with: kubelab cluster up --provider ${name}`;
    return { ...reached, fingerprint, cluster: { ...cluster, state: 'unhealthy', detail: `${down} is down`, next } };
  };

  // `kubelab` with no cluster flags means the default, offline cluster: the app starts it (and
  // builds it the first time) while the learner reads. A cluster named on the command line is the
  // learner's to start.
  const defaultCluster = !flags.provider && !flags.name && !flags.kubeconfig && !flags.context;
  const startCluster = defaultCluster
    ? async (name: ProviderName, signal: AbortSignal, onProgress: (line: string) => void): Promise<void> => {
        if (name !== 'local') return;
        const { startLocalCluster } = await import('../services/cluster.js');
        await startLocalCluster(undefined, context.env, signal, onProgress);
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
    createRunner: (connection, emit) => loaded!.open.createSession({ workshop, connection, env: context.env, emit }, loaded!.checkers),
    saveProgress: (p) => saveProgress(p, context.env),
    startCluster,
    listeners,
    toggleHand: () => {
      if (!classReporter) return undefined;
      const raised = classReporter.toggleHand();
      store.dispatch({ type: 'class-status', text: classReporter.statusLine() });
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
    listeners.push(classReporter.listener);
    const refresh = () => store.dispatch({ type: 'class-status', text: classReporter.statusLine() });
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
  const resume = resumePoint(store.getState());
  if (resume) {
    const lesson = workshop.lessons[resume.lessonIndex];
    context.stderr.write(`Progress saved. Run kubelab again to continue at: ${lesson.title} › ${lesson.steps[resume.stepIndex].title}\n`);
  }
  // A cluster that bills by the hour must not be forgotten on the way out.
  for (const line of await eksReminders()) context.stderr.write(`Reminder: ${line}\n`);
  return code;
}
