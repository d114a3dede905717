import type { AssociatedAccessPolicy } from '@aws-sdk/client-eks';
import { z } from 'zod';
import { sendAws } from '../../src/aws/errors.js';
import { defineChecker, fail, pass, pending, type CheckContext } from '../../src/engine/checker.js';
import { accountOf, clusterAndPrincipal, listAccessEntryPrincipals } from './access.js';
import { EKS_POLL_INTERVAL_MS, withEks } from './support.js';

const POLICY_PREFIX = 'arn:aws:eks::aws:cluster-access-policy/';

const args = z
  .object({
    cluster: z.string().min(1),
    /** The IAM role given access, by name (any path). */
    role: z.string().min(1),
    /** Kubernetes user name the entry must set, when the lesson sets one. */
    username: z.string().min(1).optional(),
    /** Kubernetes groups the entry must carry (bound by RBAC like any group). */
    groups: z.array(z.string().min(1)).optional(),
    /** An EKS access policy, by name (AmazonEKSViewPolicy) or ARN; unchecked when absent. */
    policy: z.string().min(1).optional(),
    /** Where the policy applies: the whole cluster, or these namespaces. */
    scope: z.enum(['cluster', 'namespace']).default('cluster'),
    namespaces: z.array(z.string().min(1)).optional(),
  })
  .strict();
type Args = z.infer<typeof args>;

/** An IAM role's ARN, with or without a path: arn:aws:iam::123456789012:role/some/path/viewer. */
export function isIamRoleArn(arn: string, roleName: string, account?: string): boolean {
  const match = /^arn:[a-z-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return !!match && match[2] === roleName && (!account || match[1] === account);
}

const policyName = (arn: string) => (arn.startsWith(POLICY_PREFIX) ? arn.slice(POLICY_PREFIX.length) : arn);
const scopeText = (p: AssociatedAccessPolicy) =>
  p.accessScope?.type === 'namespace' ? `namespaces ${(p.accessScope.namespaces ?? []).join(', ')}` : (p.accessScope?.type ?? 'no scope');

/** Does an associated policy have the scope the lesson asks for? Namespaces: at least those. */
function scopeMatches(policy: AssociatedAccessPolicy, a: Args): boolean {
  if (policy.accessScope?.type !== a.scope) return false;
  if (a.scope === 'cluster') return true;
  return (a.namespaces ?? []).every((ns) => policy.accessScope?.namespaces?.includes(ns));
}

/**
 * Today's EKS answer to "who may use this cluster": an access entry for an IAM principal (with
 * the Kubernetes user and groups it becomes) and, optionally, an EKS access policy associated
 * with it at a scope. The check reads both through the EKS API and names what differs.
 */
export const eksAccessPolicy = defineChecker({
  id: 'eks-access-policy',
  description: 'An IAM role has an EKS access entry (with the expected user name and groups) and, when given, an access policy at the expected scope.',
  args,
  pollIntervalMs: EKS_POLL_INTERVAL_MS,
  run: (ctx: CheckContext, a: Args) =>
    withEks(ctx, async (eks, region, io) => {
      const found = await clusterAndPrincipal(eks, a.cluster, region, io, { kind: 'role', name: a.role });
      if ('missing' in found) return found.missing;
      const { cluster, arn: roleArn } = found;
      const account = accountOf(cluster);
      if (cluster.accessConfig?.authenticationMode === 'CONFIG_MAP') {
        return fail(`cluster ${a.cluster} only reads the aws-auth ConfigMap (authenticationMode CONFIG_MAP): it has no access entries`, {
          expected: 'authenticationMode API or API_AND_CONFIG_MAP',
          actual: 'CONFIG_MAP',
          hint: `aws eks update-cluster-config --name ${a.cluster} --access-config authenticationMode=API_AND_CONFIG_MAP`,
        });
      }
      const principals = await listAccessEntryPrincipals(eks, a.cluster, ctx.signal, region);
      const principalArn = principals.find((arn) => isIamRoleArn(arn, a.role, account));
      if (!principalArn) {
        return pending(`cluster ${a.cluster} has no access entry for IAM role ${a.role}`, {
          expected: roleArn,
          actual: principals.length ? `access entries for ${principals.length} other principal(s)` : 'no access entries',
          hint: `aws eks create-access-entry --cluster-name ${a.cluster} --principal-arn ${roleArn}`,
        });
      }
      const { DescribeAccessEntryCommand, ListAssociatedAccessPoliciesCommand } = await import('@aws-sdk/client-eks');
      const { accessEntry } = await sendAws(eks, new DescribeAccessEntryCommand({ clusterName: a.cluster, principalArn }), { signal: ctx.signal, region });
      if (a.username && accessEntry?.username !== a.username) {
        return fail(`the access entry for role ${a.role} makes it Kubernetes user ${accessEntry?.username ?? '(default)'}, not ${a.username}`, {
          expected: a.username,
          actual: accessEntry?.username ?? '(default)',
          hint: 'The user name is fixed when the entry is created: delete the entry and create it again with --username.',
        });
      }
      const groups = accessEntry?.kubernetesGroups ?? [];
      const missing = (a.groups ?? []).filter((g) => !groups.includes(g));
      if (missing.length) {
        return fail(`the access entry for role ${a.role} lacks group ${missing.join(', ')}`, {
          expected: (a.groups ?? []).join(', '),
          actual: groups.join(', ') || '(no groups)',
          hint: `aws eks update-access-entry --cluster-name ${a.cluster} --principal-arn ${principalArn} --kubernetes-groups ${(a.groups ?? []).join(' ')}`,
        });
      }
      const who = `access entry for role ${a.role}${groups.length ? ` (groups ${groups.join(', ')})` : ''}`;
      if (!a.policy) return pass(who);
      const wanted = a.policy.startsWith('arn:') ? a.policy : `${POLICY_PREFIX}${a.policy}`;
      const policies: AssociatedAccessPolicy[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sendAws(eks, new ListAssociatedAccessPoliciesCommand({ clusterName: a.cluster, principalArn, nextToken }), { signal: ctx.signal, region });
        policies.push(...(page.associatedAccessPolicies ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const named = policies.filter((p) => p.policyArn === wanted);
      const wantedScope = a.scope === 'cluster' ? 'cluster' : `namespaces ${(a.namespaces ?? []).join(', ')}`;
      if (named.length === 0) {
        return pending(`${who} has no access policy ${policyName(wanted)}`, {
          expected: `${policyName(wanted)} (${wantedScope})`,
          actual: policies.map((p) => `${policyName(p.policyArn ?? '?')} (${scopeText(p)})`).join('; ') || 'no access policies',
          hint: `aws eks associate-access-policy --cluster-name ${a.cluster} --principal-arn ${principalArn} --policy-arn ${wanted} --access-scope ${a.scope === 'cluster' ? 'type=cluster' : `type=namespace,namespaces=${(a.namespaces ?? []).join(',')}`}`,
        });
      }
      if (!named.some((p) => scopeMatches(p, a))) {
        return fail(`${who} has ${policyName(wanted)} for ${scopeText(named[0])}, not for ${wantedScope}`, {
          expected: wantedScope,
          actual: scopeText(named[0]),
          hint: 'Associate the policy again with the right --access-scope: the new scope replaces the old one.',
        });
      }
      return pass(`${who} has ${policyName(wanted)} for ${wantedScope}`);
    }),
});
