/**
 * The interactive app's service: the workshop, the progress, the cluster, the checkers and the
 * class connection — everything the app does that is not drawing. What draws it is a view handed
 * in by the command (src/ui/run.ts, the Ink app), as the headless commands hand in their
 * reporters: services never load the UI, and Ink and React are paid for by the app alone.
 */
import type { ClusterConnection } from '../engine/connection.js';
import { lastUsedCluster, loadProgress, type Progress } from '../engine/running/progress.js';
import { ProgressSync } from '../engine/running/progress-sync.js';
import type { WorkshopSession } from '../engine/running/session.js';
import { missingProviderTools } from '../engine/running/tools.js';
import type { EngineListener, Lesson, ProviderName, Step, Workshop } from '../engine/types.js';
import type { CatchUpRun } from './catch-up.js';
import { startClassReporter } from './class.js';
import { chooseProvider, clusterKey, reachCluster, type ClusterReach, type ConnectionFlags } from './connection.js';
import type { RunContext } from './context.js';
import type { LastStepRecord } from './last-step.js';
import type { CheckerRegistry } from './session.js';
import { openWorkshop } from './workshop.js';

export interface AppOptions extends ConnectionFlags {
  workshop?: string;
  /** The learner's language (--lang); the view chooses with the remembered one and the locale. */
  lang?: string;
}

/** Where the app stands with a cluster: reached as `reachCluster` says, or up with a part of it down. */
export type AppCluster =
  | ClusterReach
  | { state: 'unhealthy'; provider: ProviderName; name: string; context: string; detail: string; next: string };

export interface AppLook {
  cluster: AppCluster;
  connection?: ClusterConnection;
  /** What the credentials say (server, CA): a recreated cluster writes new ones into the same file. */
  fingerprint?: string;
}

/** What the app's view is given: the opened workshop, and what it may ask of the services. */
export interface OpenedApp {
  options: AppOptions;
  context: RunContext;
  workshop: Workshop;
  provider: ProviderName;
  progress: Progress;
  /** Why the progress file could not be read as it was, when it could not. */
  progressWarning?: string;
  /** Per provider, the tools it needs that are not installed. */
  providerMissing: Record<string, string[]>;
  /** Finds a provider's cluster, asks whether it answers and whether its parts run. Never throws. */
  look(provider: ProviderName, signal: AbortSignal): Promise<AppLook>;
  /** A session on the cluster `look` last found (look has loaded the checkers by then). */
  createRunner(connection: ClusterConnection, emit: EngineListener): WorkshopSession;
  saveProgress(progress: Progress): Promise<Progress | void>;
  reloadProgress(progress: Progress): Promise<Progress | undefined>;
  progressFor(provider: ProviderName): Promise<Progress>;
  /** Present only when the app may start the cluster itself (the default, offline local one). */
  startCluster?(provider: ProviderName, signal: AbortSignal, onProgress: (line: string) => void): Promise<void>;
  catchUp(runner: WorkshopSession, target: { lesson: Lesson; step: Step }, progress: Progress, options: Parameters<typeof import('./catch-up.js').catchUpTo>[5]): Promise<CatchUpRun & { ran: number }>;
  writeBundle(progress: Progress): Promise<string>;
  recordStep(record: LastStepRecord): void;
  /** The class this learner joined, if any (found behind the first frame). */
  joinedClass(): ReturnType<typeof startClassReporter>;
  /** Reminders about EKS clusters that bill by the hour; none when they cannot be read. */
  eksReminders(): Promise<string[]>;
}

/** Draws the app until the learner leaves; resolves to the exit code. */
export type AppView = (app: OpenedApp) => Promise<number>;

/**
 * Opens the app: the view (still loading, so that Ink loads while the workshop is read — the two
 * together decide the first frame) is handed the opened workshop and the services behind it.
 */
