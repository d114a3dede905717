import { z } from 'zod';
import { converging, defineChecker, fail, missing, notApplicable, pass, pending, wrong, type CheckContext, type WatchTarget } from '../src/engine/checker.js';
import { isSimulatedNode } from '../src/engine/connection.js';
import { stillWorking, stuckContainer } from '../src/engine/running/settle.js';
import { getJson, listPath, objectName, resolveKind, WELL_KNOWN_KINDS, type KubeObject } from './dynamic.js';
import { countMismatch, countSchema } from './match.js';
import { resolveContainerEnv, type ContainerEnvSpec, type EnvVarSource, type PodFields } from './env-resolve.js';
import { orNotFound, say, selectorString, selects } from './support.js';

const k8s = () => import('@kubernetes/client-node');

async function findElsewhere(ctx: CheckContext, kind: 'deployment' | 'service', name: string): Promise<string[]> {
  const m = await k8s();
  const items: { metadata?: { namespace?: string } }[] =
    kind === 'deployment'
      ? (await ctx.kubeConfig.makeApiClient(m.AppsV1Api).listDeploymentForAllNamespaces({ fieldSelector: `metadata.name=${name}` })).items
      : (await ctx.kubeConfig.makeApiClient(m.CoreV1Api).listServiceForAllNamespaces({ fieldSelector: `metadata.name=${name}` })).items;
  return items.map((i) => i.metadata?.namespace ?? '');
}

export const deploymentReady = defineChecker({
  id: 'deployment-ready',
  description: 'A Deployment exists with the expected image, labels and replicas, and all its replicas are available.',
  args: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1).default('default'),
      /** A number (exactly), or a comparison such as ">= 1": a later step that scales up must not fail this one. */
      replicas: countSchema.optional(),
      image: z.string().min(1).optional(),
      labels: z.record(z.string()).optional(),
    })
    .strict(),
  watch: (args) => [
    { path: `/apis/apps/v1/namespaces/${args.namespace}/deployments`, query: { fieldSelector: `metadata.name=${args.name}` } },
    // Its pods: a pod held in CreateContainerConfigError changes nothing on the Deployment itself.
    { path: `/api/v1/namespaces/${args.namespace}/pods` },
  ],
  async run(ctx, args) {
    const { t } = say(ctx);
    const m = await k8s();
    const apps = ctx.kubeConfig.makeApiClient(m.AppsV1Api);
    const deployment = await orNotFound(apps.readNamespacedDeployment({ name: args.name, namespace: args.namespace }));
    if (!deployment) {
      const elsewhere = (await findElsewhere(ctx, 'deployment', args.name)).filter((ns) => ns !== args.namespace);
      if (elsewhere.length) {
        return fail(t('checker.elsewhere', { name: args.name, elsewhere: elsewhere.join(', '), namespace: args.namespace }), {
          expected: t('checker.namespace', { namespace: args.namespace }),
          actual: t('checker.namespace', { namespace: elsewhere.join(', ') }),
          hint: t('checker.elsewhere.hint', { namespace: args.namespace }),
        });
      }
      return missing(t('checker.deployment.missing', { name: args.name, namespace: args.namespace }), { hint: t('checker.deployment.missing.hint') });
    }
    const containers = deployment.spec?.template.spec?.containers ?? [];
    if (args.image && !containers.some((c) => c.image === args.image)) {
      return fail(t('checker.deployment.image', { name: args.name, images: containers.map((c) => c.image).join(', '), image: args.image }), {
        expected: args.image,
        actual: containers.map((c) => c.image).join(', '),
        hint: t('checker.deployment.image.hint'),
      });
    }
    const podLabels = deployment.spec?.template.metadata?.labels ?? {};
    if (args.labels) {
      const wrong = Object.entries(args.labels).filter(([k, v]) => podLabels[k] !== v);
      if (wrong.length) {
        return fail(t('checker.deployment.labels', { name: args.name, labels: selectorString(podLabels) || t('checker.noLabels'), expected: selectorString(args.labels) }), {
          expected: selectorString(args.labels),
          actual: selectorString(podLabels),
          hint: t('checker.deployment.labels.hint'),
        });
      }
    }
    const asked = deployment.spec?.replicas ?? 1;
    const want = typeof args.replicas === 'number' ? args.replicas : asked;
    const wrongCount = args.replicas === undefined ? undefined : countMismatch(args.replicas, asked);
    if (wrongCount) {
      const exact = typeof args.replicas === 'number';
      return fail(t('checker.deployment.replicas', { name: args.name, count: asked, expected: String(exact ? args.replicas : wrongCount) }), {
        expected: t('checker.replicas', { replicas: String(exact ? args.replicas : wrongCount) }),
        actual: t('checker.replicas', { replicas: String(asked) }),
        hint: `kubectl scale deployment ${args.name} -n ${args.namespace} --replicas=${exact ? args.replicas : 'N'}`,
      });
    }
    const status = deployment.status ?? {};
    const ready = status.readyReplicas ?? 0;
    const available = status.conditions?.find((c) => c.type === 'Available')?.status === 'True';
    const settled = (status.updatedReplicas ?? 0) === want && (status.replicas ?? 0) === want && (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
    const message = t('checker.deployment.ready', { name: args.name, ready, count: want });
    if (ready >= want && available && settled) return pass(message);
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.status === 'False') return fail(t('checker.deployment.stuck', { message, reason: progressing.message ?? '' }), { expected: t('checker.readyCount', { count: want }), actual: t('checker.readyCount', { count: ready }) });
    const readiness = { expected: t('checker.readyCount', { count: want }), actual: t('checker.readyCount', { count: ready }) };
    // A pod the kubelet holds back (a missing Secret key, an image it cannot pull) will not become
    // ready by waiting: say what it said, as `kubectl describe pod` would.
    const pods = (await core(ctx, m).listNamespacedPod({ namespace: args.namespace, labelSelector: selectorString(deployment.spec?.selector.matchLabels) })).items;
    for (const pod of pods) {
      const stuck = stuckContainer(pod as Parameters<typeof stuckContainer>[0]);
      if (stuck) {
        return wrong(t('checker.deployment.podStuck', { message, pod: pod.metadata?.name ?? '', reason: `${stuck.reason}${stuck.message ? `: ${stuck.message}` : ''}` }), {
          ...readiness,
          hint: stuck.reason === 'CreateContainerConfigError' ? t('checker.deployment.configError.hint') : undefined,
        });
      }
    }
    return converging(message, stillWorking({ ...deployment, kind: 'Deployment' } as Parameters<typeof stillWorking>[0]) ?? t('checker.deployment.starting', { name: args.name }), readiness);
  },
});

