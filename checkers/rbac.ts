import { X509Certificate } from 'node:crypto';
import type { KubeConfig, V1PolicyRule, V1RoleBinding } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineChecker, fail, pass, pending, type CheckContext } from '../src/engine/checker.js';
import { apiMessage, apiStatus, isKeyMismatch } from '../src/engine/running/kube.js';
import { orNotFound, say } from './support.js';

const k8s = () => import('@kubernetes/client-node');

/** API group of the workshop's resources, for SelfSubjectAccessReviews and rule matching. */
const GROUPS: Record<string, string> = { pods: '', services: '', configmaps: '', secrets: '', deployments: 'apps', replicasets: 'apps' };

function ruleAllows(rule: V1PolicyRule, verb: string, resource: string): boolean {
  const group = GROUPS[resource] ?? '';
  const has = (list: string[] | undefined, value: string) => !!list && (list.includes(value) || list.includes('*'));
  return has(rule.verbs, verb) && has(rule.resources, resource) && has(rule.apiGroups, group);
}

function userContext(ctx: CheckContext, context: string): KubeConfig | undefined {
  try {
    return ctx.kubeConfigFor(context);
  } catch {
    return undefined;
  }
}

/** The CN of a PEM certificate, or undefined. */
function commonName(pem: string): string | undefined {
  try {
    return /CN=([^,\n/]+)/.exec(new X509Certificate(pem).subject)?.[1];
  } catch {
    return undefined;
  }
}

export const csrApproved = defineChecker({
  id: 'csr-approved',
  description: 'A CertificateSigningRequest for the user is approved and its certificate issued by the cluster’s signer.',
  args: z.object({ name: z.string().min(1), user: z.string().min(1) }).strict(),
  watch: (args) => [{ path: '/apis/certificates.k8s.io/v1/certificatesigningrequests', query: { fieldSelector: `metadata.name=${args.name}` } }],
  async run(ctx, args) {
    const { t } = say(ctx);
    const m = await k8s();
    const csr = await orNotFound(ctx.kubeConfig.makeApiClient(m.CertificatesV1Api).readCertificateSigningRequest({ name: args.name }));
    if (!csr) return pending(t('checker.csr.missing', { name: args.name }), { hint: t('checker.csr.missing.hint') });
    if (csr.spec.signerName !== 'kubernetes.io/kube-apiserver-client') {
      return fail(t('checker.csr.signer', { name: args.name, signer: csr.spec.signerName }), { expected: 'kubernetes.io/kube-apiserver-client', actual: csr.spec.signerName });
    }
    const conditions = csr.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Denied')) return fail(t('checker.csr.denied', { name: args.name }), { hint: t('checker.csr.denied.hint', { name: args.name }) });
    if (conditions.some((c) => c.type === 'Failed')) return fail(t('checker.csr.failed', { name: args.name, reason: conditions.find((c) => c.type === 'Failed')?.message ?? '' }));
    if (!conditions.some((c) => c.type === 'Approved')) return pending(t('checker.csr.waiting', { name: args.name }), { hint: `kubectl certificate approve ${args.name}` });
    if (!csr.status?.certificate) return pending(t('checker.csr.issuing', { name: args.name }));
    const cn = commonName(Buffer.from(csr.status.certificate, 'base64').toString('utf8'));
    if (cn !== args.user) return fail(t('checker.csr.cn', { cn: cn ?? '', user: args.user }), { expected: `CN=${args.user}`, actual: `CN=${cn}`, hint: t('checker.csr.cn.hint', { user: args.user }) });
    return pass(t('checker.csr.pass', { name: args.name, cn: cn ?? '' }));
  },
});