export async function openApp(options: AppOptions, context: RunContext, view: Promise<AppView>): Promise<number> {
  const [show, workshop] = await Promise.all([view, openWorkshop(options.workshop, context)]);
  const provider = chooseProvider(options, (await lastUsedCluster(workshop.id, context.env)).provider);
  // Progress is the cluster's (provider and name): a new --name starts fresh.
  let key = clusterKey(options, provider);
  const { progress, warning } = await loadProgress(workshop.id, context.env, key);
  // Another terminal may reset a lesson while the app is open: saves merge with the file, never overwrite it.
  let sync = new ProgressSync(progress, context.env, key);
  /** The cluster last found, for the support bundle (its kubeconfig's credentials are redacted). */
  let lastConnection: ClusterConnection | undefined;

  // The session module and the checkers (which pull in client-node) load behind the first frame.
  type Sessions = { open: typeof import('./session.js'); checkers: CheckerRegistry };
  let loading: Promise<Sessions> | undefined;
  let loaded: Sessions | undefined;
  const loadSessions = () =>
    (loading ??= (async () => {
      const open = await import('./session.js');
      loaded = { open, checkers: await open.loadCheckers(workshop) };
      return loaded;
    })());

  const connect = async (name: ProviderName, signal: AbortSignal): Promise<AppLook> => {
    const [reached, sessions] = await Promise.all([reachCluster(options, name, { ...context, signal }), loadSessions().catch((error: Error) => error)]);
    if (sessions instanceof Error) return { cluster: { state: 'down', provider: name, detail: `kubelab could not load its checkers: ${sessions.message}`, next: 'Run kubelab lint to see which' } };
    return reached;
  };

  // The offline local cluster (the default, or named with --name) is started by the app (and built
  // the first time) while the learner reads. A provider chosen on the command line (even
  // --provider local) means the learner manages that cluster: the app follows it, never starts it.
  const localCluster = !options.provider && !options.kubeconfig && !options.context;

  return show({
    options,
    context,
    workshop,
    provider,
    progress,
    progressWarning: warning,
    providerMissing: Object.fromEntries(workshop.providers.map((p) => [p, missingProviderTools(p, context.env)])),
    // Every look at the cluster also notes its credentials and any part that is down, so the app
    // follows a cluster recreated or broken behind it.
    async look(name, signal) {
      const reached = await connect(name, signal);
      lastConnection = reached.connection;
      const { credentialFingerprint, partsDown } = await import('./cluster-watch.js');
      const fingerprint = reached.connection && (await credentialFingerprint(reached.connection.kubeconfig));
      const { cluster } = reached;
      if (cluster.state !== 'reachable' || !reached.connection) return { ...reached, fingerprint };
      const down = await partsDown(reached.connection, context.env, signal).catch(() => undefined);
      if (!down) return { ...reached, fingerprint };
      const next = `Restart what stopped with: kubelab cluster up --provider ${name}`;
      return { ...reached, fingerprint, cluster: { ...cluster, state: 'unhealthy', detail: `${down} is down`, next } };
    },
    createRunner: (connection, emit) => loaded!.open.createSession({ workshop, connection, env: context.env, emit, clusterName: options.name }, loaded!.checkers),
    saveProgress: (p) => sync.save(p),
    reloadProgress: (p) => sync.reload(p),
    async progressFor(picked) {
      key = clusterKey(options, picked);
      const loadedProgress = (await loadProgress(workshop.id, context.env, key)).progress;
      sync = new ProgressSync(loadedProgress, context.env, key);
      return loadedProgress;
    },
    ...(localCluster && {
      async startCluster(name: ProviderName, signal: AbortSignal, onProgress: (line: string) => void) {
        if (name !== 'local') return;
        const { startLocalCluster } = await import('./cluster.js');
        await startLocalCluster(options.name, context.env, signal, onProgress);
      },
    }),
    async catchUp(runner, target, current, catchUpOptions) {
      const { catchUpTo } = await import('./catch-up.js');
      const result = await catchUpTo(runner, workshop, target.lesson, target.step, current, catchUpOptions);
      return { ...result, ran: result.entries.filter((e) => e.outcome === 'ran').length };
    },
    async writeBundle(current) {
      const { writeBundle } = await import('./bundle.js');
      return writeBundle({ workshop, progress: current, key, connection: lastConnection, env: context.env, signal: context.signal }, undefined, context.cwd);
    },
    recordStep(record) {
      void import('./last-step.js').then(({ writeLastStep }) => writeLastStep(workshop.id, record, context.env)).catch(() => undefined);
    },
    joinedClass: () => startClassReporter(context.env),
    async eksReminders() {
      try {
        const { eksReminders } = await import('./cluster.js');
        return await eksReminders(context.env);
      } catch {
        return [];
      }
    },
  });
}
