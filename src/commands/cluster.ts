import { ExitCode, UsageError } from '../errors.js';
import { PROVIDER_NAMES } from '../engine/types.js';
import { getProvider } from '../providers/index.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';
import { parseProvider, providerIO } from './shared.js';

const USAGE = `Usage: kubelab cluster up|down|status [--provider ${PROVIDER_NAMES.join('|')}] [--name NAME] [--nodes N] [--merge-kubeconfig] [--yes] [--json]`;

export const clusterCommand: Command = async (argv, context) => {
  const { values, positionals } = parseFlags(argv, {
    provider: { type: 'string', default: 'local' },
    name: { type: 'string' },
    nodes: { type: 'string', default: '3' },
    'merge-kubeconfig': { type: 'boolean', default: false },
    yes: { type: 'boolean', short: 'y', default: false },
    json: { type: 'boolean', default: false },
  }, USAGE);
  const action = positionals[0];
  if (!action || !['up', 'down', 'status'].includes(action)) throw new UsageError(USAGE);
  const providerName = parseProvider(values.provider)!;
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100) throw new UsageError(`--nodes must be a whole number from 1 to 100, got "${values.nodes}".`);
  const provider = await getProvider(providerName);
  // Inside a lesson step the app's cluster is the one meant (the app was started with --name).
  const name = values.name ?? (context.env.KUBELAB_PROVIDER === providerName ? context.env.KUBELAB_CLUSTER_NAME : undefined) ?? provider.defaultName;
  const io = providerIO(context, values.yes);
  if (context.interactive && !values.yes) {
    io.confirm = async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    };
  }

  if (action === 'up') {
    const started = performance.now();
    const { connection, alreadyUp } = await provider.up({ name, nodes, yes: values.yes, mergeKubeconfig: values['merge-kubeconfig'] }, io);
    if (!alreadyUp) context.stderr.write(`Cluster "${name}" (${providerName}) is up in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
    context.stderr.write(`Context: ${connection.context}\nTo use it with kubectl in this shell:\n`);
    context.stdout.write(`export KUBECONFIG=${connection.kubeconfig}\n`);
    return ExitCode.ok;
  }
  if (action === 'down') {
    const started = performance.now();
    await provider.down({ name }, io);
    context.stderr.write(`Cluster "${name}" (${providerName}) is down (${((performance.now() - started) / 1000).toFixed(1)} s); everything kubelab created for it is removed.\n`);
    return ExitCode.ok;
  }
  const status = await provider.status({ name }, io);
  if (values.json) {
    context.stdout.write(`${JSON.stringify({ provider: providerName, name, ...status }, null, 2)}\n`);
  } else {
    context.stdout.write(`${providerName} cluster "${name}": ${status.state} — ${status.detail}\n`);
    for (const c of status.components) context.stdout.write(`  ${c.healthy ? '✔' : '✘'} ${c.name}: ${c.detail}\n`);
    if (status.connection) context.stdout.write(`  kubeconfig: ${status.connection.kubeconfig} (context ${status.connection.context})\n`);
  }
  // A running EKS cluster bills by the hour: always say so, whatever provider was asked about.
  const { listKubelabEksClusters, formatEksClusterReminder } = await import('../aws/eks-records.js');
  for (const running of await listKubelabEksClusters({ env: context.env })) context.stdout.write(`${formatEksClusterReminder(running)}\n`);
  return status.state === 'up' ? ExitCode.ok : status.state === 'down' ? ExitCode.failed : ExitCode.environment;
};
