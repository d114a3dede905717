import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = resolve(import.meta.dirname, '../..');
export const TEST_STATE_DIR = join(ROOT, '.kubelab-test', 'state');
const CLI = join(ROOT, 'bin', 'kubelab.js');

/**
 * Brings up one real local cluster (kube-apiserver, controller-manager, scheduler, etcd, kwok)
 * for the integration suite and takes it down afterwards. If it cannot come up, the run fails:
 * an integration test never silently skips for lack of a cluster.
 */
export default function setup(project: TestProject): () => void {
  rmSync(TEST_STATE_DIR, { recursive: true, force: true });
  mkdirSync(TEST_STATE_DIR, { recursive: true });
  const env = { ...process.env, KUBELAB_STATE_DIR: TEST_STATE_DIR };
  try {
    execFileSync(process.execPath, [CLI, 'cluster', 'up', '--provider', 'local', '--nodes', '3'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (error) {
    throw new Error(
      'The local test cluster did not come up, so the integration tests cannot run. ' +
        'Build the control plane with `npm run build:cluster` and the CLI with `npm run build`, then retry.\n' +
        String((error as Error).message),
    );
  }
  project.provide('stateDir', TEST_STATE_DIR);
  project.provide('kubeconfig', join(TEST_STATE_DIR, 'clusters', 'local-kubelab', 'kubeconfig'));
  return () => {
    execFileSync(process.execPath, [CLI, 'cluster', 'down', '--provider', 'local'], { env, stdio: 'inherit' });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    stateDir: string;
    kubeconfig: string;
  }
}
