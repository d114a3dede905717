import type { ClusterConnection } from '../engine/connection.js';
import type { ProviderName } from '../engine/types.js';

export type { ClusterConnection } from '../engine/connection.js';

export interface ComponentHealth {
  name: string;
  healthy: boolean;
  detail: string;
}

export interface ClusterStatus {
  state: 'up' | 'down' | 'broken';
  detail: string;
  components: ComponentHealth[];
  connection?: ClusterConnection;
}

export interface ProviderIO {
  signal: AbortSignal;
  /** Progress for a person (stderr in the CLI, the log pane in the app). */
  log(line: string): void;
  /** Asks before something that costs money or destroys things; undefined when headless without --yes. */
  confirm?(question: string): Promise<boolean>;
  env: NodeJS.ProcessEnv;
}

export interface UpOptions {
  name: string;
  nodes: number;
  /** Skip confirmation prompts (headless). */
  yes?: boolean;
  mergeKubeconfig?: boolean;
}

export interface UpResult {
  connection: ClusterConnection;
  alreadyUp: boolean;
}

export interface Provider {
  name: ProviderName;
  description: string;
  defaultName: string;
  up(options: UpOptions, io: ProviderIO): Promise<UpResult>;
  down(options: { name: string }, io: ProviderIO): Promise<void>;
  status(options: { name: string }, io: ProviderIO): Promise<ClusterStatus>;
  /** The connection to an existing cluster of this provider, without creating anything. */
  connection(options: { name: string }, io: ProviderIO): Promise<ClusterConnection | undefined>;
  /**
   * Where the cluster will be once `up` creates it, so the first lesson's commands (which create
   * it) can run before it exists. Undefined where it cannot be known in advance.
   */
  plannedConnection?(options: { name: string }, io: ProviderIO): ClusterConnection | undefined;
}
