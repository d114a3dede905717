import { z } from 'zod';
import { defineChecker, pass, pending } from '../src/engine/checker.js';
import { getJson } from './dynamic.js';
import { labelSelector, say, selectorText } from './support.js';

interface Pod {
  metadata?: { name?: string; deletionTimestamp?: string };
  status?: { podIP?: string };
}
interface EndpointSlice {
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean }; targetRef?: { kind?: string; name?: string } }[];
}

/**
 * Whether the pods a label selector picks receive a Service's traffic: a pod is sent traffic when
 * it is a ready endpoint in one of the Service's EndpointSlices. What decides that is the Service's
 * selector against the pod's labels, so the check is how a learner sees a relabelling take effect.
 */
export const serviceEndpoints = defineChecker({
  id: 'service-endpoints',
  description: 'The pods a label selector picks are (included: true) or are not (included: false) ready endpoints of a Service.',
  args: z
    .object({
      service: z.string().min(1),
      namespace: z.string().min(1).default('default'),
      pods: labelSelector,
      included: z.boolean().default(true),
    })
    .strict(),
  watch: (args) => [
    { path: `/api/v1/namespaces/${args.namespace}/pods`, query: { labelSelector: selectorText(args.pods)! } },
    { path: `/apis/discovery.k8s.io/v1/namespaces/${args.namespace}/endpointslices`, query: { labelSelector: `kubernetes.io/service-name=${args.service}` } },
  ],
  async run(ctx, args) {
    const { t } = say(ctx);
    const selector = selectorText(args.pods)!;
    const service = await getJson(ctx.kubeConfig, `/api/v1/namespaces/${args.namespace}/services/${args.service}`, {}, ctx.signal);
    if (!service) return pending(t('checker.endpoints.noService', { service: args.service, namespace: args.namespace }));
    const pods = ((await getJson<{ items: Pod[] }>(ctx.kubeConfig, `/api/v1/namespaces/${args.namespace}/pods`, { labelSelector: selector }, ctx.signal))?.items ?? []).filter(
      (p) => !p.metadata?.deletionTimestamp,
    );
    if (pods.length === 0) return pending(t('checker.endpoints.noPod', { namespace: args.namespace, selector }), { expected: t('checker.endpoints.aPod', { selector }), actual: t('checker.none'), hint: `kubectl get pods -n ${args.namespace} --show-labels` });
    const slices = (await getJson<{ items: EndpointSlice[] }>(ctx.kubeConfig, `/apis/discovery.k8s.io/v1/namespaces/${args.namespace}/endpointslices`, { labelSelector: `kubernetes.io/service-name=${args.service}` }, ctx.signal))?.items ?? [];
    const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false);
    const isEndpoint = (pod: Pod) => ready.some((e) => (e.targetRef?.kind === 'Pod' && e.targetRef.name === pod.metadata?.name) || (!!pod.status?.podIP && e.addresses?.includes(pod.status.podIP)));
    const names = (list: Pod[]) => list.map((p) => p.metadata?.name).join(', ');
    if (args.included) {
      const outside = pods.filter((p) => !isEndpoint(p));
      if (outside.length === 0) return pass(t('checker.endpoints.in', { service: args.service, count: pods.length, selector, pods: names(pods) }));
      return pending(t('checker.endpoints.notIn', { service: args.service, pods: names(outside), selector }), {
        expected: t('checker.endpoints.readyEndpoints'),
        actual: t('checker.endpoints.of', { some: pods.length - outside.length, all: pods.length }),
        hint: t('checker.endpoints.notIn.hint', { service: args.service, namespace: args.namespace }),
      });
    }
    const inside = pods.filter(isEndpoint);
    if (inside.length === 0) return pass(t('checker.endpoints.out', { service: args.service, selector, pods: names(pods) }));
    return pending(t('checker.endpoints.stillIn', { service: args.service, pods: names(inside), selector }), {
      expected: t('checker.endpoints.notAnEndpoint'),
      actual: t('checker.endpoints.anEndpoint', { service: args.service }),
      hint: t('checker.endpoints.stillIn.hint', { namespace: args.namespace }),
    });
  },
});

export const checkers = [serviceEndpoints];
