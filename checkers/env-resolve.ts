import type { CheckContext } from '../src/engine/checker.js';
import { getJson } from './dynamic.js';

/**
 * A container's environment as the kubelet builds it: `envFrom` sources first (in order, a later
 * one winning, each key behind its `prefix`), then `env` entries (literal `value`, `$(VAR)`
 * references to earlier variables, `valueFrom` ConfigMap and Secret keys, field references).
 * Each variable says where it came from, so a message can name the source a learner must fix.
 */

export interface EnvVarSource {
  /** The value, when it could be read; a Secret's value is read to compare, never to print. */
  value?: string;
  /** From a Secret: the value must never be shown. */
  secret: boolean;
  /** Where it comes from, in words: `ConfigMap app-config, key GREETING`, `literal value`. */
  source: string;
  /** Why no value could be read (the ConfigMap does not exist, the key is missing). */
  problem?: string;
}

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
    fieldRef?: { fieldPath?: string };
    resourceFieldRef?: { resource?: string; containerName?: string };
  };
}

interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

export interface ContainerEnvSpec {
  name?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
}

/** What a field reference reads, from the pod template or, for per-pod fields, one of its pods. */
export interface PodFields {
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  serviceAccountName?: string;
  /** A running pod of the workload, for fields each pod has its own of (name, IP, node). */
  pod?: { metadata?: { name?: string; uid?: string }; spec?: { nodeName?: string }; status?: { podIP?: string; hostIP?: string } };
}

interface DataObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** The ConfigMaps and Secrets a container reads, each fetched once. */
class Sources {
  private readonly cache = new Map<string, Promise<DataObject | undefined>>();
  constructor(
    private readonly ctx: CheckContext,
    private readonly namespace: string,
  ) {}

  get(kind: 'ConfigMap' | 'Secret', name: string): Promise<DataObject | undefined> {
    const key = `${kind}/${name}`;
    let found = this.cache.get(key);
    if (!found) {
      found = getJson<DataObject>(this.ctx.kubeConfig, `/api/v1/namespaces/${this.namespace}/${kind === 'Secret' ? 'secrets' : 'configmaps'}/${name}`, {}, this.ctx.signal);
      this.cache.set(key, found);
    }
    return found;
  }
}

function dataOf(kind: 'ConfigMap' | 'Secret', object: DataObject): Record<string, string> {
  if (kind === 'Secret') return Object.fromEntries(Object.entries(object.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  return { ...object.data };
}

/** `$(NAME)` of a variable defined earlier; `$$(NAME)` stays literal, an unknown name stays as written. */
function expand(text: string, env: Map<string, EnvVarSource>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (!name) return '$';
    const known = env.get(name);
    return known?.value !== undefined ? known.value : whole;
  });
}

function fieldValue(path: string, fields: PodFields): { value?: string; problem?: string } {
  const keyed = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
  if (keyed) return { value: (keyed[1] === 'labels' ? fields.labels : fields.annotations)[keyed[2]] ?? '' };
  switch (path) {
    case 'metadata.namespace':
      return { value: fields.namespace };
    case 'spec.serviceAccountName':
      return { value: fields.serviceAccountName ?? 'default' };
    case 'metadata.name':
      return fields.pod?.metadata?.name ? { value: fields.pod.metadata.name } : { problem: 'each pod’s own name (no pod yet)' };
    case 'metadata.uid':
      return fields.pod?.metadata?.uid ? { value: fields.pod.metadata.uid } : { problem: 'each pod’s own uid (no pod yet)' };
    case 'spec.nodeName':
      return fields.pod?.spec?.nodeName ? { value: fields.pod.spec.nodeName } : { problem: 'the node of each pod (no pod yet)' };
    case 'status.podIP':
      return fields.pod?.status?.podIP ? { value: fields.pod.status.podIP } : { problem: 'each pod’s IP (no pod running yet)' };
    case 'status.hostIP':
      return fields.pod?.status?.hostIP ? { value: fields.pod.status.hostIP } : { problem: 'the IP of each pod’s node (no pod running yet)' };
    default:
      return { problem: `field ${path}, which kubelab does not read` };
  }
}

/** The environment of one container, each variable with its value (when readable) and source. */
export async function resolveContainerEnv(ctx: CheckContext, container: ContainerEnvSpec, fields: PodFields): Promise<ContainerEnv> {
  const sources = new Sources(ctx, fields.namespace);
  const env = new Map<string, EnvVarSource>();
  const unresolved: string[] = [];
  for (const from of container.envFrom ?? []) {
    const kind = from.secretRef ? 'Secret' : 'ConfigMap';
    const ref = from.secretRef ?? from.configMapRef;
    if (!ref?.name) continue;
    const object = await sources.get(kind, ref.name);
    // A missing optional source adds nothing; a missing required one keeps the pod from starting.
    if (!object) {
      if (!ref.optional) unresolved.push(`envFrom ${kind} ${ref.name} does not exist in ${fields.namespace}`);
      continue;
    }
    const prefix = from.prefix ?? '';
    for (const [key, value] of Object.entries(dataOf(kind, object))) {
      env.set(`${prefix}${key}`, { value, secret: kind === 'Secret', source: `envFrom ${kind} ${ref.name}, key ${key}${prefix ? ` (prefix ${prefix})` : ''}` });
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    const keyRef = from?.secretKeyRef ?? from?.configMapKeyRef;
    if (keyRef) {
      const kind = from?.secretKeyRef ? 'Secret' : 'ConfigMap';
      const source = `${kind} ${keyRef.name}, key ${keyRef.key}`;
      const object = keyRef.name ? await sources.get(kind, keyRef.name) : undefined;
      const data = object && dataOf(kind, object);
      if (data && keyRef.key !== undefined && keyRef.key in data) env.set(variable.name, { value: data[keyRef.key], secret: kind === 'Secret', source });
      else if (keyRef.optional) env.delete(variable.name);
      else {
        const problem = object ? `${kind} ${keyRef.name} has no key ${keyRef.key}` : `${kind} ${keyRef.name} does not exist in ${fields.namespace}`;
        env.set(variable.name, { secret: kind === 'Secret', source, problem });
      }
    } else if (from?.fieldRef?.fieldPath) {
      env.set(variable.name, { ...fieldValue(from.fieldRef.fieldPath, fields), secret: false, source: `field ${from.fieldRef.fieldPath}` });
    } else if (from?.resourceFieldRef) {
      env.set(variable.name, { secret: false, source: `resource ${from.resourceFieldRef.resource}`, problem: `resource ${from.resourceFieldRef.resource}, which kubelab does not read` });
    } else {
      env.set(variable.name, { value: expand(variable.value ?? '', env), secret: false, source: 'literal value' });
    }
  }
  return { env, unresolved };
}

export interface ContainerEnv {
  env: Map<string, EnvVarSource>;
  /** envFrom sources that do not exist (not optional): their keys are missing from `env`. */
  unresolved: string[];
}
