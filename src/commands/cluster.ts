import { ExitCode } from '../errors.js';
import { clusterDown, clusterStatus, clusterTarget, clusterUp, eksReminders } from '../services/cluster.js';
import { parseProvider } from '../services/connection.js';
import { CLUSTER } from './catalog.js';
import { declaredCommand } from './declare.js';

const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(1);

export const clusterCommand = declaredCommand(CLUSTER, {
  async up({ values }, context) {
    const providerName = parseProvider(values.provider)!;
    const target = await clusterTarget(providerName, values.name, values.yes, context);
    const started = performance.now();
    const { connection, alreadyUp } = await clusterUp(target, { nodes: values.nodes, yes: values.yes, mergeKubeconfig: values['merge-kubeconfig'] });
    if (!alreadyUp) context.stderr.write(`Cluster "${target.name}" (${providerName}) is up in ${seconds(started)} s.\n`);
    context.stderr.write(`Context: ${connection.context}\nTo use it with kubectl in this shell:\n`);
    context.stdout.write(`export KUBECONFIG=${connection.kubeconfig}\n`);
    return ExitCode.ok;
  },

  async down({ values }, context) {
    const providerName = parseProvider(values.provider)!;
    const target = await clusterTarget(providerName, values.name, values.yes, context);
    const started = performance.now();
    await clusterDown(target);
    context.stderr.write(`Cluster "${target.name}" (${providerName}) is down (${seconds(started)} s); everything kubelab created for it is removed.\n`);
    return ExitCode.ok;
  },

  async status({ values }, context) {
    const providerName = parseProvider(values.provider)!;
    const target = await clusterTarget(providerName, values.name, false, context);
    const status = await clusterStatus(target);
    if (values.json) {
      context.stdout.write(`${JSON.stringify({ provider: providerName, name: target.name, ...status }, null, 2)}\n`);
    } else {
      context.stdout.write(`${providerName} cluster "${target.name}": ${status.state} — ${status.detail}\n`);
      for (const c of status.components) context.stdout.write(`  ${c.healthy ? '✔' : '✘'} ${c.name}: ${c.detail}\n`);
      if (status.connection) context.stdout.write(`  kubeconfig: ${status.connection.kubeconfig} (context ${status.connection.context})\n`);
    }
    // A running EKS cluster bills by the hour: always say so, whatever provider was asked about.
    for (const line of await eksReminders(context.env)) context.stdout.write(`${line}\n`);
    // Not up, missing or broken: the cluster is not usable (exit 3), as for every other command.
    if (status.state === 'down' && !values.json) context.stderr.write(`Start it with: kubelab cluster up${providerName === 'local' ? '' : ` --provider ${providerName}`}${values.name ? ` --name ${values.name}` : ''}\n`);
    return status.state === 'up' ? ExitCode.ok : ExitCode.environment;
  },
});
