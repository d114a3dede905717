import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Checker, CheckContext } from '../../src/engine/checker.js';
import { runCheck } from '../../src/engine/running/checks.js';
import type { CheckResult } from '../../src/engine/types.js';
import { apiReachable, nodesReady, toolsInstalled } from '../../checkers/cluster.js';
import { deploymentEnv, deploymentReady, gone, httpThroughProxy, serviceRoutes } from '../../checkers/workloads.js';
import { csrApproved, kubeconfigUser, roleAllows, roleBindingGrants, userAccess } from '../../checkers/rbac.js';
import { ROOT } from '../support/cli.js';
import { adminKubeConfig, waitForList } from '../support/kube.js';

const A = 'ck-right';
const B = 'ck-other';
const RBAC_USER = 'ck-user';

/** A checker context on the shared test cluster, with its own kubeconfig file for user contexts. */
function context(kubeconfig: string, overrides: Partial<CheckContext> = {}): CheckContext {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return {
    kubeConfig: kc,
    kubeConfigFor: (name) => {
      const other = new k8s.KubeConfig();
      other.loadFromFile(kubeconfig);
      if (!other.getContextObject(name)) throw new Error(`no context ${name}`);
      other.setCurrentContext(name);
      return other;
    },
    service: () => Promise.reject(new Error('no other service here')),
    signal: new AbortController().signal,
    variables: { PATH: process.env.PATH ?? '' },
    connection: { provider: 'local', name: 'kubelab', kubeconfig, context: kc.getCurrentContext(), simulated: true, variables: {} },
    lessonDir: ROOT,
    ...overrides,
  };
}

const check = (checker: Checker<any>, args: Record<string, unknown>, ctx: CheckContext, timeoutMs = 0): Promise<CheckResult> => runCheck(checker, args, ctx, { timeoutMs, signal: ctx.signal });

