import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Nodegroup } from '@aws-sdk/client-eks';
import { z } from 'zod';
import { isAwsNotFound, sendAws } from '../../src/aws/errors.js';
import { defineChecker, fail, pass, pending } from '../../src/engine/checker.js';
import type { CheckTable } from '../../src/engine/types.js';
import { describeNodegroups, findCluster } from '../../src/aws/eks-lookups.js';
import { EKS_POLL_INTERVAL_MS, withEks } from './support.js';
import { say } from '../support.js';

/** YAML turns an unquoted 1.33 into a number; accept both and compare as text. */
const kubernetesVersion = z.union([z.string(), z.number()]).transform((v) => String(v));

const IN_PROGRESS = new Set(['CREATING', 'PENDING', 'UPDATING']);

export const eksClusterActive = defineChecker({
  id: 'eks-cluster-active',
  description: 'The EKS cluster exists and is ACTIVE (optionally with the expected Kubernetes version).',
  args: z.object({ name: z.string().min(1), version: kubernetesVersion.optional() }),
  pollIntervalMs: EKS_POLL_INTERVAL_MS,
  run: (ctx, args) =>
    withEks(ctx, async (eks, region, io) => {
      const { t } = say(ctx);
      const cluster = await findCluster(eks, args.name, region, io);
      if (!cluster) {
        return fail(t('checker.eks.notFound', { name: args.name, region }), {
          expected: t('checker.eks.clusterActive', { name: args.name }),
          actual: t('checker.eks.noSuchCluster'),
          hint: t('checker.eks.notFound.hint'),
        });
      }
      const status = cluster.status ?? 'UNKNOWN';
      if (IN_PROGRESS.has(status)) {
        return pending(t('checker.eks.creating', { name: args.name, status }), { expected: 'ACTIVE', actual: status });
      }
      if (status !== 'ACTIVE') {
        const issue = cluster.health?.issues?.[0]?.message;
        return fail(t('checker.eks.status', { name: args.name, status }), {
          expected: 'ACTIVE',
          actual: status,
          hint: issue ?? t('checker.eks.status.hint'),
        });
      }
      if (args.version && cluster.version !== args.version) {
        return fail(t('checker.eks.version', { name: args.name, version: cluster.version ?? '', expected: args.version }), {
          expected: args.version,
          actual: cluster.version ?? 'unknown',
          hint: t('checker.eks.version.hint'),
        });
      }
      return pass(t('checker.eks.active', { name: args.name, version: cluster.version ?? '', region }));
    }),
});

const BAD_NODEGROUP = new Set(['CREATE_FAILED', 'DELETE_FAILED', 'DEGRADED', 'DELETING']);

function nodegroupTable(groups: Nodegroup[]): CheckTable {
  return {
    columns: ['status', 'desired', 'min', 'max', 'instance type'],
    rows: groups.map((g) => ({
      label: g.nodegroupName ?? '?',
      cells: [
        g.status ?? '?',
        String(g.scalingConfig?.desiredSize ?? '?'),
        String(g.scalingConfig?.minSize ?? '?'),
        String(g.scalingConfig?.maxSize ?? '?'),
        (g.instanceTypes ?? []).join(', ') || '?',
      ],
    })),
  };
}

