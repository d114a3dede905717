import type { ProviderName } from './types.js';

/**
 * How lessons and checks reach a cluster. The engine owns this shape; providers produce it, so
 * the engine never needs to know how a cluster was made.
 */
export interface ClusterConnection {
  provider: ProviderName;
  name: string;
  /** A kubeconfig file kubelab owns (or the learner's, for `existing`). */
  kubeconfig: string;
  context: string;
  /** Nodes are simulated (kwok): pods never really run, so HTTP checks are not applicable. */
  simulated: boolean;
  /** Extra variables for lessons, e.g. CLUSTER_NAME, AWS_REGION. */
  variables: Record<string, string>;
}

/** kwok marks each node it simulates (annotation kwok.x-k8s.io/node, label type=kwok): no container runs there. */
export function isSimulatedNode(node: { metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> } }): boolean {
  return node.metadata?.annotations?.['kwok.x-k8s.io/node'] !== undefined || node.metadata?.labels?.type === 'kwok';
}
