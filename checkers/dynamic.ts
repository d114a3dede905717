import type { KubeConfig } from '@kubernetes/client-node';

/**
 * Any kind, CRDs included: the API server's discovery says where a kind lives and whether it is
 * namespaced, and objects are read as plain JSON (exactly what `kubectl get -o json` shows), so a
 * partial match sees every field the server returns.
 */

/** apiVersion of kinds a lesson names often, so `kind: ConfigMap` alone is enough. Others need apiVersion. */
export const WELL_KNOWN_KINDS: Record<string, string> = {
  Namespace: 'v1',
  Pod: 'v1',
  Service: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  ServiceAccount: 'v1',
  PersistentVolumeClaim: 'v1',
  PersistentVolume: 'v1',
  Node: 'v1',
  Event: 'v1',
  ResourceQuota: 'v1',
  LimitRange: 'v1',
  Endpoints: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Ingress: 'networking.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  CertificateSigningRequest: 'certificates.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  StorageClass: 'storage.k8s.io/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
};

export interface KindRef {
  apiVersion?: string;
  kind: string;
}

export interface ResolvedKind {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** The list path of a kind: /api/v1/namespaces/x/configmaps, /apis/apps/v1/deployments. */
export function listPath(kind: ResolvedKind, namespace?: string): string {
  const base = kind.apiVersion.includes('/') ? `/apis/${kind.apiVersion}` : `/api/${kind.apiVersion}`;
  return kind.namespaced && namespace ? `${base}/namespaces/${namespace}/${kind.plural}` : `${base}/${kind.plural}`;
}

export function apiVersionOf(ref: KindRef): string | undefined {
  return ref.apiVersion ?? WELL_KNOWN_KINDS[ref.kind];
}

export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}: ${body.slice(0, 300)}`);
  }
}

/** GET a path of the API server as JSON; undefined on 404. Other statuses throw (the check is broken). */
export async function getJson<T = unknown>(kc: KubeConfig, path: string, query: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<T | undefined> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no cluster in the kubeconfig context');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  const options: Record<string, unknown> = { headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(options as never);
  const transport = url.protocol === 'http:' ? await import('node:http') : await import('node:https');
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = transport.get(url, { ...(options as object), signal, timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('the API server did not answer within 30 s')));
    request.on('error', reject);
  });
  if (status === 404) return undefined;
  if (status < 200 || status >= 300) throw Object.assign(new HttpError(status, body), { body });
  return JSON.parse(body) as T;
}

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/**
 * Where a kind lives, from discovery. Undefined when the server does not serve it (yet: a CRD may
 * be installed by the step being checked).
 */
export async function resolveKind(kc: KubeConfig, ref: KindRef, signal?: AbortSignal): Promise<ResolvedKind | undefined> {
  const apiVersion = apiVersionOf(ref);
  if (!apiVersion) return undefined;
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const list = await getJson<ApiResourceList>(kc, base, {}, signal);
  const resource = list?.resources.find((r) => r.kind === ref.kind && !r.name.includes('/'));
  return resource && { apiVersion, kind: ref.kind, plural: resource.name, namespaced: resource.namespaced };
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  [key: string]: unknown;
}

/** How a person names an object in a message: "ConfigMap app-config in config-demo". */
export function objectName(kind: string, name: string, namespace?: string): string {
  return namespace ? `${kind} ${name} in ${namespace}` : `${kind} ${name}`;
}
