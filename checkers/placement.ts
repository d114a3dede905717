import { z } from 'zod';
import { defineChecker, pass, pending } from '../src/engine/checker.js';
import { getJson } from './dynamic.js';
import { labelSelector, selectorText } from './support.js';

interface Named {
  metadata?: { name?: string; uid?: string; deletionTimestamp?: string; ownerReferences?: { uid?: string }[]; labels?: Record<string, string> };
}
interface DaemonSet extends Named {
  spec?: { template?: { spec?: { nodeSelector?: Record<string, string> } } };
}
interface Pod extends Named {
  spec?: { nodeName?: string };
  status?: { conditions?: { type?: string; status?: string }[] };
}

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

const list = (names: string[]) => (names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', '));

/**
 * A DaemonSet's promise is about nodes, not a count: one ready pod on each node it should cover,
 * none elsewhere. So the check compares two sets of node names and says which nodes differ.
 */
export const daemonsetPlacement = defineChecker({
  id: 'daemonset-placement',
  description: 'A DaemonSet has one ready pod on every node a label selector picks (every node by default), and none on other nodes.',
  args: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1).default('default'),
      /** The nodes that must run it; every node when absent. */
      nodes: labelSelector.optional(),
    })
    .strict(),
  watch: (args) => [
    { path: '/api/v1/nodes' },
    { path: `/api/v1/namespaces/${args.namespace}/pods` },
    { path: `/apis/apps/v1/namespaces/${args.namespace}/daemonsets`, query: { fieldSelector: `metadata.name=${args.name}` } },
  ],
  async run(ctx, args) {
    const ds = await getJson<DaemonSet>(ctx.kubeConfig, `/apis/apps/v1/namespaces/${args.namespace}/daemonsets/${args.name}`, {}, ctx.signal);
    if (!ds) return pending(`no DaemonSet ${args.name} in namespace ${args.namespace} yet`, { hint: "Run the step's kubectl apply command." });
    const nodeQuery = selectorText(args.nodes);
    const [wanted, all, pods] = await Promise.all([
      getJson<{ items: Named[] }>(ctx.kubeConfig, '/api/v1/nodes', { labelSelector: nodeQuery }, ctx.signal),
      getJson<{ items: Named[] }>(ctx.kubeConfig, '/api/v1/nodes', {}, ctx.signal),
      getJson<{ items: Pod[] }>(ctx.kubeConfig, `/api/v1/namespaces/${args.namespace}/pods`, {}, ctx.signal),
    ]);
    const should = new Set((wanted?.items ?? []).map((n) => n.metadata?.name ?? ''));
    const nodeCount = all?.items.length ?? 0;
    const which = nodeQuery ? `the ${should.size} node(s) labelled ${nodeQuery}` : `all ${should.size} nodes`;
    // Pods on their way out (after a nodeSelector change) are no longer the DaemonSet's placement.
    const own = (pods?.items ?? []).filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.ownerReferences?.some((o) => o.uid === ds.metadata?.uid));
    const readyOn = new Set(own.filter(isReady).map((p) => p.spec?.nodeName ?? ''));
    const elsewhere = [...new Set(own.map((p) => p.spec?.nodeName ?? '').filter((node) => node && !should.has(node)))];
    const missing = [...should].filter((node) => !readyOn.has(node));
    const selectorHint = nodeQuery
      ? `Give the DaemonSet's pod template a nodeSelector that matches ${nodeQuery} (kubectl get nodes -l ${nodeQuery}), and label the nodes that should run it.`
      : 'A nodeSelector or a taint keeps it off nodes: this one should run everywhere.';
    if (elsewhere.length) {
      return pending(`${args.name} runs on ${list(elsewhere)}, which ${elsewhere.length > 1 ? 'are' : 'is'} not among ${which}`, {
        expected: `pods only on ${nodeQuery ? `nodes labelled ${nodeQuery}` : 'the cluster’s nodes'}`,
        actual: `a pod on ${list(elsewhere)}`,
        hint: selectorHint,
      });
    }
    if (should.size === 0) {
      return pending(`no node is labelled ${nodeQuery}, so ${args.name} should run nowhere yet (of ${nodeCount} nodes)`, {
        expected: `at least one node labelled ${nodeQuery}`,
        actual: 'none',
        hint: `kubectl label node NODE ${nodeQuery}`,
      });
    }
    if (missing.length) {
      return pending(`${args.name} has no ready pod on ${list(missing)} (${should.size - missing.length} of ${which} covered)`, {
        expected: `one ready pod on each of ${which}`,
        actual: `${should.size - missing.length} covered`,
        hint: `kubectl describe daemonset ${args.name} -n ${args.namespace} shows why a node gets no pod (a taint, a nodeSelector).`,
      });
    }
    return pass(`${args.name}: one ready pod on each of ${which}${nodeQuery ? ` (${nodeCount - should.size} other node(s) left alone)` : ''}`);
  },
});

export const checkers = [daemonsetPlacement];
