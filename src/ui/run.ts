/**
 * The interactive app's service: loads the workshop and progress, draws the first frame as soon
 * as it can, then finds the cluster, the checkers and the class connection behind it. Ink and
 * React are imported here only, so no other command pays for them.
 */
import { Writable } from 'node:stream';
import { ExitCode } from '../errors.js';
import { loadProgress, saveProgress } from '../engine/progress.js';
import type { Checker } from '../engine/checker.js';
import type { EngineListener, ProviderName } from '../engine/types.js';
import type { CommandContext } from '../commands/context.js';
import { openWorkshop, parseProvider, resolveConnection, type ConnectionFlags } from '../commands/shared.js';
import { awsServices } from '../aws/eks-service.js';
import { AppController, createStore, type Connected } from './controller.js';
import { initialState, resumePoint } from './state.js';

export interface AppFlags extends ConnectionFlags {
  workshop?: string;
}

const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

export async function runApp(flags: AppFlags, context: CommandContext): Promise<number> {
  // Ink and React load while the workshop is read: the two together decide the first frame.
  const [ui, workshop] = await Promise.all([
    Promise.all([import('ink'), import('./components/App.js')]),
    openWorkshop(flags.workshop, context),
  ]);
  const [{ render }, { appElement }] = ui;
  const { progress, warning } = await loadProgress(workshop.id, context.env);
  const provider: ProviderName = parseProvider(flags.provider) ?? (flags.kubeconfig || flags.context ? 'existing' : (parseProvider(progress.provider) ?? 'local'));
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
  let checkers: Promise<Map<string, Checker<any>>> | undefined;
  let loadedCheckers = new Map<string, Checker<any>>();
  let Session: typeof import('../engine/session.js').WorkshopSession | undefined;
  // Provider logs must not scribble over the app's frame.
  const silent: CommandContext = { ...context, stderr: quiet(), stdout: quiet() };

  const connect = async (name: ProviderName, signal: AbortSignal): Promise<Connected> => {
    try {
      checkers ??= import('../../checkers/index.js').then((m) => m.loadBuiltinCheckers());
      const connection = await resolveConnection({ ...flags, provider: name }, { ...silent, signal });
      const { probeApiServer } = await import('../providers/probe.js');
      const probe = await probeApiServer(connection, signal);
      loadedCheckers = await checkers;
      ({ WorkshopSession: Session } = await import('../engine/session.js'));
      if (probe.reachable) return { connection, cluster: { state: 'reachable', provider: name, name: connection.name, context: connection.context, detail: probe.detail } };
      return {
        connection,
        cluster: { state: 'unreachable', provider: name, name: connection.name, context: connection.context, detail: probe.detail, next: `Check it with: kubelab cluster status --provider ${name}` },
      };
    } catch (error) {
      const e = error as Error & { nextStep?: string };
      // No cluster yet: the first lesson's commands create it, so they run against where it will be.
      const { getProvider } = await import('../providers/index.js');
      const provider = await getProvider(name).catch(() => undefined);
      const planned = provider?.plannedConnection?.({ name: flags.name ?? provider.defaultName }, { signal, log: () => undefined, env: context.env });
      if (planned) ({ WorkshopSession: Session } = await import('../engine/session.js'));
      if (planned) loadedCheckers = await checkers!;
      return {
        connection: planned,
        cluster: { state: 'down', provider: name, detail: e.message.replace(/\.$/, ''), next: e.nextStep ?? `Start one with: kubelab cluster up --provider ${name}` },
      };
    }
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

  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const controller = new AppController({
    store,
    connect: look,
    // connect() has loaded the session module and the checkers by the time a runner is asked for.
    createRunner: (connection, emit) => new Session!({ workshop, connection, checkers: loadedCheckers, env: context.env, emit, services: awsServices(context.env) }),
    saveProgress: (p) => saveProgress(p, context.env),
    listeners,
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

  const { createClassReporter } = await import('../class/client.js').catch(() => ({ createClassReporter: undefined }));
  const classReporter = createClassReporter?.({ env: context.env });
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
      const { listKubelabEksClusters, formatEksClusterReminder } = await import('../aws/eks-records.js');
      return (await listKubelabEksClusters({ env: context.env })).map((c) => formatEksClusterReminder(c));
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
