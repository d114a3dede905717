// A checker of this workshop's own: lessons name it by its id, like a built-in checker.
// kubelab bundles every file in checkers/ when it loads the workshop, so there is nothing to build
// or install; `kubelab/checker` gives defineChecker, the result helpers and zod's z.
import { defineChecker, getJson, pass, pending, z } from 'kubelab/checker';

interface Deployment {
  status?: { readyReplicas?: number };
}

export const replicasAtLeast = defineChecker({
  id: 'replicas-at-least',
  description: 'A Deployment has at least a number of ready replicas.',
  // Checked by kubelab lint against each step's args.
  args: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1),
      min: z.number().int().min(1),
    })
    .strict(),
  // Every change to the Deployment re-runs the check while kubelab waits for it to pass.
  watch: (args) => [{ path: `/apis/apps/v1/namespaces/${args.namespace}/deployments`, query: { fieldSelector: `metadata.name=${args.name}` } }],
  async run(ctx, args) {
    const deployment = await getJson<Deployment>(ctx.kubeConfig, `/apis/apps/v1/namespaces/${args.namespace}/deployments/${args.name}`, {}, ctx.signal);
    // Not there yet, or too few ready: pending, so kubelab keeps waiting until the step's timeout.
    if (!deployment) return pending(`no Deployment ${args.name} in ${args.namespace}`);
    const ready = deployment.status?.readyReplicas ?? 0;
    const message = `Deployment ${args.name}: ${ready} ready replica(s)`;
    if (ready >= args.min) return pass(message);
    return pending(message, { expected: `at least ${args.min} ready`, actual: `${ready} ready`, hint: `kubectl get pods -n ${args.namespace} shows why pods are not ready.` });
  },
});