describe('checkers pass on the right state and fail with the right message on wrong states (real local cluster)', () => {
  const kc = adminKubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-checkers-'));
  const kubeconfig = join(dir, 'kubeconfig');
  let ctx: CheckContext;

  const deployment = (name: string, namespace: string, image: string, replicas: number, labels: Record<string, string>, env: k8s.V1EnvVar[] = []) =>
    apps.createNamespacedDeployment({
      namespace,
      body: { metadata: { name }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image, ports: [{ containerPort: 3000 }], env }] } } } },
    });
  const service = (name: string, namespace: string, selector: Record<string, string>, port: number, targetPort: number, type = 'ClusterIP') =>
    core.createNamespacedService({ namespace, body: { metadata: { name }, spec: { type, selector, ports: [{ port, targetPort }] } } });

  beforeAll(async () => {
    copyFileSync(inject('kubeconfig'), kubeconfig);
    ctx = context(kubeconfig);
    for (const name of [A, B]) await core.createNamespace({ body: { metadata: { name } } });
    await deployment('svc-a', A, 'brentley/ecsdemo-nodejs:latest', 1, { app: 'svc-a' });
    await deployment('misplaced', B, 'nginx', 1, { app: 'misplaced' });
    await deployment('mislabelled', A, 'nginx', 1, { app: 'something-else' });
    await deployment('front', A, 'nginx', 1, { app: 'front' }, [
      { name: 'BACKEND_URL', value: `http://svc-a.${A}.svc.cluster.local/` },
      { name: 'MISSING_URL', value: `http://nobody.${A}.svc.cluster.local/` },
    ]);
    await service('svc-a', A, { app: 'svc-a' }, 80, 3000);
    await service('bad-port', A, { app: 'svc-a' }, 8080, 3000);
    await service('bad-selector', A, { app: 'svc-b' }, 80, 3000);
    await waitForList(kc, `/apis/apps/v1/namespaces/${A}/deployments`, async () => (await apps.listNamespacedDeployment({ namespace: A })).items, (items) => items.every((d) => d.status?.readyReplicas === 1));
  });
  afterAll(async () => {
    for (const name of [A, B]) await core.deleteNamespace({ name }).catch(() => undefined);
    await kc.makeApiClient(k8s.CertificatesV1Api).deleteCertificateSigningRequest({ name: RBAC_USER }).catch(() => undefined);
  });

  describe('deployment-ready', () => {
    const args = { name: 'svc-a', namespace: A, replicas: 1, image: 'brentley/ecsdemo-nodejs:latest', labels: { app: 'svc-a' } };
    it('passes on the right Deployment', async () => {
      expect(await check(deploymentReady, args, ctx)).toMatchObject({ status: 'pass', message: 'svc-a: 1/1 replicas ready' });
    });
    it('fails on the wrong namespace, naming where it is', async () => {
      expect(await check(deploymentReady, { name: 'misplaced', namespace: A }, ctx)).toMatchObject({ status: 'fail', message: `misplaced is in namespace ${B}, not ${A}` });
    });
    it('fails on the wrong image with expected and actual', async () => {
      expect(await check(deploymentReady, { ...args, image: 'brentley/ecsdemo-crystal:latest' }, ctx)).toMatchObject({
        status: 'fail',
        message: 'svc-a runs image brentley/ecsdemo-nodejs:latest, not brentley/ecsdemo-crystal:latest',
        expected: 'brentley/ecsdemo-crystal:latest',
        actual: 'brentley/ecsdemo-nodejs:latest',
      });
    });
    it('fails on too few replicas with the scale command as hint', async () => {
      expect(await check(deploymentReady, { ...args, replicas: 3 }, ctx)).toMatchObject({
        status: 'fail',
        message: 'svc-a asks for 1 replicas, expected 3',
        hint: `kubectl scale deployment svc-a -n ${A} --replicas=3`,
      });
    });
    it('takes a comparison for replicas: ">= 1" holds for one replica (and for more, after a later scale-up); ">= 2" fails saying so', async () => {
      expect(await check(deploymentReady, { ...args, replicas: '>= 1' }, ctx)).toMatchObject({ status: 'pass', message: 'svc-a: 1/1 replicas ready' });
      expect(await check(deploymentReady, { ...args, replicas: '>= 2' }, ctx)).toMatchObject({ status: 'fail', message: 'svc-a asks for 1 replicas, expected >= 2', actual: '1 replicas' });
    });
    it('fails on the wrong label', async () => {
      expect(await check(deploymentReady, { name: 'mislabelled', namespace: A, labels: { app: 'mislabelled' } }, ctx)).toMatchObject({
        status: 'fail',
        message: "mislabelled's pods are labelled app=something-else, expected app=mislabelled",
      });
    });
    it('is pending while the Deployment does not exist, and fails at the deadline with the last message', async () => {
      expect(await check(deploymentReady, { name: 'later', namespace: A }, ctx)).toMatchObject({ status: 'pending' });
      expect(await check(deploymentReady, { name: 'later', namespace: A }, ctx, 1000)).toMatchObject({ status: 'fail', message: `still not there after 1 s: later: no Deployment in namespace ${A} yet` });
    });
  });

  describe('service-routes', () => {
    const args = { name: 'svc-a', namespace: A, deployment: 'svc-a', port: 80, targetPort: 3000 };
    it('passes when the Service selects exactly its pods with one ready endpoint per replica', async () => {
      expect(await check(serviceRoutes, args, ctx, 30_000)).toMatchObject({ status: 'pass', message: 'Service svc-a: 1 ready endpoint(s) for 1 ready replica(s) of svc-a' });
    });
    it('fails on a port mismatch', async () => {
      expect(await check(serviceRoutes, { ...args, name: 'bad-port' }, ctx)).toMatchObject({ status: 'fail', message: 'Service bad-port maps 8080 → 3000, expected 80 → 3000', expected: '80 → 3000' });
    });
    it('fails on a selector that does not match the pods', async () => {
      expect(await check(serviceRoutes, { ...args, name: 'bad-selector' }, ctx)).toMatchObject({ status: 'fail', message: "Service bad-selector selects app=svc-b, which does not match svc-a's pods (app=svc-a)" });
    });
    it('fails on the wrong type', async () => {
      expect(await check(serviceRoutes, { ...args, type: 'LoadBalancer' }, ctx)).toMatchObject({ status: 'fail', message: 'Service svc-a is a ClusterIP, expected a LoadBalancer' });
    });
    it('takes a comparison for endpoints: ">= 1" holds with one ready endpoint, ">= 2" waits and fails at the deadline', async () => {
      expect(await check(serviceRoutes, { ...args, endpoints: '>= 1' }, ctx, 30_000)).toMatchObject({ status: 'pass' });
      expect(await check(serviceRoutes, { ...args, endpoints: '>= 2' }, ctx, 1000)).toMatchObject({ status: 'fail', expected: '>= 2 ready endpoints', actual: '1' });
    });
    it('waits for more endpoints than there are, then fails at the deadline', async () => {
      expect(await check(serviceRoutes, { ...args, endpoints: 3 }, ctx, 1000)).toMatchObject({ status: 'fail', expected: '3 ready endpoints', actual: '1' });
    });
  });

  describe('deployment-env', () => {
    it('passes when the variables are set and point at existing Services', async () => {
      expect(await check(deploymentEnv, { name: 'front', namespace: A, env: { BACKEND_URL: `http://svc-a.${A}.svc.cluster.local/` } }, ctx)).toMatchObject({ status: 'pass' });
    });
    it('fails on a wrong value and on a missing variable', async () => {
      expect(await check(deploymentEnv, { name: 'front', namespace: A, env: { BACKEND_URL: 'http://elsewhere/' } }, ctx)).toMatchObject({ status: 'fail', message: `front's BACKEND_URL is "http://svc-a.ck-right.svc.cluster.local/" (from literal value)` });
      expect(await check(deploymentEnv, { name: 'front', namespace: A, env: { NODEJS_URL: 'x' } }, ctx)).toMatchObject({ status: 'fail', message: 'front has no NODEJS_URL variable' });
    });
    it('is pending while a URL names a Service that does not exist', async () => {
      expect(await check(deploymentEnv, { name: 'front', namespace: A, env: { MISSING_URL: `http://nobody.${A}.svc.cluster.local/` } }, ctx)).toMatchObject({
        status: 'pending',
        message: `MISSING_URL points at Service nobody in ${A}, which does not exist yet`,
      });
    });
  });

  describe('rbac checkers', () => {
    beforeAll(async () => {
      // A real user: key, CSR approved through the API, certificate into a kubeconfig context.
      execFileSync('openssl', ['genrsa', '-out', join(dir, 'u.key'), '2048'], { stdio: 'ignore' });
      execFileSync('openssl', ['req', '-new', '-key', join(dir, 'u.key'), '-subj', `/CN=${RBAC_USER}`, '-out', join(dir, 'u.csr')], { stdio: 'ignore' });
      const certs = kc.makeApiClient(k8s.CertificatesV1Api);
      await certs.createCertificateSigningRequest({
        body: { metadata: { name: RBAC_USER }, spec: { request: readFileSync(join(dir, 'u.csr')).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] } },
      });
      expect(await check(csrApproved, { name: RBAC_USER, user: RBAC_USER }, ctx)).toMatchObject({ status: 'pending', message: `CSR ${RBAC_USER} is waiting for approval` });
      const csr = await certs.readCertificateSigningRequest({ name: RBAC_USER });
      csr.status = { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'test' }] };
      await certs.replaceCertificateSigningRequestApproval({ name: RBAC_USER, body: csr });
      const [signed] = await waitForList(kc, '/apis/certificates.k8s.io/v1/certificatesigningrequests', async () => [await certs.readCertificateSigningRequest({ name: RBAC_USER })], ([c]) => Boolean(c.status?.certificate));
      const crt = join(dir, 'u.crt');
      execFileSync('bash', ['-c', `echo '${signed.status!.certificate}' | base64 -d > ${crt}`]);
      const cluster = kc.getCurrentCluster()!.name;
      execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'config', 'set-credentials', RBAC_USER, `--client-key=${join(dir, 'u.key')}`, `--client-certificate=${crt}`, '--embed-certs=true']);
      execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'config', 'set-context', RBAC_USER, `--cluster=${cluster}`, `--user=${RBAC_USER}`]);
      await rbac.createNamespacedRole({ namespace: A, body: { metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch'] }] } });
    });

    it('csr-approved passes on an issued certificate for the user, and fails when the CN is someone else', async () => {
      expect(await check(csrApproved, { name: RBAC_USER, user: RBAC_USER }, ctx)).toMatchObject({ status: 'pass', message: `CSR ${RBAC_USER} approved; certificate issued for CN=${RBAC_USER}` });
      expect(await check(csrApproved, { name: RBAC_USER, user: 'rbac-user' }, ctx)).toMatchObject({ status: 'fail', message: `the certificate is for "${RBAC_USER}", not "rbac-user"` });
    });

    it('kubeconfig-user logs in with the real certificate, and is pending while the context is missing', async () => {
      expect(await check(kubeconfigUser, { context: RBAC_USER, user: RBAC_USER }, ctx)).toMatchObject({ status: 'pass', message: expect.stringContaining(`logs in as ${RBAC_USER}`) });
      expect(await check(kubeconfigUser, { context: 'nobody', user: 'nobody' }, ctx)).toMatchObject({ status: 'pending' });
    });

    it('kubeconfig-user fails, naming the cause, when the certificate was issued for another key (a CSR left from an earlier run)', async () => {
      execFileSync('openssl', ['genrsa', '-out', join(dir, 'other.key'), '2048'], { stdio: 'ignore' });
      const cluster = kc.getCurrentCluster()!.name;
      execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'config', 'set-credentials', 'stale-user', `--client-key=${join(dir, 'other.key')}`, `--client-certificate=${join(dir, 'u.crt')}`, '--embed-certs=true']);
      execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'config', 'set-context', 'stale-user', `--cluster=${cluster}`, '--user=stale-user']);
      const result = await check(kubeconfigUser, { context: 'stale-user', user: RBAC_USER }, ctx);
      expect(result).toMatchObject({ status: 'fail', message: "context stale-user's certificate was not issued for its key" });
      expect(result.hint).toContain(`kubectl delete csr ${RBAC_USER}`);
    });

    it('role-allows fails on a Role missing a verb, naming the verb and resource', async () => {
      expect(await check(roleAllows, { name: 'pod-reader', namespace: A, allow: [{ resources: ['pods'], verbs: ['list', 'get', 'watch'] }] }, ctx)).toMatchObject({
        status: 'fail',
        message: 'Role pod-reader does not allow `list` on `pods`',
      });
      expect(await check(roleAllows, { name: 'pod-reader', namespace: A, allow: [{ resources: ['pods'], verbs: ['get', 'watch'] }] }, ctx)).toMatchObject({ status: 'pass' });
    });

    it('rolebinding-grants fails on the wrong subject and on a binding in the wrong namespace', async () => {
      const body = (namespace: string, user: string) => ({
        metadata: { name: 'read-pods', namespace },
        subjects: [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }],
        roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' },
      });
      await rbac.createNamespacedRoleBinding({ namespace: A, body: body(A, 'rbac-usr') });
      const args = { name: 'read-pods', namespace: A, role: 'pod-reader', user: RBAC_USER };
      expect(await check(roleBindingGrants, args, ctx)).toMatchObject({ status: 'fail', message: `RoleBinding read-pods binds User rbac-usr, not User ${RBAC_USER}` });
      await rbac.deleteNamespacedRoleBinding({ name: 'read-pods', namespace: A });
      await rbac.createNamespacedRoleBinding({ namespace: B, body: body(B, RBAC_USER) });
      expect(await check(roleBindingGrants, args, ctx)).toMatchObject({
        status: 'fail',
        message: `RoleBinding read-pods is in namespace ${B}, not ${A}: a RoleBinding only grants access in its own namespace`,
      });
    });

    it('user-access names the misplaced binding, then the missing verb, then passes once the Role allows list', async () => {
      const args = { context: RBAC_USER, user: RBAC_USER, verb: 'list', resource: 'pods', namespace: A, allowed: true };
      const misplaced = await check(userAccess, args, ctx, 1500);
      expect(misplaced).toMatchObject({ status: 'fail', message: expect.stringContaining(`RoleBinding read-pods for ${RBAC_USER} is in namespace ${B}, not ${A}`), actual: expect.stringContaining('pods is forbidden') });

      await rbac.deleteNamespacedRoleBinding({ name: 'read-pods', namespace: B });
      await rbac.createNamespacedRoleBinding({
        namespace: A,
        body: { metadata: { name: 'read-pods' }, subjects: [{ kind: 'User', name: RBAC_USER, apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' } },
      });
      expect(await check(userAccess, args, ctx, 1500)).toMatchObject({ status: 'fail', message: expect.stringContaining('Role pod-reader does not allow `list` on `pods`') });

      await rbac.replaceNamespacedRole({ name: 'pod-reader', namespace: A, body: { metadata: { name: 'pod-reader', namespace: A }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] } });
      const allowed = await check(userAccess, { ...args, matrix: { verbs: ['list', 'delete'], resources: ['pods'], namespaces: [A, 'kube-system'] } }, ctx, 30_000);
      expect(allowed).toMatchObject({ status: 'pass', message: `${RBAC_USER} can list pods in ${A}` });
      expect(allowed.table).toEqual({
        columns: ['list', 'delete'],
        rows: [
          { label: `pods in ${A}`, cells: ['yes', 'no'] },
          { label: 'pods in kube-system', cells: ['no', 'no'] },
        ],
      });
      expect(await check(userAccess, { ...args, namespace: 'kube-system', allowed: false }, ctx)).toMatchObject({ status: 'pass', message: `${RBAC_USER} cannot list pods in kube-system (Forbidden, as expected)` });
      expect(await check(userAccess, { ...args, allowed: false }, ctx)).toMatchObject({ status: 'fail', message: expect.stringContaining('but should be Forbidden') });
    });
  });

  describe('cluster checkers', () => {
    it('nodes-ready passes on 3 and waits, then fails, on more than there are', async () => {
      expect(await check(nodesReady, { count: 3 }, ctx)).toMatchObject({ status: 'pass' });
      expect(await check(nodesReady, { count: 5 }, ctx, 1000)).toMatchObject({ status: 'fail', message: 'still not there after 1 s: 3/5 nodes Ready' });
    });
    it('api-reachable reports the version, and an unreachable server is an error of the check, not a wrong answer', async () => {
      expect(await check(apiReachable, {}, ctx)).toMatchObject({ status: 'pass', message: expect.stringContaining('Kubernetes v1.33') });
      const offline = new k8s.KubeConfig();
      offline.loadFromOptions({ clusters: [{ name: 'x', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'x', user: 'u' }], currentContext: 'x' });
      expect(await check(apiReachable, {}, { ...ctx, kubeConfig: offline })).toMatchObject({ status: 'error', message: expect.stringContaining('cannot reach the API server (https://127.0.0.1:1)') });
    });
    it('tools-installed fails on a missing tool with an install hint', async () => {
      expect(await check(toolsInstalled, { tools: ['kubectl', 'no-such-tool-xyz'] }, ctx)).toMatchObject({ status: 'fail', message: 'missing: no-such-tool-xyz', actual: 'kubectl' });
    });
    it('http-through-proxy is visibly not applicable on a simulated cluster', async () => {
      expect(await check(httpThroughProxy, { service: 'svc-a', namespace: A }, ctx)).toMatchObject({ status: 'skip', message: expect.stringContaining('not applicable on a simulated cluster') });
    });
    it('gone is pending while a resource exists and passes once it is deleted', async () => {
      expect(await check(gone, { resources: [{ kind: 'Service', name: 'bad-port', namespace: A }] }, ctx)).toMatchObject({ status: 'pending', message: `still there: Service bad-port in ${A}` });
      await core.deleteNamespacedService({ name: 'bad-port', namespace: A });
      expect(await check(gone, { resources: [{ kind: 'Service', name: 'bad-port', namespace: A }] }, ctx, 10_000)).toMatchObject({ status: 'pass' });
    });
  });
});
