/**
 * Which cluster the app talks to, and the session that talks to it: found when the app opens,
 * started by the app when it is the default local one and not up yet, and looked at again every
 * few seconds while nothing runs, so a cluster stopped, recreated or started in another terminal
 * shows on the status line and gets a fresh session.
 */
import type { ClusterConnection } from '../engine/connection.js';
// Types only: the session module pulls in the process runner, which the first frame must not wait for.
import type { WorkshopSession } from '../engine/running/session.js';
import type { EngineListener, ProviderName } from '../engine/types.js';
import { isBusy } from './selectors.js';
import { textFor, type AppAction, type ClusterView } from './state.js';
import type { Store } from './store.js';

/** What the app needs of a WorkshopSession: the step protocol itself lives there. */
export type StepRunner = Pick<WorkshopSession, 'runStep' | 'runScript' | 'blocksFor' | 'checksFor' | 'lessonBlocker' | 'needsCluster' | 'reloadCredentials'>;

export interface Connected {
  cluster: ClusterView;
  connection?: ClusterConnection;
  /**
   * What the credentials say (server, CA): a new `cluster up` writes a new port and CA into the
   * same kubeconfig file, and a session holding the old ones would fail every check.
   */
  fingerprint?: string;
}

export interface ClusterTrackerDeps {
  store: Store;
  /** Finds the provider's cluster and asks its API server whether it answers. Never throws. */
  connect(provider: ProviderName, signal: AbortSignal): Promise<Connected>;
  createRunner(connection: ClusterConnection, emit: EngineListener): StepRunner;
  /** How often the cluster is looked at again while nothing runs (0: never). */
  watchIntervalMs?: number;
  /**
   * Brings the provider's cluster up (building it first if need be), for providers the app may
   * start by itself (the default, offline `local`). Progress lines go to `onProgress`.
   */
  startCluster?(provider: ProviderName, signal: AbortSignal, onProgress: (line: string) => void): Promise<void>;
}

export interface TrackerHooks {
  /** Where the sessions it creates send their events. */
  onEngineEvent: EngineListener;
  /** Done first on each look while nothing runs (the progress file, which another terminal may change). */
  beforeLook(): Promise<void>;
}

/** A probe is a couple of local requests: every few seconds notices a stopped cluster soon enough. */
const WATCH_INTERVAL_MS = 5000;

/** Same cluster, same credentials: the session may stay. */
const sameConnection = (a: Connected, b: { connection?: ClusterConnection; fingerprint?: string }): boolean =>
  a.connection?.kubeconfig === b.connection?.kubeconfig &&
  a.connection?.context === b.connection?.context &&
  a.connection?.name === b.connection?.name &&
  a.connection?.provider === b.connection?.provider &&
  a.fingerprint === b.fingerprint;

export class ClusterTracker {
  private current?: StepRunner;
  private connection?: ClusterConnection;
  private fingerprint?: string;
  private watchTimer?: NodeJS.Timeout;
  private looking?: AbortController;
  private connecting?: AbortController;
  /** The app's own start of the cluster, while it runs. */
  private starting?: AbortController;
  private readonly startAttempted = new Set<ProviderName>();
  private stopped = false;

  constructor(
    private readonly deps: ClusterTrackerDeps,
    private readonly hooks: TrackerHooks,
  ) {}

  /** The session for the cluster, when there is one to run against. */
  get runner(): StepRunner | undefined {
    return this.current;
  }

  private get state() {
    return this.deps.store.getState();
  }

  async connect(provider: ProviderName): Promise<void> {
    this.connecting?.abort();
    this.looking?.abort();
    const controller = new AbortController();
    this.connecting = controller;
    this.deps.store.dispatch({ type: 'cluster', cluster: { state: 'checking', provider } });
    const connected = await this.deps.connect(provider, controller.signal);
    if (controller.signal.aborted) return;
    this.connecting = undefined;
    this.useConnection(connected);
    this.deps.store.dispatch({ type: 'cluster', cluster: connected.cluster, kubeconfig: connected.connection?.kubeconfig });
    if (connected.cluster.state === 'down') void this.startCluster(provider);
  }

