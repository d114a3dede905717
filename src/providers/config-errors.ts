import type { KubeConfig, V1ConfigMap, V1Container, V1Pod, V1Secret } from '@kubernetes/client-node';

/**
 * What a kubelet does that kwok's simulated nodes do not: a container whose environment names a
 * ConfigMap, a Secret or a key that does not exist is never started. The pod stays not Ready, its
 * container waiting with reason CreateContainerConfigError and the kubelet's message, until the
 * reference resolves; then it starts. This controller plays that part on the local cluster.
 *
 * Why a controller and not kwok Stages: a Stage reads only the pod itself, and whether a key
 * exists is in another object.
 */

export const CONFIG_ERROR = 'CreateContainerConfigError';

/** The keys of each ConfigMap and Secret, by "namespace/name". */
export interface KnownKeys {
  configMaps: Map<string, Set<string>>;
  secrets: Map<string, Set<string>>;
}

const keysOf = (object: V1ConfigMap | V1Secret) => new Set([...Object.keys(object.data ?? {}), ...Object.keys((object as V1ConfigMap).binaryData ?? {})]);
export const objectKey = (object: { metadata?: { namespace?: string; name?: string } }) => `${object.metadata?.namespace}/${object.metadata?.name}`;

/** The kubelet's message for the first reference of a container that does not resolve, or undefined. */
export function unresolvedReference(container: V1Container, namespace: string, known: KnownKeys): string | undefined {
  const find = (kind: 'ConfigMap' | 'Secret', name: string) => (kind === 'Secret' ? known.secrets : known.configMaps).get(`${namespace}/${name}`);
  // The kubelet reads envFrom first, then env, and stops at the first problem.
  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    if (!ref?.name || ref.optional) continue;
    const kind = from.secretRef ? 'Secret' : 'ConfigMap';
    if (!find(kind, ref.name)) return `${kind.toLowerCase()} "${ref.name}" not found`;
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
    if (!ref?.name || ref.optional) continue;
    const kind = variable.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap';
    const keys = find(kind, ref.name);
    if (!keys) return `${kind.toLowerCase()} "${ref.name}" not found`;
    if (!keys.has(ref.key)) return `couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`;
  }
  return undefined;
}

/** Each container that cannot start, with why; empty when all can. */
export function configProblems(pod: V1Pod, known: KnownKeys): { container: V1Container; message: string }[] {
  const namespace = pod.metadata?.namespace ?? 'default';
  return (pod.spec?.containers ?? []).flatMap((container) => {
    const message = unresolvedReference(container, namespace, known);
    return message ? [{ container, message }] : [];
  });
}

const heldByUs = (pod: V1Pod) => (pod.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === CONFIG_ERROR);

/**
 * The status patch that brings a pod where a kubelet would have it, or undefined when it is there
 * already. Only pods on a node (or about to be) and not being deleted are touched.
 */
