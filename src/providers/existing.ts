import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EnvironmentError } from '../errors.js';
import { probeApiServer } from './probe.js';
import type { ClusterConnection, Provider } from './types.js';

/**
 * A cluster the learner already has: their kubeconfig (KUBECONFIG or ~/.kube/config), read but
 * never written, and a context they name (or its current one).
 */
export function createExistingProvider(): Provider {
  const connection = async (env: NodeJS.ProcessEnv): Promise<ClusterConnection | undefined> => {
    const kubeconfig = (env.KUBECONFIG ?? join(homedir(), '.kube', 'config')).split(':')[0];
    if (!existsSync(kubeconfig)) return undefined;
    // Read with the yaml parser, not client-node: only the context names are needed here.
    const doc = (parseYaml(await readFile(kubeconfig, 'utf8')) ?? {}) as { 'current-context'?: string; contexts?: { name: string }[] };
    const context = env.KUBELAB_EXISTING_CONTEXT ?? doc['current-context'];
    if (!context || !(doc.contexts ?? []).some((c) => c.name === context)) {
      throw new EnvironmentError(`Context "${context}" is not in ${kubeconfig}.`, 'List contexts with: kubectl config get-contexts');
    }
    return { provider: 'existing', name: context, kubeconfig, context, simulated: false, variables: { CLUSTER_NAME: context } };
  };
  return {
    name: 'existing',
    description: 'a cluster you already have (a context in your kubeconfig)',
    defaultName: 'current-context',
    async up(_options, io) {
      const c = await connection(io.env);
      if (!c) throw new EnvironmentError('No kubeconfig found.', 'Set KUBECONFIG or pass --kubeconfig FILE --context NAME');
      const probe = await probeApiServer(c, io.signal);
      if (!probe.reachable) throw new EnvironmentError(`The API server of context "${c.context}" is not reachable: ${probe.detail}`);
      io.log(`Using your existing context "${c.context}" (${probe.detail}); kubelab does not change your kubeconfig.`);
      return { connection: c, alreadyUp: true };
    },
    async down(_options, io) {
      io.log('kubelab did not create this cluster, so it deletes nothing. Delete lesson resources with: kubelab reset LESSON --cleanup');
    },
    async status(_options, io) {
      const c = await connection(io.env);
      if (!c) return { state: 'down', detail: 'no kubeconfig found', components: [] };
      const probe = await probeApiServer(c, io.signal);
      return { state: probe.reachable ? 'up' : 'broken', detail: probe.detail, components: [{ name: 'kube-apiserver', healthy: probe.reachable, detail: probe.detail }], connection: c };
    },
    async connection(_options, io) {
      return connection(io.env);
    },
  };
}