export const eksNodegroupActive = defineChecker({
  id: 'eks-nodegroup-active',
  description: 'The node group (or all node groups together) is ACTIVE with at least the desired number of nodes.',
  args: z.object({ cluster: z.string().min(1), nodegroup: z.string().min(1).optional(), desiredSize: z.number().int().positive() }),
  pollIntervalMs: EKS_POLL_INTERVAL_MS,
  run: (ctx, args) =>
    withEks(ctx, async (eks, region, io) => {
      let groups: Nodegroup[];
      if (args.nodegroup) {
        const { DescribeNodegroupCommand } = await import('@aws-sdk/client-eks');
        try {
          const { nodegroup } = await sendAws(eks, new DescribeNodegroupCommand({ clusterName: args.cluster, nodegroupName: args.nodegroup }), {
            signal: io.signal,
            region,
            notFound: 'raw',
          });
          groups = nodegroup ? [nodegroup] : [];
        } catch (error) {
          if (!isAwsNotFound(error)) throw error;
          groups = [];
        }
      } else {
        groups = await describeNodegroups(eks, args.cluster, region, io);
      }

      const what = args.nodegroup ? `node group ${args.nodegroup}` : `the node groups of cluster ${args.cluster}`;
      if (groups.length === 0) {
        const cluster = await findCluster(eks, args.cluster, region, io);
        if (!cluster) return fail(`cluster ${args.cluster} not found in region ${region}`, { expected: `cluster ${args.cluster}`, actual: 'no such cluster' });
        // eksctl creates node groups only after the control plane: while it runs, "none yet" is normal.
        return pending(args.nodegroup ? `node group ${args.nodegroup} does not exist (yet) in cluster ${args.cluster}` : `cluster ${args.cluster} has no node groups yet`, {
          expected: `${args.desiredSize} nodes`,
          actual: 'no node group',
        });
      }

      const table = nodegroupTable(groups);
      const failed = groups.find((g) => BAD_NODEGROUP.has(g.status ?? ''));
      if (failed) {
        return fail(`node group ${failed.nodegroupName} is ${failed.status}`, {
          expected: 'ACTIVE',
          actual: failed.status,
          hint: failed.health?.issues?.[0]?.message,
          table,
        });
      }
      const waiting = groups.find((g) => g.status !== 'ACTIVE');
      if (waiting) return pending(`node group ${waiting.nodegroupName} is ${waiting.status}`, { expected: 'ACTIVE', actual: waiting.status, table });

      const desired = groups.reduce((sum, g) => sum + (g.scalingConfig?.desiredSize ?? 0), 0);
      if (desired < args.desiredSize) {
        const name = args.nodegroup ?? groups[0].nodegroupName;
        return fail(`${what} want${groups.length === 1 && args.nodegroup ? 's' : ''} ${desired} nodes, fewer than ${args.desiredSize}`, {
          expected: `at least ${args.desiredSize} nodes`,
          actual: `${desired} nodes`,
          hint: `eksctl scale nodegroup --cluster ${args.cluster} --name ${name} --nodes ${args.desiredSize} --nodes-min ${args.desiredSize}`,
          table,
        });
      }
      return pass(`${groups.map((g) => g.nodegroupName).join(', ')} ACTIVE with ${desired} nodes`, { table });
    }),
});

function normalizeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.trim();
  }
}

/** Short enough to show, long enough to tell two CAs apart. */
function fingerprint(der: Buffer): string {
  return `sha256 ${createHash('sha256').update(der).digest('hex').slice(0, 16)}…`;
}

export const eksKubeconfigMatches = defineChecker({
  id: 'eks-kubeconfig-matches',
  description: "The kubeconfig context's server and CA are those of the EKS cluster.",
  args: z.object({ name: z.string().min(1) }),
  pollIntervalMs: EKS_POLL_INTERVAL_MS,
  run: (ctx, args) =>
    withEks(ctx, async (eks, region, io) => {
      const contextName = ctx.kubeConfig.getCurrentContext();
      const server = ctx.kubeConfig.getCurrentCluster();
      const refresh = `aws eks update-kubeconfig --name ${args.name} --region ${region}`;
      if (!server) {
        return fail(`kubeconfig context ${contextName || '(none)'} has no cluster`, { expected: `cluster ${args.name}`, actual: 'none', hint: refresh });
      }
      const cluster = await findCluster(eks, args.name, region, io);
      if (!cluster) return fail(`cluster ${args.name} not found in region ${region}`, { expected: `cluster ${args.name}`, actual: 'no such cluster' });
      if (!cluster.endpoint || !cluster.certificateAuthority?.data) {
        return pending(`cluster ${args.name} has no endpoint yet (${cluster.status})`);
      }

      if (normalizeServer(server.server) !== normalizeServer(cluster.endpoint)) {
        return fail(`context ${contextName} points at another server than cluster ${args.name}`, {
          expected: cluster.endpoint,
          actual: server.server,
          hint: refresh,
        });
      }
      const actualCa = server.caData
        ? Buffer.from(server.caData, 'base64')
        : server.caFile
          ? await readFile(server.caFile).catch(() => Buffer.alloc(0))
          : Buffer.alloc(0);
      const expectedCa = Buffer.from(cluster.certificateAuthority.data, 'base64');
      // A caFile holds PEM, caData base64 of PEM; compare the PEM text either way.
      const same = actualCa.toString('utf8').trim() === expectedCa.toString('utf8').trim();
      if (!same) {
        return fail(`context ${contextName} trusts a different CA than cluster ${args.name}`, {
          expected: fingerprint(expectedCa),
          actual: actualCa.length ? fingerprint(actualCa) : 'no CA',
          hint: refresh,
        });
      }
      return pass(`context ${contextName} matches cluster ${args.name}'s endpoint and CA`);
    }),
});
