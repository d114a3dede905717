import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { EKSClient } from '@aws-sdk/client-eks';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { clientRegion, createEksClient } from '../aws/eks-client.js';
import { toEnvironmentError } from '../aws/errors.js';
import { forgetEksCluster, listKubelabEksClusters, readEksRecords, recordEksCluster } from '../aws/eks-records.js';
import { describeCost, estimateHourlyCost } from '../aws/prices.js';
import { EnvironmentError, InterruptedError, UsageError } from '../errors.js';
import { kubelabHome, stateDir } from '../paths.js';
import { installHint } from '../engine/running/tools.js';
import { describeNodegroups, findCluster } from '../aws/eks-lookups.js';
import type { ClusterConnection, ClusterStatus, ComponentHealth, Provider, ProviderIO, UpOptions, UpResult } from './types.js';

export {
  formatAge,
  formatEksClusterReminder,
  listKubelabEksClusters,
  type RunningEksCluster,
  type EksClusterRecord,
} from '../aws/eks-records.js';

const DEFAULT_NAME = 'eks-workshop';

/** eksctl and the aws CLI, behind an interface so tests can drive the flow without an AWS account. */
export interface EksTooling {
  /** `eksctl create cluster -f <file>`; returns when the cluster and its node groups are ready. */
  createCluster(configFile: string, io: ProviderIO): Promise<void>;
  /** `eksctl delete cluster --wait`; returns when eksctl reports the deletion done. */
  deleteCluster(name: string, region: string, io: ProviderIO): Promise<void>;
  /** `aws eks update-kubeconfig` into the given file. */
  updateKubeconfig(name: string, region: string, kubeconfigPath: string, io: ProviderIO): Promise<void>;
}

export interface EksProviderDeps {
  tooling?: EksTooling;
  /** The EKS client for a command's environment; a region when the cluster's region is known. */
  eksClient?(io: ProviderIO, region?: string): Promise<EKSClient>;
  /** The eksctl ClusterConfig template (default: the cluster lesson's). */
  clusterTemplate?: string;
  /** How long `down` waits for EKS to report the cluster gone after eksctl returns. */
  deleteWaitSeconds?: number;
  now?(): Date;
}

/** The cluster eksctl will create, read from the rendered ClusterConfig: what the cost guard shows. */
export interface EksClusterPlan {
  name: string;
  region: string;
  version: string;
  nodegroup: string;
  instanceType: string;
  nodes: number;
  /** The rendered ClusterConfig, as handed to eksctl. */
  config: string;
}