export const kubeconfigUser = defineChecker({
  id: 'kubeconfig-user',
  description: 'A kubeconfig context logs in to the cluster as the expected user (asked through SelfSubjectReview with its real credentials).',
  args: z
    .object({
      context: z.string().min(1),
      user: z.string().min(1),
      /** Groups the API server must see for that login (a certificate's O= fields, an access entry's groups). */
      groups: z.array(z.string().min(1)).optional(),
    })
    .strict(),
  pollIntervalMs: 1000,
  async run(ctx, args) {
    const { t } = say(ctx);
    const kc = userContext(ctx, args.context);
    if (!kc) return pending(t('checker.context.missing', { context: args.context }), { hint: `kubectl config set-context ${args.context} --cluster … --user ${args.user}` });
    const m = await k8s();
    try {
      const review = await kc.makeApiClient(m.AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
      const username = review.status?.userInfo?.username;
      if (username !== args.user) return fail(t('checker.context.user', { context: args.context, user: username }), { expected: args.user, actual: username });
      const groups = review.status?.userInfo?.groups ?? [];
      const missing = (args.groups ?? []).filter((g) => !groups.includes(g));
      if (missing.length) {
        return fail(t('checker.context.groups', { context: args.context, user: username, missing: missing.join(', '), groups: groups.join(', ') || t('checker.none') }), {
          expected: t('checker.context.groups.expected', { missing: missing.join(', ') }),
          actual: groups.join(', ') || t('checker.context.noGroups'),
          hint: t('checker.context.groups.hint', { user: args.user, group: missing[0] }),
        });
      }
      return pass(t('checker.context.pass', { context: args.context, user: username, groups: groups.join(', ') }));
    } catch (error) {
      if (apiStatus(error) === 401) return fail(t('checker.context.unsigned', { context: args.context }), { hint: t('checker.context.unsigned.hint') });
      if (isKeyMismatch(error)) {
        return fail(t('checker.context.keyMismatch', { context: args.context }), {
          hint: t('checker.context.keyMismatch.hint', { user: args.user }),
        });
      }
      throw error;
    }
  },
});

export const roleAllows = defineChecker({
  id: 'role-allows',
  description: 'A Role exists in the namespace and allows the expected verbs on the expected resources.',
  args: z
    .object({
      name: z.string().min(1),
      namespace: z.string().min(1),
      allow: z.array(z.object({ resources: z.array(z.string()).min(1), verbs: z.array(z.string()).min(1) }).strict()).min(1),
    })
    .strict(),
  watch: (args) => [{ path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${args.namespace}/roles` }],
  async run(ctx, args) {
    const { t } = say(ctx);
    const m = await k8s();
    const rbac = ctx.kubeConfig.makeApiClient(m.RbacAuthorizationV1Api);
    const role = await orNotFound(rbac.readNamespacedRole({ name: args.name, namespace: args.namespace }));
    if (!role) {
      const elsewhere = (await rbac.listRoleForAllNamespaces({ fieldSelector: `metadata.name=${args.name}` })).items.map((r) => r.metadata?.namespace);
      if (elsewhere.length) return fail(t('checker.role.elsewhere', { name: args.name, elsewhere: elsewhere.join(', '), namespace: args.namespace }), { expected: args.namespace, actual: elsewhere.join(', ') });
      return pending(t('checker.role.missing', { name: args.name, namespace: args.namespace }));
    }
    for (const want of args.allow) {
      for (const resource of want.resources) {
        for (const verb of want.verbs) {
          if (!(role.rules ?? []).some((r) => ruleAllows(r, verb, resource))) {
            return fail(t('checker.role.denies', { name: args.name, verb, resource }), {
              expected: `${verb} on ${resource} (apiGroup "${GROUPS[resource] ?? ''}")`,
              actual: (role.rules ?? []).map((r) => `${(r.verbs ?? []).join(',')} on ${(r.resources ?? []).join(',')} [${(r.apiGroups ?? []).map((g) => `"${g}"`).join(',')}]`).join('; ') || 'no rules',
              hint: t('checker.role.denies.hint', { verb, resource }),
            });
          }
        }
      }
    }
    return pass(t('checker.role.pass', { name: args.name, rules: args.allow.map((a) => t('checker.role.rule', { verbs: a.verbs.join('/'), resources: a.resources.join('/') })).join('; ') }));
  },
});

function bindsUser(binding: V1RoleBinding, user: string): boolean {
  return (binding.subjects ?? []).some((s) => s.kind === 'User' && s.name === user);
}

export const roleBindingGrants = defineChecker({
  id: 'rolebinding-grants',
  description: 'A RoleBinding in the namespace binds the Role to the user.',
  args: z.object({ name: z.string().min(1), namespace: z.string().min(1), role: z.string().min(1), user: z.string().min(1) }).strict(),
  watch: (args) => [{ path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${args.namespace}/rolebindings` }],
  async run(ctx, args) {
    const { t } = say(ctx);
    const m = await k8s();
    const rbac = ctx.kubeConfig.makeApiClient(m.RbacAuthorizationV1Api);
    const binding = await orNotFound(rbac.readNamespacedRoleBinding({ name: args.name, namespace: args.namespace }));
    if (!binding) {
      const elsewhere = (await rbac.listRoleBindingForAllNamespaces({ fieldSelector: `metadata.name=${args.name}` })).items.map((b) => b.metadata?.namespace);
      if (elsewhere.length) {
        return fail(t('checker.binding.elsewhere', { name: args.name, elsewhere: elsewhere.join(', '), namespace: args.namespace }), {
          expected: args.namespace,
          actual: elsewhere.join(', '),
        });
      }
      return pending(t('checker.binding.missing', { name: args.name, namespace: args.namespace }));
    }
    if (binding.roleRef.kind !== 'Role' || binding.roleRef.name !== args.role) {
      return fail(t('checker.binding.roleRef', { name: args.name, ref: `${binding.roleRef.kind} ${binding.roleRef.name}` }), { expected: `Role ${args.role}`, actual: `${binding.roleRef.kind} ${binding.roleRef.name}` });
    }
    if (!bindsUser(binding, args.user)) {
      const subjects = (binding.subjects ?? []).map((s) => `${s.kind} ${s.name}`).join(', ') || 'nobody';
      return fail(t('checker.binding.subjects', { name: args.name, subjects, user: args.user }), {
        expected: `User ${args.user}`,
        actual: subjects,
        hint: 'subjects: kind User, name rbac-user, apiGroup rbac.authorization.k8s.io',
      });
    }
    return pass(t('checker.binding.pass', { name: args.name, role: args.role, user: args.user, namespace: args.namespace }));
  },
});

/** Why the user is not allowed: the missing binding, the binding in the wrong place, or the rule the Role lacks. */
async function explainDenial(ctx: CheckContext, user: string, verb: string, resource: string, namespace: string): Promise<string> {
  const m = await k8s();
  const rbac = ctx.kubeConfig.makeApiClient(m.RbacAuthorizationV1Api);
  const { t } = say(ctx);
  const bindings = (await rbac.listNamespacedRoleBinding({ namespace })).items;
  const mine = bindings.filter((b) => bindsUser(b, user));
  if (mine.length === 0) {
    const elsewhere = (await rbac.listRoleBindingForAllNamespaces()).items.filter((b) => bindsUser(b, user) && b.metadata?.namespace !== namespace);
    if (elsewhere.length) return t('checker.access.bindingElsewhere', { name: elsewhere[0].metadata?.name ?? '', user, elsewhere: elsewhere[0].metadata?.namespace ?? '', namespace });
    if (bindings.length) return `no RoleBinding in ${namespace} binds User ${user} (${bindings.map((b) => `${b.metadata?.name} binds ${(b.subjects ?? []).map((s) => `${s.kind} ${s.name}`).join(', ')}`).join('; ')})`;
    return t('checker.access.noBinding', { namespace, user });
  }
  for (const binding of mine) {
    if (binding.roleRef.kind !== 'Role') continue;
    const role = await orNotFound(rbac.readNamespacedRole({ name: binding.roleRef.name, namespace }));
    if (!role) return t('checker.access.noRole', { name: binding.metadata?.name ?? '', role: binding.roleRef.name, namespace });
    if (!(role.rules ?? []).some((r) => ruleAllows(r, verb, resource))) return t('checker.role.denies', { name: role.metadata?.name ?? '', verb, resource });
  }
  return t('checker.access.catchingUp', { user });
}

const matrixSchema = z
  .object({
    verbs: z.array(z.string()).min(1).default(['get', 'list', 'watch', 'create', 'delete']),
    resources: z.array(z.string()).min(1).default(['pods', 'deployments']),
    namespaces: z.array(z.string()).min(1),
  })
  .strict();

export const userAccess = defineChecker({
  id: 'user-access',
  description: 'As the user (real credentials from a kubeconfig context), a request is allowed or Forbidden as expected; shows a SelfSubjectAccessReview grid and names the missing rule.',
  args: z
    .object({
      context: z.string().min(1),
      user: z.string().min(1),
      verb: z.enum(['list', 'get', 'watch', 'create', 'delete']).default('list'),
      resource: z.string().min(1).default('pods'),
      namespace: z.string().min(1),
      allowed: z.boolean(),
      matrix: matrixSchema.optional(),
    })
    .strict(),
  pollIntervalMs: 500,
  watch: (args) => [
    { path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${args.namespace}/rolebindings` },
    { path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${args.namespace}/roles` },
  ],
  async run(ctx, args) {
    const { t } = say(ctx);
    const kc = userContext(ctx, args.context);
    if (!kc) return pending(t('checker.context.missing', { context: args.context }), { hint: t('checker.context.missing.hint') });
    const m = await k8s();
    const group = GROUPS[args.resource] ?? '';
    // The real request first: the answer the learner's kubectl gets.
    let allowed: boolean;
    let apiText = '';
    if (args.verb === 'list' && (args.resource === 'pods' || args.resource === 'deployments')) {
      try {
        if (args.resource === 'pods') await kc.makeApiClient(m.CoreV1Api).listNamespacedPod({ namespace: args.namespace, limit: 1 });
        else await kc.makeApiClient(m.AppsV1Api).listNamespacedDeployment({ namespace: args.namespace, limit: 1 });
        allowed = true;
      } catch (error) {
        const status = apiStatus(error);
        if (status === 401) return fail(t('checker.context.rejected', { context: args.context }));
        if (status !== 403) throw error;
        allowed = false;
        apiText = apiMessage(error);
      }
    } else {
      const review = await kc.makeApiClient(m.AuthorizationV1Api).createSelfSubjectAccessReview({
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: args.verb, resource: args.resource, group, namespace: args.namespace } } },
      });
      allowed = review.status?.allowed === true;
    }
    let table;
    if (args.matrix) {
      const authz = kc.makeApiClient(m.AuthorizationV1Api);
      const rows = [];
      for (const namespace of args.matrix.namespaces) {
        for (const resource of args.matrix.resources) {
          const cells = await Promise.all(
            args.matrix.verbs.map(async (verb) => {
              const r = await authz.createSelfSubjectAccessReview({
                body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, resource, group: GROUPS[resource] ?? '', namespace } } },
              });
              return r.status?.allowed ? 'yes' : 'no';
            }),
          );
          rows.push({ label: `${resource} in ${namespace}`, cells });
        }
      }
      table = { columns: args.matrix.verbs, rows };
    }
    const what = t(allowed ? 'checker.access.can' : 'checker.access.cannot', { user: args.user, verb: args.verb, resource: args.resource, namespace: args.namespace });
    if (allowed === args.allowed) return pass(`${what}${allowed ? '' : t('checker.access.forbiddenAsExpected')}`, { table });
    if (args.allowed) {
      return pending(`${what}: ${await explainDenial(ctx, args.user, args.verb, args.resource, args.namespace)}`, {
        expected: t('checker.access.allowedExpected', { verb: args.verb, resource: args.resource }),
        actual: apiText || 'Forbidden',
        table,
      });
    }
    return fail(t('checker.access.tooMuch', { what, user: args.user }), {
      expected: 'Forbidden',
      actual: 'allowed',
      hint: t('checker.access.tooMuch.hint', { namespace: args.namespace, user: args.user }),
      table,
    });
  },
});

export const checkers = [csrApproved, kubeconfigUser, roleAllows, roleBindingGrants, userAccess];
