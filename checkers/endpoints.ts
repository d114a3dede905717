import { z } from 'zod';
import { defineChecker, pass, pending } from '../src/engine/checker.js';
import { getJson } from './dynamic.js';
import { labelSelector, selectorText } from './support.js';

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
    const selector = selectorText(args.pods)!;
    const service = await getJson(ctx.kubeConfig, `/api/v1/namespaces/${args.namespace}/services/${args.service}`, {}, ctx.signal);
    if (!service) return pending(`no Service ${args.service} in namespace ${args.namespace} yet`);
    const pods = ((await getJson<{ items: Pod[] }>(ctx.kubeConfig, `/api/v1/namespaces/${args.namespace}/pods`, { labelSelector: selector }, ctx.signal))?.items ?? []).filter(
      (p) => !p.metadata?.deletionTimestamp,
    );
    if (pods.length === 0) return pending(`no pod in ${args.namespace} is labelled ${selector}`, { expected: `a pod labelled ${selector}`, actual: 'none', hint: `kubectl get pods -n ${args.namespace} --show-labels` });
    const slices = (await getJson<{ items: EndpointSlice[] }>(ctx.kubeConfig, `/apis/discovery.k8s.io/v1/namespaces/${args.namespace}/endpointslices`, { labelSelector: `kubernetes.io/service-name=${args.service}` }, ctx.signal))?.items ?? [];
    const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false);
    const isEndpoint = (pod: Pod) => ready.some((e) => (e.targetRef?.kind === 'Pod' && e.targetRef.name === pod.metadata?.name) || (!!pod.status?.podIP && e.addresses?.includes(pod.status.podIP)));
    const names = (list: Pod[]) => list.map((p) => p.metadata?.name).join(', ');
    if (args.included) {
      const outside = pods.filter((p) => !isEndpoint(p));
      if (outside.length === 0) return pass(`Service ${args.service} sends traffic to the ${pods.length} pod(s) labelled ${selector}: ${names(pods)}`);
      return pending(`Service ${args.service} does not send traffic to ${names(outside)} (labelled ${selector})`, {
        expected: 'ready endpoints of the Service',
        actual: `${pods.length - outside.length} of ${pods.length}`,
        hint: `The Service's selector must match these pods' labels: compare kubectl get service ${args.service} -n ${args.namespace} -o wide with kubectl get pods -n ${args.namespace} --show-labels.`,
      });
    }
    const inside = pods.filter(isEndpoint);
    if (inside.length === 0) return pass(`Service ${args.service} sends no traffic to the pod(s) labelled ${selector}: ${names(pods)}`);
    return pending(`Service ${args.service} still sends traffic to ${names(inside)} (labelled ${selector})`, {
      expected: 'not an endpoint of the Service',
      actual: `an endpoint of ${args.service}`,
      hint: `Its labels still match the Service's selector: change the label the selector uses (kubectl label pod NAME -n ${args.namespace} app=… --overwrite).`,
    });
  },
});

export const checkers = [serviceEndpoints];