export function createEksProvider(deps: EksProviderDeps = {}): Provider {
  const tooling = deps.tooling ?? createEksctlTooling();
  const eksClient = deps.eksClient ?? ((io: ProviderIO, region?: string) => createEksClient({ env: io.env, region }));
  const now = deps.now ?? (() => new Date());
  const deleteWaitSeconds = deps.deleteWaitSeconds ?? 30 * 60;

  /** A recorded cluster's region wins over the environment's: `down` must reach the cluster that bills. */
  async function clientFor(name: string, io: ProviderIO): Promise<{ eks: EKSClient; region: string }> {
    const recorded = (await readEksRecords(io.env)).filter((r) => r.name === name);
    const envRegion = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION;
    const region = recorded.length === 1 && !envRegion ? recorded[0].region : undefined;
    const eks = await eksClient(io, region);
    return { eks, region: await clientRegion(eks) };
  }

  async function connect(name: string, region: string, io: ProviderIO, refresh: boolean): Promise<ClusterConnection> {
    const kubeconfig = eksKubeconfigPath(name, io.env);
    if (refresh || !existsSync(kubeconfig)) {
      await mkdir(dirname(kubeconfig), { recursive: true });
      await tooling.updateKubeconfig(name, region, kubeconfig, io);
    }
    return {
      provider: 'eks',
      name,
      kubeconfig,
      context: await currentContext(kubeconfig),
      simulated: false,
      variables: { CLUSTER_NAME: name, AWS_REGION: region },
    };
  }

  return {
    name: 'eks',
    description: 'Amazon EKS through eksctl (bills by the hour until deleted)',
    defaultName: DEFAULT_NAME,

    async up(options: UpOptions, io: ProviderIO): Promise<UpResult> {
      const name = options.name || DEFAULT_NAME;
      if (!Number.isInteger(options.nodes) || options.nodes < 1) {
        throw new UsageError(`An EKS cluster needs at least one node (got ${options.nodes}).`, 'Pass --nodes 3.');
      }
      const { eks, region } = await clientFor(name, io);
      const existing = await findCluster(eks, name, region, io);
      if (existing) {
        if (existing.status !== 'ACTIVE') throw notUsable(name, region, existing.status);
        io.log(`EKS cluster ${name} already exists in ${region}; connecting to it.`);
        const connection = await connect(name, region, io, true);
        if (options.mergeKubeconfig) await tooling.updateKubeconfig(name, region, userKubeconfig(io.env), io);
        return { connection, alreadyUp: true };
      }

      const template = await readFile(deps.clusterTemplate ?? defaultClusterTemplate(), 'utf8');
      const plan = planEksCluster(template, { name, region, nodes: options.nodes });
      await guardCost(plan, options, io);

      const configFile = join(dirname(eksKubeconfigPath(name, io.env)), 'cluster.yaml');
      await mkdir(dirname(configFile), { recursive: true });
      await writeFile(configFile, plan.config);
      // Recorded before eksctl starts: a creation that fails half-way still leaves billed resources behind.
      await recordEksCluster(
        { name, region, createdAt: now().toISOString(), instanceType: plan.instanceType, nodes: plan.nodes },
        io.env,
      );
      try {
        await tooling.createCluster(configFile, io);
      } catch (error) {
        io.log(`Parts of EKS cluster ${name} may already exist and bill; remove them with: kubelab cluster down --provider eks${nameFlag(name)}`);
        throw error;
      }

      const created = await findCluster(eks, name, region, io);
      if (!created || created.status !== 'ACTIVE') throw notUsable(name, region, created?.status ?? 'missing');
      const connection = await connect(name, region, io, true);
      if (options.mergeKubeconfig) await tooling.updateKubeconfig(name, region, userKubeconfig(io.env), io);
      return { connection, alreadyUp: false };
    },

    async down(options: { name: string }, io: ProviderIO): Promise<void> {
      const name = options.name || DEFAULT_NAME;
      const { eks, region } = await clientFor(name, io);
      const existing = await findCluster(eks, name, region, io);
      if (existing) {
        if (io.confirm && !(await io.confirm(`Delete EKS cluster ${name} in ${region} and its node groups? This cannot be undone.`))) {
          throw new InterruptedError('Cancelled: the EKS cluster was not deleted and still bills.');
        }
        await tooling.deleteCluster(name, region, io);
        await confirmDeleted(eks, name, region, io, deleteWaitSeconds);
        io.log(`EKS cluster ${name} in ${region} and its node groups are gone; they no longer bill.`);
      } else {
        io.log(`There is no EKS cluster ${name} in ${region}; nothing to delete.`);
      }
      await forgetEksCluster({ name, region }, io.env);
      await rm(dirname(eksKubeconfigPath(name, io.env)), { recursive: true, force: true });
    },

    async status(options: { name: string }, io: ProviderIO): Promise<ClusterStatus> {
      const name = options.name || DEFAULT_NAME;
      const { eks, region } = await clientFor(name, io);
      const cluster = await findCluster(eks, name, region, io);
      if (!cluster) return { state: 'down', detail: `There is no EKS cluster ${name} in ${region}.`, components: [] };

      const nodegroups = await describeNodegroups(eks, name, region, io);
      const components: ComponentHealth[] = [
        {
          name: 'control plane',
          healthy: cluster.status === 'ACTIVE',
          detail: `${cluster.status}, Kubernetes ${cluster.version}`,
        },
        ...nodegroups.map((ng) => ({
          name: `node group ${ng.nodegroupName}`,
          healthy: ng.status === 'ACTIVE',
          detail: `${ng.status}, ${ng.scalingConfig?.desiredSize ?? '?'} × ${(ng.instanceTypes ?? []).join(', ') || 'unknown type'}`,
        })),
      ];
      const up = components.every((c) => c.healthy) && nodegroups.length > 0;
      const running = (await listKubelabEksClusters({ env: io.env, now: now() })).find((c) => c.name === name && c.region === region);
      const cost = running ? `, about $${running.hourlyUsd.toFixed(2)}/h` : '';
      const detail = `EKS cluster ${name} in ${region}: ${cluster.status}${nodegroups.length ? '' : ', no node groups'}${cost}`;
      const kubeconfig = eksKubeconfigPath(name, io.env);
      const connection = up && existsSync(kubeconfig) ? await connect(name, region, io, false) : undefined;
      return { state: up ? 'up' : 'broken', detail, components, connection };
    },

    async connection(options: { name: string }, io: ProviderIO): Promise<ClusterConnection | undefined> {
      const name = options.name || DEFAULT_NAME;
      const { eks, region } = await clientFor(name, io);
      if (existsSync(eksKubeconfigPath(name, io.env))) return connect(name, region, io, false);
      // The learner may have created the cluster by hand in the lesson: connect to it if it is there.
      const cluster = await findCluster(eks, name, region, io);
      if (!cluster || cluster.status !== 'ACTIVE') return undefined;
      return connect(name, region, io, true);
    },
  };
}

