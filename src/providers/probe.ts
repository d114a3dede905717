import type { ClusterConnection } from './types.js';

export interface Probe {
  reachable: boolean;
  version?: string;
  detail: string;
}

/** Asks the API server for /version with the connection's credentials: reachable, and which version. */
export async function probeApiServer(connection: Pick<ClusterConnection, 'kubeconfig' | 'context'>, signal: AbortSignal): Promise<Probe> {
  try {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(connection.kubeconfig);
    kc.setCurrentContext(connection.context);
    const api = kc.makeApiClient(k8s.VersionApi);
    const timeout = AbortSignal.timeout(5000);
    const info = await Promise.race([
      api.getCode(),
      new Promise<never>((_, reject) => {
        const stop = () => reject(new Error(signal.aborted ? 'interrupted' : 'no answer within 5 s'));
        timeout.addEventListener('abort', stop);
        signal.addEventListener('abort', stop);
      }),
    ]);
    return { reachable: true, version: info.gitVersion, detail: `${kc.getCurrentCluster()?.server} answers, Kubernetes ${info.gitVersion}` };
  } catch (error) {
    return { reachable: false, detail: (error as Error).message.split('\n')[0] };
  }
}