const core = (ctx: CheckContext, m: typeof import('@kubernetes/client-node')) => ctx.kubeConfig.makeApiClient(m.CoreV1Api);

export const serviceRoutes = defineChecker({
  id: 'service-routes',
  description: 'A Service exists with the expected type and port, selects exactly its Deployment’s pods, and has one ready endpoint per ready replica.',
  args: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1).default('default'),
      deployment: z.string().min(1),
      port: z.number().int().positive().default(80),
      targetPort: z.number().int().positive().default(3000),
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP'),
      /** Ready endpoints expected (e.g. 3 after scaling, or ">= 1"); by default, the Deployment's replicas. */
      endpoints: countSchema.optional(),
    })
    .strict(),
  watch: (args): WatchTarget[] => [
    { path: `/api/v1/namespaces/${args.namespace}/services`, query: { fieldSelector: `metadata.name=${args.name}` } },
    { path: `/apis/discovery.k8s.io/v1/namespaces/${args.namespace}/endpointslices`, query: { labelSelector: `kubernetes.io/service-name=${args.name}` } },
    { path: `/apis/apps/v1/namespaces/${args.namespace}/deployments`, query: { fieldSelector: `metadata.name=${args.deployment}` } },
  ],
  async run(ctx, args) {
    const { t } = say(ctx);
    const m = await k8s();
    const core = ctx.kubeConfig.makeApiClient(m.CoreV1Api);
    const service = await orNotFound(core.readNamespacedService({ name: args.name, namespace: args.namespace }));
    if (!service) {
      const elsewhere = (await findElsewhere(ctx, 'service', args.name)).filter((ns) => ns !== args.namespace);
      if (elsewhere.length) return fail(t('checker.service.elsewhere', { name: args.name, elsewhere: elsewhere.join(', '), namespace: args.namespace }), { expected: args.namespace, actual: elsewhere.join(', ') });
      return missing(t('checker.service.missing', { name: args.name, namespace: args.namespace }));
    }
    const type = service.spec?.type ?? 'ClusterIP';
    if (type !== args.type) {
      return fail(t('checker.service.type', { name: args.name, type, expected: args.type }), { expected: `type: ${args.type}`, actual: `type: ${type}` });
    }
    const ports = service.spec?.ports ?? [];
    const port = ports.find((p) => p.port === args.port);
    const target = port ? (port.targetPort ?? port.port) : undefined;
    if (!port || String(target) !== String(args.targetPort)) {
      const actual = ports.map((p) => `${p.port} → ${p.targetPort ?? p.port}`).join(', ') || t('checker.service.noPorts');
      return fail(t('checker.service.ports', { name: args.name, actual, expected: `${args.port} → ${args.targetPort}` }), {
        expected: `${args.port} → ${args.targetPort}`,
        actual,
        hint: t('checker.service.ports.hint'),
      });
    }
    const deployment = await orNotFound(ctx.kubeConfig.makeApiClient(m.AppsV1Api).readNamespacedDeployment({ name: args.deployment, namespace: args.namespace }));
    if (!deployment) return missing(t('checker.service.noDeployment', { name: args.name, deployment: args.deployment }));
    const selector = service.spec?.selector;
    const podLabels = deployment.spec?.template.metadata?.labels;
    if (!selects(selector, podLabels)) {
      return fail(t('checker.service.selector', { name: args.name, selector: selectorString(selector) || t('checker.nothing'), deployment: args.deployment, labels: selectorString(podLabels) }), {
        expected: t('checker.service.selector.expected', { labels: selectorString(podLabels) }),
        actual: selectorString(selector) || t('checker.noSelector'),
        hint: t('checker.service.selector.hint'),
      });
    }
    const pods = (await core.listNamespacedPod({ namespace: args.namespace, labelSelector: selectorString(selector) })).items;
    const deploymentSelector = deployment.spec?.selector.matchLabels;
    const strangers = pods.filter((p) => !selects(deploymentSelector, p.metadata?.labels));
    if (strangers.length) {
      return fail(t('checker.service.strangers', { name: args.name, deployment: args.deployment, pods: strangers.map((p) => p.metadata?.name).join(', ') }), {
        expected: t('checker.service.strangers.expected', { deployment: args.deployment }),
        actual: t('checker.service.strangers.actual', { count: strangers.length }),
      });
    }
    const slices = (await ctx.kubeConfig.makeApiClient(m.DiscoveryV1Api).listNamespacedEndpointSlice({ namespace: args.namespace, labelSelector: `kubernetes.io/service-name=${args.name}` })).items;
    const readyEndpoints = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
    const readyReplicas = deployment.status?.readyReplicas ?? 0;
    const message = t('checker.service.endpoints', { name: args.name, count: readyEndpoints, replicas: readyReplicas, deployment: args.deployment });
    const want = args.endpoints ?? deployment.spec?.replicas ?? 1;
    // "One endpoint per ready replica" always; the count itself may be a comparison (">= 1").
    const wrongCount = countMismatch(want, readyEndpoints);
    if (readyEndpoints === readyReplicas && !wrongCount) return pass(message);
    return pending(message, { expected: `${t('checker.service.endpoints.expected', { want: String(typeof want === 'number' ? want : (wrongCount ?? want)) })}${readyEndpoints !== readyReplicas ? t('checker.service.endpoints.perReplica', { replicas: readyReplicas }) : ''}`, actual: `${readyEndpoints}` });
  },
});

