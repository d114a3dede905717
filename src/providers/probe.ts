import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ClusterConnection } from './types.js';

export interface Probe {
  reachable: boolean;
  version?: string;
  detail: string;
}

const TIMEOUT_MS = 5000;

interface NamedEntry<T> {
  name: string;
  cluster?: T;
  user?: T;
  context?: T;
}

type Fields = Record<string, string | boolean | undefined>;

/** Credentials and CA from a kubeconfig: the parts a plain HTTPS request needs. */
interface Endpoint {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecure: boolean;
}

async function material(base: string, data: unknown, file: unknown): Promise<Buffer | undefined> {
  if (typeof data === 'string') return Buffer.from(data, 'base64');
  if (typeof file === 'string') return readFile(isAbsolute(file) ? file : resolve(base, file));
  return undefined;
}

/**
 * Reads the context's endpoint when its user authenticates with a certificate or a token.
 * Other schemes (exec plugins such as `aws eks get-token`, auth providers) return undefined, and
 * the probe falls back to client-node, which knows them all.
 */
async function plainEndpoint(kubeconfig: string, contextName: string, options: { anonymous?: boolean } = {}): Promise<Endpoint | undefined> {
  const doc = parseYaml(await readFile(kubeconfig, 'utf8')) as Record<string, NamedEntry<Fields>[] | undefined>;
  const find = (list: NamedEntry<Fields>[] | undefined, name: unknown) => list?.find((e) => e.name === name);
  const context = find(doc.contexts, contextName)?.context;
  const cluster = find(doc.clusters, context?.cluster)?.cluster;
  const user = find(doc.users, context?.user)?.user ?? {};
  if (!cluster?.server || typeof cluster.server !== 'string') return undefined;
  const base = dirname(kubeconfig);
  const server = {
    server: cluster.server,
    ca: await material(base, cluster['certificate-authority-data'], cluster['certificate-authority']),
    insecure: cluster['insecure-skip-tls-verify'] === true,
  };
  if (user.exec || user['auth-provider'] || user.tokenFile || user.username) return options.anonymous ? server : undefined;
  return {
    ...server,
    cert: await material(base, user['client-certificate-data'], user['client-certificate']),
    key: await material(base, user['client-key-data'], user['client-key']),
    token: typeof user.token === 'string' ? user.token : undefined,
  };
}

function getVersion(endpoint: Endpoint, signal: AbortSignal): Promise<{ gitVersion?: string }> {
  return new Promise((resolvePromise, reject) => {
    const url = new URL('/version', endpoint.server);
    const req = request(
      url,
      {
        ca: endpoint.ca,
        cert: endpoint.cert,
        key: endpoint.key,
        rejectUnauthorized: !endpoint.insecure,
        headers: endpoint.token ? { Authorization: `Bearer ${endpoint.token}` } : {},
        signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode} from ${url.origin}/version`));
          else {
            try {
              resolvePromise(JSON.parse(body) as { gitVersion?: string });
            } catch {
              reject(new Error(`${url.origin}/version did not answer with JSON`));
            }
          }
        });
      },
    );
    req.on('error', (error) => reject(signal.aborted ? new Error('interrupted') : error.name === 'TimeoutError' || error.name === 'AbortError' ? new Error(`no answer within ${TIMEOUT_MS / 1000} s`) : error));
    req.end();
  });
}

async function probeWithClientNode(connection: Pick<ClusterConnection, 'kubeconfig' | 'context'>, signal: AbortSignal): Promise<Probe> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(connection.kubeconfig);
  kc.setCurrentContext(connection.context);
  const api = kc.makeApiClient(k8s.VersionApi);
  const info = await Promise.race([
    api.getCode(),
    new Promise<never>((_, reject) => {
      const stop = () => reject(new Error(signal.aborted ? 'interrupted' : `no answer within ${TIMEOUT_MS / 1000} s`));
      AbortSignal.timeout(TIMEOUT_MS).addEventListener('abort', stop);
      signal.addEventListener('abort', stop);
    }),
  ]);
  return { reachable: true, version: info.gitVersion, detail: `${kc.getCurrentCluster()?.server} answers, Kubernetes ${info.gitVersion}` };
}

/**
 * Asks the API server for /version with the connection's credentials: reachable, and which
 * version. Certificate and token logins use a plain HTTPS request, so a probe does not pay for
 * loading client-node (~400 ms, ~75 MiB); anything else goes through client-node.
 */
export async function probeApiServer(connection: Pick<ClusterConnection, 'kubeconfig' | 'context'>, signal: AbortSignal): Promise<Probe> {
  try {
    const endpoint = await plainEndpoint(connection.kubeconfig, connection.context);
    if (!endpoint) return await probeWithClientNode(connection, signal);
    const info = await getVersion(endpoint, signal);
    return { reachable: true, version: info.gitVersion, detail: `${endpoint.server} answers, Kubernetes ${info.gitVersion}` };
  } catch (error) {
    return { reachable: false, detail: (error as Error).message.split('\n')[0] };
  }
}

/** A component's health endpoint: a plain URL, or a path on the API server of a kubeconfig context. */
export type HealthTarget =
  | { kind: 'url'; url: string; insecure?: boolean }
  | { kind: 'kubeconfig'; kubeconfig: string; context: string; path: string };

export interface Health {
  ok: boolean;
  detail: string;
}

const HEALTH_TIMEOUT_MS = 3000;

function get(url: URL, tls: Partial<Endpoint>, signal: AbortSignal): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const options = {
      signal: AbortSignal.any([signal, AbortSignal.timeout(HEALTH_TIMEOUT_MS)]),
      ...(url.protocol === 'https:' && {
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: !tls.insecure,
        headers: tls.token ? { Authorization: `Bearer ${tls.token}` } : {},
      }),
    };
    const req = (url.protocol === 'https:' ? request : httpRequest)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => reject(signal.aborted ? new Error('interrupted') : error.name === 'TimeoutError' || error.name === 'AbortError' ? new Error(`no answer within ${HEALTH_TIMEOUT_MS / 1000} s`) : error));
    req.end();
  });
}

/**
 * Asks a health endpoint (/readyz, /healthz, etcd's /health) once. A 401 or 403 still proves the
 * server is up and serving; anything else but 200 is unhealthy, with the endpoint's own words.
 */
export async function checkHealth(target: HealthTarget, signal: AbortSignal): Promise<Health> {
  try {
    let url: URL;
    let tls: Partial<Endpoint> = {};
    if (target.kind === 'url') {
      url = new URL(target.url);
      tls = { insecure: target.insecure ?? false };
    } else {
      // A login through a plugin (aws eks get-token) would run a program on every ask: ask
      // without credentials instead, where a 401 still proves the server answers.
      const endpoint = await plainEndpoint(target.kubeconfig, target.context, { anonymous: true });
      if (!endpoint) return { ok: false, detail: `no cluster for context "${target.context}" in ${target.kubeconfig}` };
      url = new URL(target.path, endpoint.server);
      tls = endpoint;
    }
    const { status, body } = await get(url, tls, signal);
    if (status === 200 && !/"health"\s*:\s*"false"/.test(body)) return { ok: true, detail: `${url.pathname} ok` };
    if (status === 401 || status === 403) return { ok: true, detail: `${url.pathname} answers (HTTP ${status})` };
    const reason = body.split('\n').filter((l) => /^\[-\]|fail|error/i.test(l)).slice(0, 2).join('; ') || body.trim().slice(0, 120);
    return { ok: false, detail: `${url.pathname} says HTTP ${status}${reason ? `: ${reason}` : ''}` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message.split('\n')[0] };
  }
}
