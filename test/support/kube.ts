import * as k8s from '@kubernetes/client-node';
import { inject } from 'vitest';

/** Admin credentials for the shared test cluster. */
export function adminKubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(inject('kubeconfig'));
  return kc;
}

/** Waits for a condition by watching a list until `done(items)` is true (no sleep loops). */
export async function waitForList<T>(kc: k8s.KubeConfig, path: string, list: () => Promise<T[]>, done: (items: T[]) => boolean, timeoutMs = 30_000): Promise<T[]> {
  let items = await list();
  if (done(items)) return items;
  const watch = new k8s.Watch(kc);
  return new Promise<T[]>((resolve, reject) => {
    let controller: AbortController | undefined;
    const timer = setTimeout(() => {
      controller?.abort();
      reject(new Error(`timed out after ${timeoutMs} ms waiting on ${path}`));
    }, timeoutMs);
    void watch
      .watch(path, {}, async () => {
        items = await list();
        if (done(items)) {
          clearTimeout(timer);
          controller?.abort();
          resolve(items);
        }
      }, () => undefined)
      .then(async (c) => {
        controller = c;
        items = await list();
        if (done(items)) {
          clearTimeout(timer);
          c.abort();
          resolve(items);
        }
      }, reject);
  });
}