export const deploymentEnv = defineChecker({
  id: 'deployment-env',
  description: 'A Deployment’s container has the expected environment variables, resolved as the kubelet does (env values, ConfigMap and Secret keys, field references, envFrom with its prefix); URLs that name in-cluster Services point at Services that exist.',
  args: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1).default('default'),
      env: z.record(z.string()),
    })
    .strict(),
  watch: (args) => [
    { path: `/apis/apps/v1/namespaces/${args.namespace}/deployments`, query: { fieldSelector: `metadata.name=${args.name}` } },
    { path: `/api/v1/services` },
    // Where valueFrom and envFrom read: a changed key changes the answer.
    { path: `/api/v1/namespaces/${args.namespace}/configmaps` },
    { path: `/api/v1/namespaces/${args.namespace}/secrets` },
  ],
  // What the spec and its ConfigMaps and Secrets hold is no controller's to change: a wrong value
  // read after the step's commands is a failure at once.
  async run(ctx, args) {
    const { t } = say(ctx);
    const m = await k8s();
    const deployment = await orNotFound(ctx.kubeConfig.makeApiClient(m.AppsV1Api).readNamespacedDeployment({ name: args.name, namespace: args.namespace }));
    if (!deployment) return missing(t('checker.deployment.missing', { name: args.name, namespace: args.namespace }));
    const template = deployment.spec?.template;
    const pods = (await core(ctx, m).listNamespacedPod({ namespace: args.namespace, labelSelector: selectorString(deployment.spec?.selector.matchLabels) })).items;
    const fields: PodFields = {
      namespace: args.namespace,
      labels: template?.metadata?.labels ?? {},
      annotations: template?.metadata?.annotations ?? {},
      serviceAccountName: template?.spec?.serviceAccountName,
      pod: pods.find((p) => p.status?.phase === 'Running') ?? pods[0],
    };
    // The first container that defines a variable is the one a lesson means (the app, not a sidecar).
    const env = new Map<string, EnvVarSource>();
    const unresolved: string[] = [];
    for (const container of template?.spec?.containers ?? []) {
      const resolved = await resolveContainerEnv(ctx, container as ContainerEnvSpec, fields);
      for (const [name, source] of resolved.env) if (!env.has(name)) env.set(name, source);
      unresolved.push(...resolved.unresolved);
    }
    for (const [key, value] of Object.entries(args.env)) {
      const found = env.get(key);
      if (!found) {
        const why = unresolved.length ? ` (${unresolved.join('; ')})` : '';
        return fail(`${t('checker.env.unset', { name: args.name, key })}${why}`, { expected: `${key}=${value}`, actual: t('checker.env.unsetLabel'), hint: t('checker.env.unset.hint', { key }) });
      }
      const shown = found.secret ? '(a Secret value, hidden)' : JSON.stringify(found.value);
      if (found.problem) return fail(`${args.name}'s ${key} comes from ${found.source}, but ${found.problem}`, { expected: `${key}=${found.secret ? '(hidden)' : value}`, actual: `${key}: ${found.problem}` });
      if (found.value !== value) {
        return fail(t('checker.env.value', { name: args.name, key, value: found.secret ? t('checker.env.notExpected') : shown, source: found.source }), {
          expected: found.secret ? '(hidden)' : value,
          actual: `${shown} from ${found.source}`,
          hint: found.source === 'literal value' ? undefined : t('checker.env.value.hint', { source: found.source, name: args.name }),
        });
      }
    }
    const services = core(ctx, m);
    for (const [key, value] of Object.entries(args.env)) {
      const host = /^https?:\/\/([^/:]+)/.exec(value)?.[1];
      const dns = host && /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
      if (!dns) continue;
      const service = await orNotFound(services.readNamespacedService({ name: dns[1], namespace: dns[2] }));
      if (!service) return missing(t('checker.env.noService', { key, service: dns[1], namespace: dns[2] }), { hint: t('checker.env.noService.hint', { service: dns[1] }) });
    }
    const from = Object.keys(args.env).map((key) => (env.get(key)?.source === 'literal value' ? key : `${key} (from ${env.get(key)?.source})`));
    return pass(`${t('checker.env.pass', { name: args.name, vars: from.join(', ') })}${Object.values(args.env).some((v) => /^https?:\/\//.test(v)) ? t('checker.env.urls') : ''}`);
  },
});