/** kubelab's own kubeconfig for an EKS cluster; the learner's ~/.kube/config stays untouched. */
export function eksKubeconfigPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'clusters', `eks-${name}`, 'kubeconfig');
}

function userKubeconfig(env: NodeJS.ProcessEnv): string {
  const first = env.KUBECONFIG?.split(delimiter).find(Boolean);
  return first ?? join(env.HOME || homedir(), '.kube', 'config');
}

function nameFlag(name: string): string {
  return name === DEFAULT_NAME ? '' : ` --name ${name}`;
}

function notUsable(name: string, region: string, status: string | undefined): EnvironmentError {
  const next: Record<string, string> = {
    CREATING: 'Wait for it to finish (about 15–20 minutes): kubelab cluster status --provider eks',
    DELETING: 'Wait until the deletion finishes, then run cluster up again.',
    UPDATING: 'Wait for the update to finish, then try again.',
  };
  return new EnvironmentError(
    `EKS cluster ${name} in ${region} is ${status ?? 'in an unknown state'}, not ACTIVE.`,
    next[status ?? ''] ?? `Delete it and start again: kubelab cluster down --provider eks${nameFlag(name)}`,
  );
}

/** Shows what will be created and what it costs, then asks; headless needs an explicit --yes. */
async function guardCost(plan: EksClusterPlan, options: UpOptions, io: ProviderIO): Promise<void> {
  const estimate = estimateHourlyCost({ region: plan.region, instanceType: plan.instanceType, nodes: plan.nodes });
  io.log(
    `kubelab will create EKS cluster ${plan.name} (Kubernetes ${plan.version}) in ${plan.region} with node group ` +
      `${plan.nodegroup}: ${plan.nodes} × ${plan.instanceType}, through eksctl (about 15–20 minutes).`,
  );
  io.log(`Estimated cost: ${describeCost(estimate)}`);
  if (options.yes) return;
  if (!io.confirm) {
    throw new UsageError(
      'Creating an EKS cluster costs money, and nobody was asked to confirm.',
      'Pass --yes to confirm that you accept the cost shown above.',
    );
  }
  const accepted = await io.confirm(`Create EKS cluster ${plan.name} for about $${estimate.hourlyUsd.toFixed(2)}/h until you delete it?`);
  if (!accepted) throw new InterruptedError('Cancelled: no EKS cluster was created.');
}

/** Renders the ClusterConfig template and reads back what the cost guard needs. */
export function planEksCluster(template: string, input: { name: string; region: string; nodes?: number }): EksClusterPlan {
  const rendered = renderTemplate(template, { CLUSTER_NAME: input.name, AWS_REGION: input.region });
  const config = parseYaml(rendered) as {
    metadata?: { name?: string; region?: string; version?: string | number };
    managedNodeGroups?: { name?: string; instanceType?: string; desiredCapacity?: number; minSize?: number; maxSize?: number }[];
  };
  const group = config?.managedNodeGroups?.[0];
  if (!config?.metadata?.name || !group) {
    throw new UsageError('The EKS ClusterConfig needs metadata.name and at least one entry in managedNodeGroups.');
  }
  const nodes = input.nodes ?? group.desiredCapacity ?? 2;
  if (nodes !== group.desiredCapacity) {
    group.desiredCapacity = nodes;
    group.minSize = Math.min(group.minSize ?? nodes, nodes);
    group.maxSize = Math.max(group.maxSize ?? nodes, nodes);
  }
  return {
    name: config.metadata.name,
    region: config.metadata.region ?? input.region,
    version: String(config.metadata.version ?? 'default'),
    nodegroup: group.name ?? 'default',
    instanceType: group.instanceType ?? 'm5.large',
    nodes,
    config: stringifyYaml(config),
  };
}

/** `${NAME}` substitution as envsubst does it, except that an unset variable is an error, not an empty string. */
export function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, key: string) => {
    const value = variables[key];
    if (value === undefined) throw new UsageError(`The EKS ClusterConfig uses \${${key}}, which kubelab does not set.`);
    return value;
  });
}