export function desiredStatus(pod: V1Pod, known: KnownKeys, now: string): Record<string, unknown> | undefined {
  if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const problems = configProblems(pod, known);
  const containers = pod.spec?.containers ?? [];
  if (problems.length) {
    const messages = new Map(problems.map((p) => [p.container.name, p.message]));
    const wanted = containers.map((c) => messages.get(c.name) ?? '').join('|');
    const current = containers.map((c) => pod.status?.containerStatuses?.find((s) => s.name === c.name)?.state?.waiting?.message ?? '').join('|');
    if (heldByUs(pod) && wanted === current) return undefined;
    const unready = problems.map((p) => p.container.name).join(' ');
    const notReady = (type: string) => ({ type, status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready}]`, lastTransitionTime: now });
    return {
      // A pod that ran already stays Running, its container waiting (as after a restart); a new one is Pending.
      phase: pod.status?.phase === 'Running' ? 'Running' : 'Pending',
      // An address, as the pod's sandbox has one: kwok only starts pods that have none yet.
      podIP: pod.status?.podIP ?? simulatedIp(pod),
      podIPs: [{ ip: pod.status?.podIP ?? simulatedIp(pod) }],
      conditions: [notReady('Ready'), notReady('ContainersReady')],
      containerStatuses: containers.map((c) => {
        const message = messages.get(c.name);
        return {
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          ready: false,
          started: false,
          restartCount: 0,
          state: message ? { waiting: { reason: CONFIG_ERROR, message } } : { running: { startedAt: now } },
        };
      }),
    };
  }
  if (!heldByUs(pod)) return undefined;
  // Resolved: the containers start, as kwok would have started them in the first place.
  const ready = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
  return {
    phase: 'Running',
    startTime: pod.status?.startTime ?? now,
    conditions: [ready('Initialized'), ready('Ready'), ready('ContainersReady')],
    containerStatuses: containers.map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } })),
  };
}

/** A stable made-up address in kwok's default pod range, from the pod's uid. */
function simulatedIp(pod: V1Pod): string {
  const uid = pod.metadata?.uid ?? pod.metadata?.name ?? '';
  let hash = 0;
  for (const ch of uid) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.0.${(hash >>> 8) % 250}.${(hash % 250) + 2}`;
}

/**
 * Watches pods, ConfigMaps and Secrets in every namespace and keeps each pod's status where a
 * kubelet would: runs until the signal aborts.
 */
export async function runConfigErrorController(kc: KubeConfig, signal: AbortSignal, log: (line: string) => void = () => undefined): Promise<void> {
  const k8s = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  // A ListWatch is an informer with its cache: what each kind holds now, kept by its watch.
  const watch = new k8s.Watch(kc);
  const pods = new k8s.ListWatch<V1Pod>('/api/v1/pods', watch, () => core.listPodForAllNamespaces(), false);
  const configMaps = new k8s.ListWatch<V1ConfigMap>('/api/v1/configmaps', watch, () => core.listConfigMapForAllNamespaces(), false);
  const secrets = new k8s.ListWatch<V1Secret>('/api/v1/secrets', watch, () => core.listSecretForAllNamespaces(), false);
  const known = (): KnownKeys => ({
    configMaps: new Map(configMaps.list().map((c) => [objectKey(c), keysOf(c)])),
    secrets: new Map(secrets.list().map((s) => [objectKey(s), keysOf(s)])),
  });
  const reconcile = async (pod: V1Pod, keys: KnownKeys) => {
    const status = desiredStatus(pod, keys, new Date().toISOString());
    if (!status || signal.aborted) return;
    try {
      await core.patchNamespacedPodStatus(
        { name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, body: { status } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      );
      log(`${objectKey(pod)}: ${JSON.stringify((status.containerStatuses as { state: unknown }[]).map((c) => c.state))}`);
    } catch (error) {
      // Gone meanwhile, or changed under us: the next event brings it again.
      log(`${objectKey(pod)}: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  const everyPod = () => {
    const keys = known();
    for (const pod of pods.list()) void reconcile(pod, keys);
  };
  const onPod = (pod: V1Pod) => void reconcile(pod, known());
  pods.on('add', onPod);
  pods.on('update', onPod);
  configMaps.on('change', everyPod);
  secrets.on('change', everyPod);
  // An informer stops on a watch error: start it again after a moment (the API server may restart).
  const restart = (informer: { start(): Promise<void> }) => () => setTimeout(() => !signal.aborted && void informer.start().catch(() => undefined), 1000);
  pods.on('error', restart(pods));
  configMaps.on('error', restart(configMaps));
  secrets.on('error', restart(secrets));
  // Keys first, so the first pods are judged against the real ConfigMaps and Secrets.
  await Promise.all([configMaps.start(), secrets.start()]);
  await pods.start();
  everyPod();
  log('watching pods, ConfigMaps and Secrets');
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await Promise.all([pods.stop(), configMaps.stop(), secrets.stop()]);
}
