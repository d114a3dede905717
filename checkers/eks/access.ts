import type { Cluster, EKSClient } from '@aws-sdk/client-eks';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { sendAws } from '../../src/aws/errors.js';
import { defineChecker, fail, pass, type CheckContext } from '../../src/engine/checker.js';
import type { CheckResult } from '../../src/engine/types.js';
import { EnvironmentError, isAbort } from '../../src/errors.js';
import { findCluster } from '../../src/aws/eks-lookups.js';
import { EKS_POLL_INTERVAL_MS, withEks } from './support.js';

const args = z.object({
  cluster: z.string().min(1),
  userName: z.string().min(1).default('rbac-user'),
  /** The Kubernetes user the IAM user becomes; unchecked when absent. */
  kubernetesUsername: z.string().min(1).optional(),
  /** Kubernetes groups the mapping must include. */
  groups: z.array(z.string().min(1)).optional(),
});
type Args = z.infer<typeof args>;

/** Who the IAM user becomes in Kubernetes, from an access entry or an aws-auth mapUsers entry. */
export interface UserMapping {
  source: 'access entry' | 'aws-auth';
  principalArn: string;
  username?: string;
  groups: string[];
}

export interface AwsAuth {
  mapUsers: { userarn?: string; username?: string; groups?: string[] }[];
  mapRoles: { rolearn?: string; username?: string; groups?: string[] }[];
}

/** An IAM user's ARN, with or without a path: arn:aws:iam::123456789012:user/some/path/rbac-user. */
export function isIamUserArn(arn: string, userName: string, account?: string): boolean {
  const match = /^arn:[a-z-]+:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return !!match && match[2] === userName && (!account || match[1] === account);
}

export function accountOf(cluster: Cluster): string | undefined {
  return cluster.arn?.split(':')[4] || undefined;
}

/**
 * The cluster and the ARN an IAM user or role of its account has, or the failure a learner reads
 * when there is no such cluster in the region.
 */
export async function clusterAndPrincipal(
  eks: EKSClient,
  name: string,
  region: string,
  io: { signal: AbortSignal; env: NodeJS.ProcessEnv },
  principal: { kind: 'user' | 'role'; name: string },
): Promise<{ cluster: Cluster; arn: string } | { missing: CheckResult }> {
  const cluster = await findCluster(eks, name, region, io);
  if (!cluster) return { missing: fail(`cluster ${name} not found in region ${region}`, { expected: `cluster ${name}`, actual: 'no such cluster' }) };
  return { cluster, arn: `arn:aws:iam::${accountOf(cluster) ?? '<account>'}:${principal.kind}/${principal.name}` };
}

/** Parses the two YAML strings of the aws-auth ConfigMap; a YAML error is reported, not thrown. */
export function parseAwsAuth(data: Record<string, string> | undefined): AwsAuth | { error: string } {
  const list = <T>(key: 'mapUsers' | 'mapRoles'): T[] => {
    const text = data?.[key];
    if (!text?.trim()) return [];
    const parsed = parseYaml(text) as unknown;
    if (!Array.isArray(parsed)) throw new Error(`${key} is not a list`);
    return parsed as T[];
  };
  try {
    return { mapUsers: list('mapUsers'), mapRoles: list('mapRoles') };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  }
}

/** Nodes join through a mapRoles entry in the system:nodes group; replacing aws-auth wholesale loses it. */
export function hasNodeRoleMapping(auth: AwsAuth): boolean {
  return auth.mapRoles.some((role) => role.groups?.includes('system:nodes'));
}

/** Every principal ARN with an access entry on the cluster, all pages. */
export async function listAccessEntryPrincipals(eks: EKSClient, cluster: string, signal: AbortSignal, region: string): Promise<string[]> {
  const { ListAccessEntriesCommand } = await import('@aws-sdk/client-eks');
  const principals: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sendAws(eks, new ListAccessEntriesCommand({ clusterName: cluster, nextToken }), { signal, region });
    principals.push(...(page.accessEntries ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return principals;
}

async function accessEntryFor(eks: EKSClient, cluster: string, userName: string, account: string | undefined, signal: AbortSignal, region: string) {
  const { DescribeAccessEntryCommand } = await import('@aws-sdk/client-eks');
  const principals = await listAccessEntryPrincipals(eks, cluster, signal, region);
  const principalArn = principals.find((arn) => isIamUserArn(arn, userName, account));
  if (!principalArn) return { mapping: undefined, principals };
  const { accessEntry } = await sendAws(eks, new DescribeAccessEntryCommand({ clusterName: cluster, principalArn }), { signal, region });
  const mapping: UserMapping = {
    source: 'access entry',
    principalArn,
    username: accessEntry?.username,
    groups: accessEntry?.kubernetesGroups ?? [],
  };
  return { mapping, principals };
}

async function readAwsAuth(kubeConfig: KubeConfig): Promise<Record<string, string> | undefined> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  try {
    const configMap = await kubeConfig.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' });
    return configMap.data ?? {};
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 404) return undefined;
    if (isAbort(error)) throw error;
    // Forbidden or unreachable: the check cannot judge, which is not the learner's mapping being wrong.
    throw new EnvironmentError(
      `Cannot read ConfigMap aws-auth in kube-system (${code ? `HTTP ${code}` : (error as Error).message.split('\n')[0]}).`,
      'Check that the lesson kubeconfig has admin rights: kubectl get configmap aws-auth -n kube-system',
    );
  }
}