function defaultClusterTemplate(): string {
  return join(kubelabHome(), 'lessons', '01-cluster', 'eks', 'cluster.yaml');
}

async function currentContext(kubeconfig: string): Promise<string> {
  const config = parseYaml(await readFile(kubeconfig, 'utf8')) as { 'current-context'?: string } | null;
  const context = config?.['current-context'];
  if (!context) throw new EnvironmentError(`${kubeconfig} has no current context.`, 'Run kubelab cluster up --provider eks again.');
  return context;
}

/**
 * eksctl saying "deleted" is not proof: ask EKS until the cluster is gone. EKS deletes a cluster only
 * after all its node groups, so a cluster that is gone leaves no node group billing; a cluster that
 * is still there is reported with the node groups it still has.
 */
async function confirmDeleted(eks: EKSClient, name: string, region: string, io: ProviderIO, maxWaitSeconds: number): Promise<void> {
  const { waitUntilClusterDeleted } = await import('@aws-sdk/client-eks');
  try {
    await waitUntilClusterDeleted({ client: eks, maxWaitTime: maxWaitSeconds, minDelay: 10, maxDelay: 30, abortSignal: io.signal }, { name });
    return;
  } catch (error) {
    if (io.signal.aborted) throw new InterruptedError();
    const still = await findCluster(eks, name, region, io);
    if (!still) throw toEnvironmentError(error, { operation: 'eks:DescribeCluster', region, env: io.env });
    const groups = await describeNodegroups(eks, name, region, io);
    const leftover = groups.length ? ` with node groups ${groups.map((g) => `${g.nodegroupName} (${g.status})`).join(', ')}` : '';
    throw new EnvironmentError(
      `EKS cluster ${name} in ${region} still exists (${still.status})${leftover} after the deletion, and may still bill.`,
      `Check it with \`kubelab cluster status --provider eks${nameFlag(name)}\` or in the AWS console (EKS and CloudFormation), then run cluster down again.`,
    );
  }
}

/** The real tooling: eksctl and the aws CLI as subprocesses, their output streamed line by line to io.log. */
export function createEksctlTooling(commands: { eksctl?: string; aws?: string } = {}): EksTooling {
  const eksctl = commands.eksctl ?? 'eksctl';
  const aws = commands.aws ?? 'aws';
  return {
    async createCluster(configFile, io) {
      try {
        await runTool(eksctl, ['create', 'cluster', '-f', configFile], io);
      } catch (error) {
        if (error instanceof InterruptedError) {
          io.log('eksctl was stopped; CloudFormation may still be creating resources.');
        }
        throw error;
      }
    },
    async deleteCluster(name, region, io) {
      await runTool(eksctl, ['delete', 'cluster', '--name', name, '--region', region, '--wait'], io);
    },
    async updateKubeconfig(name, region, kubeconfigPath, io) {
      await runTool(aws, ['eks', 'update-kubeconfig', '--name', name, '--region', region, '--kubeconfig', kubeconfigPath], io);
    },
  };
}

/**
 * Runs a tool in its own process group so that aborting kills everything it started, not only the
 * tool itself (eksctl may run kubectl or credential helpers).
 */
export async function runTool(command: string, args: string[], io: ProviderIO): Promise<void> {
  if (io.signal.aborted) throw new InterruptedError();
  const { startGroup } = await import('../engine/running/process.js');
  const tool = command.split('/').pop() ?? command;
  io.log(`$ ${tool} ${args.join(' ')}`);
  // A longer grace than a lesson block: eksctl cleans up CloudFormation state on SIGTERM.
  const run = startGroup(command, args, { env: io.env, signal: io.signal, all: true, graceMs: 5000 });
  try {
    for await (const line of run.child.iterable({ from: 'all' })) io.log(String(line));
  } catch {
    // A spawn failure surfaces on the result below with its cause.
  }
  const result = await run.finish();
  if (io.signal.aborted) throw new InterruptedError();
  if (result.failed) {
    const cause = result.cause as NodeJS.ErrnoException | undefined;
    if (cause?.code === 'ENOENT') {
      throw new EnvironmentError(`${tool} is not installed (or not on PATH).`, installHint(tool));
    }
    throw new EnvironmentError(
      `${tool} ${args.slice(0, 2).join(' ')} failed (exit code ${result.exitCode ?? result.signal ?? 'unknown'}); its output is above.`,
      'Fix what it reports (credentials, quotas, region), then try again.',
    );
  }
}
