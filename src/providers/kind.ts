import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startGroup } from '../engine/running/process.js';
import { EnvironmentError } from '../errors.js';
import { findOnPath } from '../engine/running/tools.js';
import { stateDir } from '../paths.js';
import { probeApiServer } from './probe.js';
import type { ClusterConnection, Provider, ProviderIO } from './types.js';

function kubeconfigPath(name: string, env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'clusters', `kind-${name}`, 'kubeconfig');
}

function connectionFor(name: string, env: NodeJS.ProcessEnv): ClusterConnection {
  return { provider: 'kind', name, kubeconfig: kubeconfigPath(name, env), context: `kind-${name}`, simulated: false, variables: { CLUSTER_NAME: name } };
}

function requireTools(env: NodeJS.ProcessEnv): void {
  for (const [tool, url] of [['kind', 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation'], ['docker', 'https://docs.docker.com/engine/install/']]) {
    if (!findOnPath(tool, env)) throw new EnvironmentError(`The kind provider needs ${tool}, which is not on PATH.`, `Install it (${url}) or use the offline cluster: --provider local`);
  }
}

async function kind(args: string[], io: ProviderIO): Promise<string> {
  const result = await startGroup('kind', args, { env: io.env, signal: io.signal, all: true, buffer: true }).finish();
  const all = String(result.all ?? '');
  for (const line of all.split('\n')) if (line.trim()) io.log(line);
  if (result.exitCode !== 0) {
    const docker = /docker|Cannot connect|daemon/i.test(all) ? ' Is Docker running? (docker info)' : '';
    throw new EnvironmentError(`kind ${args[0]} failed (exit ${result.exitCode}).${docker}`, 'Or use the offline cluster: --provider local');
  }
  return all;
}

/** A real cluster in Docker containers with kind: three nodes, as the workshop's node group. */
export function createKindProvider(configFile?: string): Provider {
  return {
    name: 'kind',
    description: 'a real cluster in Docker containers (needs Docker and kind)',
    defaultName: 'kubelab',
    async up(options, io) {
      requireTools(io.env);
      const connection = connectionFor(options.name, io.env);
      if ((await this.status({ name: options.name }, io)).state === 'up') {
        io.log(`The kind cluster "${options.name}" is already up: nothing to do.`);
        return { connection, alreadyUp: true };
      }
      await mkdir(join(connection.kubeconfig, '..'), { recursive: true, mode: 0o700 });
      const workers = Math.max(0, options.nodes - 1);
      const config = configFile ?? join(stateDir(io.env), 'clusters', `kind-${options.name}`, 'kind.yaml');
      if (!configFile) {
        const nodes = ['- role: control-plane', ...Array.from({ length: workers }, () => '- role: worker')];
        await import('node:fs/promises').then((fs) => fs.writeFile(config, ['kind: Cluster', 'apiVersion: kind.x-k8s.io/v1alpha4', 'nodes:', ...nodes, ''].join('\n')));
      }
      await kind(['create', 'cluster', '--name', options.name, '--config', config, '--kubeconfig', connection.kubeconfig, '--wait', '120s'], io);
      return { connection, alreadyUp: false };
    },
    async down(options, io) {
      requireTools(io.env);
      await kind(['delete', 'cluster', '--name', options.name, '--kubeconfig', kubeconfigPath(options.name, io.env)], io);
      await rm(join(kubeconfigPath(options.name, io.env), '..'), { recursive: true, force: true });
    },
    async status(options, io) {
      const connection = connectionFor(options.name, io.env);
      if (!existsSync(connection.kubeconfig)) return { state: 'down', detail: `no kind cluster "${options.name}" created by kubelab`, components: [] };
      const probe = await probeApiServer(connection, io.signal);
      return {
        state: probe.reachable ? 'up' : 'broken',
        detail: probe.detail,
        components: [{ name: 'kube-apiserver', healthy: probe.reachable, detail: probe.detail }],
        connection,
      };
    },
    async connection(options, io) {
      const c = connectionFor(options.name, io.env);
      return existsSync(c.kubeconfig) ? c : undefined;
    },
    plannedConnection(options, io) {
      return connectionFor(options.name, io.env);
    },
  };
}