/** Compares a mapping with what the step asks for: username and groups. */
function judge(mapping: UserMapping, a: Args, warning: string): CheckResult {
  const where = `${mapping.source} for IAM user ${a.userName}`;
  if (a.kubernetesUsername && mapping.username !== a.kubernetesUsername) {
    return fail(`${where} maps to Kubernetes user ${mapping.username ?? '(none)'}, not ${a.kubernetesUsername}${warning}`, {
      expected: a.kubernetesUsername,
      actual: mapping.username ?? '(none)',
    });
  }
  const missing = (a.groups ?? []).filter((g) => !mapping.groups.includes(g));
  if (missing.length > 0) {
    return fail(`${where} lacks group${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${warning}`, {
      expected: (a.groups ?? []).join(', '),
      actual: mapping.groups.join(', ') || '(no groups)',
    });
  }
  return pass(`${where} maps to Kubernetes user ${mapping.username ?? mapping.principalArn}${warning}`);
}

export const eksUserMapped = defineChecker({
  id: 'eks-user-mapped',
  description: 'The IAM user is mapped to a Kubernetes user: an EKS access entry, or an aws-auth mapUsers entry.',
  args,
  pollIntervalMs: EKS_POLL_INTERVAL_MS,
  run: (ctx: CheckContext, a: Args) =>
    withEks(ctx, async (eks, region, io) => {
      const found = await clusterAndPrincipal(eks, a.cluster, region, io, { kind: 'user', name: a.userName });
      if ('missing' in found) return found.missing;
      const { cluster, arn: expectedArn } = found;
      const account = accountOf(cluster);
      // Clusters from before access entries report no accessConfig: they only know aws-auth.
      const mode = cluster.accessConfig?.authenticationMode ?? 'CONFIG_MAP';

      let principals: string[] = [];
      if (mode === 'API' || mode === 'API_AND_CONFIG_MAP') {
        const found = await accessEntryFor(eks, a.cluster, a.userName, account, ctx.signal, region);
        if (found.mapping) return judge(found.mapping, a, '');
        principals = found.principals;
        if (mode === 'API') {
          return fail(`cluster ${a.cluster} has no access entry for IAM user ${a.userName}`, {
            expected: expectedArn,
            actual: principals.length ? `access entries for ${principals.length} other principals` : 'no access entries',
            hint: `aws eks create-access-entry --cluster-name ${a.cluster} --principal-arn ${expectedArn}${a.kubernetesUsername ? ` --username ${a.kubernetesUsername}` : ''}`,
          });
        }
      }

      const data = await readAwsAuth(ctx.kubeConfig);
      if (!data) {
        return fail(`IAM user ${a.userName} is not mapped: no access entry and no aws-auth ConfigMap in kube-system`, {
          expected: expectedArn,
          actual: 'no mapping',
        });
      }
      const auth = parseAwsAuth(data);
      if ('error' in auth) {
        return fail(`aws-auth in kube-system is not valid YAML: ${auth.error}`, {
          hint: 'kubectl edit configmap aws-auth -n kube-system, and fix the indentation of mapUsers/mapRoles.',
        });
      }
      // With access entries, managed nodes join without aws-auth; in CONFIG_MAP mode losing the node role locks them out.
      const warning = mode === 'CONFIG_MAP' && !hasNodeRoleMapping(auth) ? ' (warning: aws-auth has no mapRoles entry for system:nodes — nodes cannot join)' : '';
      const entry = auth.mapUsers.find((u) => u.userarn && isIamUserArn(u.userarn, a.userName, account));
      if (!entry) {
        return fail(`aws-auth has no mapUsers entry for IAM user ${a.userName}${warning}`, {
          expected: expectedArn,
          actual: auth.mapUsers.map((u) => u.userarn).join(', ') || 'no mapUsers entries',
          hint: 'Add the entry to mapUsers with `kubectl edit configmap aws-auth -n kube-system`, keeping the mapRoles entries as they are.',
        });
      }
      return judge({ source: 'aws-auth', principalArn: entry.userarn!, username: entry.username, groups: entry.groups ?? [] }, a, warning);
    }),
});