  /**
   * No cluster yet: start it in the background, once per app run, while the learner reads. When it
   * is up the app connects to it; steps wait for it instead of failing.
   */
  private async startCluster(provider: ProviderName): Promise<void> {
    if (!this.deps.startCluster || this.starting || this.startAttempted.has(provider) || this.stopped) return;
    this.startAttempted.add(provider);
    const abort = new AbortController();
    this.starting = abort;
    const dispatch = (action: AppAction) => this.deps.store.dispatch(action);
    dispatch({ type: 'cluster-start', text: textFor(this.state).t('notice.clusterStarting', { provider }) });
    try {
      await this.deps.startCluster(provider, abort.signal, (line) => dispatch({ type: 'cluster-start', text: line.replace(/^\s+/, '') }));
      dispatch({ type: 'cluster-start' });
      if (!abort.signal.aborted && !this.stopped && this.state.cluster.provider === provider) await this.connect(provider);
    } catch (error) {
      dispatch({ type: 'cluster-start' });
      if (!abort.signal.aborted) dispatch({ type: 'notice', notice: { tone: 'error', text: textFor(this.state).t('notice.clusterFailed', { provider, error: (error as Error).message }) } });
    } finally {
      this.starting = undefined;
    }
  }

  /** A new session for a new cluster or new credentials; none when there is no connection. */
  private useConnection(connected: Connected): void {
    this.connection = connected.connection;
    this.fingerprint = connected.fingerprint;
    this.current = connected.connection ? this.deps.createRunner(connected.connection, this.hooks.onEngineEvent) : undefined;
  }

  /**
   * Looks at the cluster again and follows what changed: the cluster line, and a new session
   * when the cluster was recreated (new port and CA in the kubeconfig) or first appeared.
   * While a step runs the session is kept (its shell carries on); the next look replaces it.
   */
  async refresh(signal = new AbortController().signal): Promise<void> {
    const provider = this.state.cluster.provider;
    const connected = await this.deps.connect(provider, signal);
    if (signal.aborted || this.stopped || provider !== this.state.cluster.provider || this.connecting) return;
    const changed = !sameConnection(connected, { connection: this.connection, fingerprint: this.fingerprint });
    const sameFile = connected.connection && connected.connection.kubeconfig === this.connection?.kubeconfig && connected.connection.context === this.connection?.context;
    if (changed && sameFile && this.current) {
      // Recreated under the same name: the session (its shell, the lesson's state) stays, the
      // credentials are read again before the next check.
      this.fingerprint = connected.fingerprint;
      this.current.reloadCredentials();
    } else if (changed && (!isBusy(this.state) || !this.connection)) {
      this.useConnection(connected);
    }
    if (JSON.stringify(connected.cluster) !== JSON.stringify(this.state.cluster) || connected.connection?.kubeconfig !== this.state.kubeconfig) {
      this.deps.store.dispatch({ type: 'cluster', cluster: connected.cluster, kubeconfig: connected.connection?.kubeconfig });
    }
  }

  /** The next look at the cluster, a few seconds from now; looks only while nothing runs. */
  watch(): void {
    const interval = this.deps.watchIntervalMs ?? WATCH_INTERVAL_MS;
    if (interval <= 0 || this.stopped) return;
    clearTimeout(this.watchTimer);
    this.watchTimer = setTimeout(() => void this.lookOnce(), interval);
    this.watchTimer.unref?.();
  }

  /** A step starts: a look under way is dropped, the step's own look (after its commands) tells more. */
  dropLook(): void {
    this.looking?.abort();
  }

  /** The app ends: nothing is looked at or started any more. A build stopped here resumes from Go's build cache next time. */
  stop(): void {
    this.stopped = true;
    this.connecting?.abort();
    this.looking?.abort();
    this.starting?.abort();
    clearTimeout(this.watchTimer);
  }

  private async lookOnce(): Promise<void> {
    if (this.stopped) return;
    if (!isBusy(this.state)) await this.hooks.beforeLook();
    if (!isBusy(this.state) && !this.connecting) {
      const look = new AbortController();
      this.looking = look;
      try {
        await this.refresh(look.signal);
      } catch {
        // A failed look is not news: the next one will tell.
      } finally {
        if (this.looking === look) this.looking = undefined;
      }
    }
    this.watch();
  }
}