export const httpThroughProxy = defineChecker({
  id: 'http-through-proxy',
  description: 'A Service answers HTTP, reached through the API server’s service proxy. Not applicable where pods only are simulated.',
  args: z
    .object({
      service: z.string().min(1),
      namespace: z.string().min(1).default('default'),
      port: z.union([z.number().int().positive(), z.string().min(1)]).default(80),
      path: z.string().default('/'),
    })
    .strict(),
  async run(ctx, args) {
    const { t } = say(ctx);
    // Judged by the nodes, not the provider's name: `existing` may well point at a kwok cluster.
    if (ctx.connection.simulated || (await simulatedNodes(ctx))) {
      return notApplicable(t('checker.http.simulated', { service: args.service }));
    }
    const cluster = ctx.kubeConfig.getCurrentCluster();
    if (!cluster) return fail('no cluster in the kubeconfig context');
    const url = `${cluster.server}/api/v1/namespaces/${args.namespace}/services/${args.service}:${args.port}/proxy${args.path}`;
    const options: Record<string, unknown> = {};
    await ctx.kubeConfig.applyToHTTPSOptions(options as never);
    const https = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      const request = https.get(url, { ...(options as object), signal: ctx.signal, timeout: 10_000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
      request.on('error', reject);
    }).catch(() => -1);
    if (status >= 200 && status < 400) return pass(t('checker.http.answers', { service: args.service, status: String(status), path: args.path }));
    if (status === 503 || status === -1) return pending(t('checker.http.notYet', { service: args.service, why: status === -1 ? t('checker.http.noConnection') : 'HTTP 503' }), { hint: t('checker.http.notYet.hint') });
    return fail(t('checker.http.answers', { service: args.service, status: String(status), path: args.path }), { expected: 'HTTP 2xx', actual: `HTTP ${status}` });
  },
});

