import { z } from 'zod';
import { defineChecker, pass, pending } from '../src/engine/checker.js';
import { getJson } from './dynamic.js';
import { labelSelector, say, selectorText } from './support.js';

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
    const { t } = say(ctx);
    const ds = await getJson<DaemonSet>(ctx.kubeConfig, `/apis/apps/v1/namespaces/${args.namespace}/daemonsets/${args.name}`, {}, ctx.signal);
    if (!ds) return pending(t('checker.ds.missing', { name: args.name, namespace: args.namespace }), { hint: t('checker.deployment.missing.hint') });
    const nodeQuery = selectorText(args.nodes);
    const [wanted, all, pods] = await Promise.all([
      getJson<{ items: Named[] }>(ctx.kubeConfig, '/api/v1/nodes', { labelSelector: nodeQuery }, ctx.signal),
      getJson<{ items: Named[] }>(ctx.kubeConfig, '/api/v1/nodes', {}, ctx.signal),
      getJson<{ items: Pod[] }>(ctx.kubeConfig, `/api/v1/namespaces/${args.namespace}/pods`, {}, ctx.signal),
    ]);
    const should = new Set((wanted?.items ?? []).map((n) => n.metadata?.name ?? ''));
    const nodeCount = all?.items.length ?? 0;
    const which = nodeQuery ? t('checker.ds.labelled', { count: should.size, selector: nodeQuery }) : t('checker.ds.all', { count: should.size });
    // Pods on their way out (after a nodeSelector change) are no longer the DaemonSet's placement.
    const own = (pods?.items ?? []).filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.ownerReferences?.some((o) => o.uid === ds.metadata?.uid));
    const readyOn = new Set(own.filter(isReady).map((p) => p.spec?.nodeName ?? ''));
    const elsewhere = [...new Set(own.map((p) => p.spec?.nodeName ?? '').filter((node) => node && !should.has(node)))];
    const missing = [...should].filter((node) => !readyOn.has(node));
    const selectorHint = nodeQuery
      ? t('checker.ds.selectorHint', { selector: nodeQuery })
      : t('checker.ds.everywhereHint');
    if (elsewhere.length) {
      return pending(t('checker.ds.elsewhere', { name: args.name, nodes: list(elsewhere), count: elsewhere.length, which }), {
        expected: nodeQuery ? t('checker.ds.onlyLabelled', { selector: nodeQuery }) : t('checker.ds.onlyCluster'),
        actual: t('checker.ds.podOn', { nodes: list(elsewhere) }),
        hint: selectorHint,
      });
    }
    if (should.size === 0) {
      return pending(t('checker.ds.noNode', { selector: nodeQuery, name: args.name, total: nodeCount }), {
        expected: t('checker.ds.atLeastOne', { selector: nodeQuery }),
        actual: t('checker.none'),
        hint: `kubectl label node NODE ${nodeQuery}`,
      });
    }
    if (missing.length) {
      return pending(t('checker.ds.missingOn', { name: args.name, nodes: list(missing), covered: should.size - missing.length, which }), {
        expected: t('checker.ds.eachExpected', { which }),
        actual: t('checker.ds.covered', { covered: should.size - missing.length }),
        hint: t('checker.ds.describeHint', { name: args.name, namespace: args.namespace }),
      });
    }
    return pass(`${t('checker.ds.pass', { name: args.name, which })}${nodeQuery ? t('checker.ds.leftAlone', { others: nodeCount - should.size }) : ''}`);
  },
});

export const checkers = [daemonsetPlacement];
