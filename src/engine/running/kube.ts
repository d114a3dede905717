import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterConnection } from '../connection.js';

/** client-node costs ~330 ms to import: load it only when a check or cluster call needs it. */
export async function kubeModule(): Promise<typeof import('@kubernetes/client-node')> {
  return import('@kubernetes/client-node');
}

export async function loadKubeConfig(connection: Pick<ClusterConnection, 'kubeconfig' | 'context'>, context = connection.context): Promise<KubeConfig> {
  const k8s = await kubeModule();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(connection.kubeconfig);
  if (!kc.getContextObject(context)) {
    throw new Error(`context "${context}" is not in ${connection.kubeconfig}`);
  }
  kc.setCurrentContext(context);
  return kc;
}

/** The HTTP status of a client-node error, when it has one. */
export function apiStatus(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown; body?: unknown };
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** The apiserver's own message for a failed call ("pods is forbidden: User ..."), else the error text. */
export function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      return body.slice(0, 300);
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/** Connection refused, DNS, TLS: the check itself cannot run. */
export function isUnreachable(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ''} ${error instanceof Error ? error.message : ''}`;
  return !isKeyMismatch(error) && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|socket hang up|certificate/i.test(text);
}

/**
 * The kubeconfig's client key is not the one its certificate was issued for (OpenSSL "key values
 * mismatch"): the request never left this machine, so it says nothing about the cluster.
 */
export function isKeyMismatch(error: unknown): boolean {
  return /key values mismatch/i.test(error instanceof Error ? error.message : String(error));
}