/** Every node of the cluster is simulated: no container ever really runs there. */
async function simulatedNodes(ctx: CheckContext): Promise<boolean> {
  const nodes = (await getJson<{ items: KubeObject[] }>(ctx.kubeConfig, '/api/v1/nodes', {}, ctx.signal))?.items ?? [];
  return nodes.length > 0 && nodes.every(isSimulatedNode);
}

const goneResource = z
  .object({
    apiVersion: z.string().min(1).optional(),
    kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'a kind as in the manifest, e.g. ConfigMap'),
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!r.apiVersion && !WELL_KNOWN_KINDS[r.kind]) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['apiVersion'], message: `say the apiVersion of ${r.kind} (e.g. apiVersion: example.com/v1); kubelab knows it only for built-in kinds such as ${Object.keys(WELL_KNOWN_KINDS).slice(0, 6).join(', ')}` });
    }
  });

export const gone = defineChecker({
  id: 'gone',
  description: 'Objects the cleanup deletes are really gone: any kind, CRDs included (apiVersion needed beyond the built-in kinds); a namespace may take a while to finish terminating.',
  args: z.object({ resources: z.array(goneResource).min(1) }).strict(),
  async watch(args, ctx) {
    const targets: WatchTarget[] = [];
    for (const r of args.resources) {
      const kind = await resolveKind(ctx.kubeConfig, r, ctx.signal);
      if (kind) targets.push({ path: listPath(kind, kind.namespaced ? (r.namespace ?? 'default') : undefined), query: { fieldSelector: `metadata.name=${r.name}` } });
    }
    return targets;
  },
  async run(ctx, args) {
    const { t } = say(ctx);
    const left: string[] = [];
    let deleting: string | undefined;
    for (const r of args.resources) {
      const kind = await resolveKind(ctx.kubeConfig, r, ctx.signal);
      // A kind the server no longer serves (its CRD was deleted) has no objects left.
      if (!kind) continue;
      const namespace = kind.namespaced ? (r.namespace ?? 'default') : undefined;
      const found = await getJson<KubeObject & { status?: { phase?: string } }>(ctx.kubeConfig, `${listPath(kind, namespace)}/${r.name}`, {}, ctx.signal);
      if (!found) continue;
      const terminating = stillWorking(found, r.kind);
      deleting ??= terminating;
      left.push(`${objectName(r.kind, r.name, namespace)}${terminating ? t('checker.gone.terminating') : ''}`);
    }
    if (left.length === 0) return pass(t('checker.gone.pass', { count: args.resources.length }));
    const hint = { hint: t('checker.gone.hint') };
    // Being deleted is on its way; still there with nothing deleting it is what the step left wrong.
    if (deleting) return converging(t('checker.gone.left', { left: left.join(', ') }), deleting, hint);
    return wrong(t('checker.gone.left', { left: left.join(', ') }), { ...hint, expected: t('checker.gone.deleted'), actual: left.join(', ') });
  },
});

export const checkers = [deploymentReady, serviceRoutes, deploymentEnv, httpThroughProxy, gone];
