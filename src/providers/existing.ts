import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { writeFileAtomic } from '../engine/running/atomic.js';
import { isSimulatedNode } from '../engine/connection.js';
import { stateDir } from '../paths.js';
import { parse as parseYaml } from 'yaml';
import { EnvironmentError } from '../errors.js';
import { probeApiServer } from './probe.js';
import type { ClusterConnection, Provider } from './types.js';

/** The one context, flattened (credentials embedded), as a kubeconfig of kubelab's own. */
async function copyContext(source: string, context: string, target: string): Promise<void> {
  const result = await execa('kubectl', ['config', 'view', '--flatten', '--minify', '--context', context], { env: { ...process.env, KUBECONFIG: source }, reject: false });
  if (result.exitCode !== 0) throw new EnvironmentError(`Cannot read context "${context}" from ${source}: ${String(result.stderr).split('\n')[0]}`);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  await writeFileAtomic(target, result.stdout);
}

/** Beside the copy: whether the cluster's nodes are simulated, judged when the copy is made. */
const simulatedMarker = (copy: string) => join(dirname(copy), 'simulated');

/**
 * Whether every node is one kwok simulates (annotation kwok.x-k8s.io/node, label type=kwok): such
 * a cluster runs no container, whatever the provider is called. Unknown (no answer) counts as real.
 */
async function nodesSimulated(kubeconfig: string): Promise<boolean> {
  const result = await execa('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'json', '--request-timeout=10s'], { reject: false });
  if (result.exitCode !== 0) return false;
  try {
    const nodes = (JSON.parse(result.stdout) as { items?: Parameters<typeof isSimulatedNode>[0][] }).items ?? [];
    return nodes.length > 0 && nodes.every(isSimulatedNode);
  } catch {
    return false;
  }
}

/**
 * A cluster the learner already has, named by a context in their kubeconfig (KUBELAB's
 * --kubeconfig/--context, or KUBECONFIG / ~/.kube/config and its current context). Their file is
 * only read: lessons work on a copy of that one context under kubelab's state dir, so the RBAC
 * lesson's user and context never land in the learner's own kubeconfig.
 */
export function createExistingProvider(): Provider {
  const connection = async (env: NodeJS.ProcessEnv, refresh = false): Promise<ClusterConnection | undefined> => {
    const kubeconfig = (env.KUBECONFIG ?? join(homedir(), '.kube', 'config')).split(':')[0];
    if (!existsSync(kubeconfig)) return undefined;
    // Read with the yaml parser, not client-node: only the context names are needed here.
    const doc = (parseYaml(await readFile(kubeconfig, 'utf8')) ?? {}) as { 'current-context'?: string; contexts?: { name: string }[] };
    const context = env.KUBELAB_EXISTING_CONTEXT ?? doc['current-context'];
    if (!context || !(doc.contexts ?? []).some((c) => c.name === context)) {
      throw new EnvironmentError(`Context "${context}" is not in ${kubeconfig}.`, 'List contexts with: kubectl config get-contexts');
    }
    const copy = join(stateDir(env), 'clusters', `existing-${context.replace(/[^A-Za-z0-9._-]/g, '_')}`, 'kubeconfig');
    // A newer source (new credentials) replaces the copy; lessons' own additions to it survive otherwise.
    if (refresh || !existsSync(copy) || statSync(kubeconfig).mtimeMs > statSync(copy).mtimeMs) {
      await copyContext(kubeconfig, context, copy);
      await writeFileAtomic(simulatedMarker(copy), String(await nodesSimulated(copy)));
    }
    const simulated = existsSync(simulatedMarker(copy)) && (await readFile(simulatedMarker(copy), 'utf8')).trim() === 'true';
    return { provider: 'existing', name: context, kubeconfig: copy, context, simulated, variables: { CLUSTER_NAME: context } };
  };
  return {
    name: 'existing',
    description: 'a cluster you already have (a context in your kubeconfig)',
    defaultName: 'current-context',
    async up(_options, io) {
      const c = await connection(io.env, true);
      if (!c) throw new EnvironmentError('No kubeconfig found.', 'Set KUBECONFIG or pass --kubeconfig FILE --context NAME');
      const probe = await probeApiServer(c, io.signal);
      if (!probe.reachable) throw new EnvironmentError(`The API server of context "${c.context}" is not reachable: ${probe.detail}`);
      io.log(`Using your existing context "${c.context}" (${probe.detail}); kubelab works on a copy (${c.kubeconfig}) and never changes your kubeconfig.`);
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
