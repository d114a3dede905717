// A checker of this workshop's own, written as an author would: `kubelab/checker` gives
// defineChecker, the result helpers and zod's z. kubelab bundles this file when it loads the
// workshop, so there is nothing to build or install.
import { defineChecker, getJson, missing, pass, pending, wrong, z } from 'kubelab/checker';

interface ResourceQuota {
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export const quotaFull = defineChecker({
  id: 'quota-full',
  description: 'A ResourceQuota has used all it allows of one resource (e.g. pods): the next object of that kind will be refused.',
  args: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1),
      resource: z.string().min(1).default('pods'),
    })
    .strict(),
  // The quota controller updates status.used: every change to the quota re-runs the check.
  watch: (args) => [{ path: `/api/v1/namespaces/${args.namespace}/resourcequotas`, query: { fieldSelector: `metadata.name=${args.name}` } }],
  async run(ctx, args) {
    const quota = await getJson<ResourceQuota>(ctx.kubeConfig, `/api/v1/namespaces/${args.namespace}/resourcequotas/${args.name}`, {}, ctx.signal);
    if (!quota) return missing(`no ResourceQuota ${args.name} in ${args.namespace}`);
    const hard = quota.status?.hard?.[args.resource];
    const used = quota.status?.used?.[args.resource] ?? '0';
    if (hard === undefined) return pending(`ResourceQuota ${args.name} does not limit ${args.resource} (yet)`, { hint: `Add ${args.resource} under spec.hard.` });
    const message = `ResourceQuota ${args.name}: ${used} of ${hard} ${args.resource} used`;
    // A quota not full is wrong once settled: the quota controller updates status.used within a second.
    return used === hard ? pass(message) : wrong(message, { expected: `${hard} used`, actual: `${used} used` });
  },
});
