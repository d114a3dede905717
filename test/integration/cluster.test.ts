import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kubelab } from '../support/cli.js';
import { adminKubeConfig, waitForList } from '../support/kube.js';
import { listeningAddresses, running } from '../support/process.js';

const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir') });
const NS = 'it-cluster';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the local cluster (real kube-apiserver, controllers, etcd; kwok nodes)', () => {
  const kc = adminKubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api);

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: NS } } });
  });
  afterAll(async () => {
    await core.deleteNamespace({ name: NS }).catch(() => undefined);
    await kc.makeApiClient(k8s.CertificatesV1Api).deleteCertificateSigningRequest({ name: 'alice' }).catch(() => undefined);
  });

  it('given the cluster is up, when kubectl and client-node list nodes, then both see 3 Ready nodes', async () => {
    const out = execFileSync('kubectl', ['--kubeconfig', inject('kubeconfig'), 'get', 'nodes', '--no-headers'], { encoding: 'utf8' });
    expect(out.trim().split('\n').filter((l) => /\sReady\s/.test(l))).toHaveLength(3);
    const nodes = (await core.listNode()).items;
    expect(nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).toHaveLength(3);
  });

  it('given a Deployment of 3 replicas and a Service, when the controllers settle, then it is Available with Running pods that have IPs and 3 ready endpoints', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: { metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
    });
    await core.createNamespacedService({ namespace: NS, body: { metadata: { name: 'web' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 3000 }] } } });
    await waitForList(kc, `/apis/apps/v1/namespaces/${NS}/deployments`, async () => [await apps.readNamespacedDeployment({ name: 'web', namespace: NS })], ([d]) =>
      d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') === true && d.status?.readyReplicas === 3,
    );
    const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status?.phase === 'Running' && /^\d+\.\d+\.\d+\.\d+$/.test(p.status?.podIP ?? ''))).toBe(true);
    const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
    const slices = await waitForList(
      kc,
      `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
      async () => (await discovery.listNamespacedEndpointSlice({ namespace: NS, labelSelector: 'kubernetes.io/service-name=web' })).items,
      (items) => items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready).length === 3,
    );
    expect(slices.flatMap((s) => s.endpoints ?? []).map((e) => e.addresses[0]).sort()).toEqual(pods.map((p) => p.status?.podIP).sort());
  });

  it('given a client certificate for alice from the CSR API, when she lists pods, then RBAC forbids it until a Role and RoleBinding allow it in that namespace only, and SelfSubjectAccessReview agrees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-alice-'));
    execFileSync('openssl', ['genrsa', '-out', join(dir, 'alice.key'), '2048'], { stdio: 'ignore' });
    execFileSync('openssl', ['req', '-new', '-key', join(dir, 'alice.key'), '-subj', '/CN=alice', '-out', join(dir, 'alice.csr')], { stdio: 'ignore' });
    const certs = kc.makeApiClient(k8s.CertificatesV1Api);
    await certs.createCertificateSigningRequest({
      body: {
        metadata: { name: 'alice' },
        spec: { request: readFileSync(join(dir, 'alice.csr')).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
      },
    });
    const csr = await certs.readCertificateSigningRequest({ name: 'alice' });
    csr.status = { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'approved by the test' }] };
    await certs.replaceCertificateSigningRequestApproval({ name: 'alice', body: csr });
    const [signed] = await waitForList(kc, '/apis/certificates.k8s.io/v1/certificatesigningrequests', async () => [await certs.readCertificateSigningRequest({ name: 'alice' })], ([c]) => Boolean(c.status?.certificate));

    const alice = new k8s.KubeConfig();
    alice.loadFromOptions({
      clusters: [kc.getCurrentCluster()!],
      users: [{ name: 'alice', certData: signed.status!.certificate, keyData: readFileSync(join(dir, 'alice.key')).toString('base64') }],
      contexts: [{ name: 'alice', cluster: kc.getCurrentCluster()!.name, user: 'alice' }],
      currentContext: 'alice',
    });
    const aliceCore = alice.makeApiClient(k8s.CoreV1Api);
    const aliceAuthz = alice.makeApiClient(k8s.AuthorizationV1Api);
    const canList = async (namespace: string) =>
      (await aliceAuthz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace } } } })).status?.allowed;
    const listPods = (namespace: string) => aliceCore.listNamespacedPod({ namespace }).then(() => 200, (e: { code?: number; body?: string }) => ({ code: e.code, body: String(e.body) }));

    const before = await listPods(NS);
    expect(before).toMatchObject({ code: 403 });
    expect((before as { body: string }).body).toContain(`pods is forbidden: User \\"alice\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"${NS}\\"`);
    expect(await canList(NS)).toBe(false);

    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({ namespace: NS, body: { metadata: { name: 'pod-lister' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] } });
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: { metadata: { name: 'alice-lists' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { kind: 'Role', name: 'pod-lister', apiGroup: 'rbac.authorization.k8s.io' } },
    });
    // The authorizer's caches follow RBAC objects through informers: wait on its own answer.
    await waitForList(kc, `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, async () => [await canList(NS)], ([allowed]) => allowed === true);
    expect(await listPods(NS)).toBe(200);
    expect(await listPods('kube-system')).toMatchObject({ code: 403 });
    expect(await canList('kube-system')).toBe(false);
  });

  describe('lifecycle of a second cluster', () => {
    const name = 'lifecycle';
    let port = 0;
    let pids: number[] = [];

    it('given a cluster is up, when up runs again, then it is a no-op that says so', async () => {
      const first = await kubelab(['cluster', 'up', '--name', name, '--nodes', '1'], env());
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^export KUBECONFIG=.*local-lifecycle\/kubeconfig$/m);
      const again = await kubelab(['cluster', 'up', '--name', name, '--nodes', '1'], env());
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('already up: nothing to do');
      const status = JSON.parse((await kubelab(['cluster', 'status', '--name', name, '--json'], env())).stdout);
      expect(status.state).toBe('up');
      expect(status.components.map((c: { name: string }) => c.name)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok-controller']);
      pids = status.components.map((c: { detail: string }) => Number(/pid (\d+)/.exec(c.detail)?.[1]));
      port = Number(/:(\d+)/.exec(status.detail)?.[1]);
      expect(await portOpen(port)).toBe(true);
      // Every component listens, and only on loopback.
      for (const pid of pids) {
        const addresses = listeningAddresses(pid);
        expect(addresses.length, `pid ${pid}`).toBeGreaterThan(0);
        expect(addresses.filter((a) => !a.startsWith('127.0.0.1:')), `pid ${pid}`).toEqual([]);
      }
    });

    it('given the API server died, when status is asked, then it says broken and exits 3', async () => {
      process.kill(pids[1], 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      const status = await kubelab(['cluster', 'status', '--name', name], env());
      expect(status.code).toBe(3);
      expect(status.stdout).toMatch(/broken — kube-apiserver process \d+ is gone/);
    });

    it('given the cluster, when down runs, then no process is left and its port is free', async () => {
      const down = await kubelab(['cluster', 'down', '--name', name], env());
      expect(down.code).toBe(0);
      expect(pids.filter(running)).toEqual([]);
      expect(await portOpen(port)).toBe(false);
      expect(existsSync(join(inject('stateDir'), 'clusters', `local-${name}`))).toBe(false);
      const status = await kubelab(['cluster', 'status', '--name', name], env());
      expect(status.stdout).toContain('down');
    });
  });

  it('given an unknown provider, when cluster up runs, then it exits 2 and lists the providers', async () => {
    const result = await kubelab(['cluster', 'up', '--provider', 'minikube'], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown provider "minikube". Providers: local, kind, eks, existing.');
  });

  it('given no kind or Docker on PATH, when a kind cluster is asked for, then it exits 3 naming the missing tool and the offline alternative', async () => {
    const result = await kubelab(['cluster', 'up', '--provider', 'kind'], { ...env(), PATH: '/nonexistent' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The kind provider needs kind, which is not on PATH.');
    expect(result.stderr).toContain('--provider local');
  });

  it('given the control-plane binaries are missing, when cluster up runs, then it names the build command and exits 3', async () => {
    const result = await kubelab(['cluster', 'up', '--name', 'nobin'], { ...env(), KUBELAB_BIN_DIR: '/nonexistent' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The local control plane is not built yet');
    expect(result.stderr).toContain('scripts/build-control-plane.sh');
  });

  it('given a fresh HOME, when a cluster comes up without --merge-kubeconfig, then ~/.kube/config is never written', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kubelab-home-'));
    const result = await kubelab(['cluster', 'up'], { ...env(), HOME: home, KUBELAB_CACHE_DIR: process.env.KUBELAB_CACHE_DIR ?? join(process.env.HOME ?? '', '.cache', 'kubelab') });
    expect(result.code).toBe(0);
    expect(existsSync(join(home, '.kube', 'config'))).toBe(false);
  });

  it('given --merge-kubeconfig, when the cluster comes up, then its context is added to ~/.kube/config and the old file is backed up', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kubelab-home-'));
    const kube = join(home, '.kube');
    execFileSync('mkdir', ['-p', kube]);
    execFileSync('kubectl', ['--kubeconfig', join(kube, 'config'), 'config', 'set-context', 'mine', '--cluster=elsewhere']);
    const result = await kubelab(['cluster', 'up', '--merge-kubeconfig'], { ...env(), HOME: home, KUBELAB_CACHE_DIR: process.env.KUBELAB_CACHE_DIR ?? join(process.env.HOME ?? '', '.cache', 'kubelab') });
    expect(result.code, result.stderr).toBe(0);
    const contexts = execFileSync('kubectl', ['--kubeconfig', join(kube, 'config'), 'config', 'get-contexts', '-o', 'name'], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(contexts).toEqual(['kwok-kubelab', 'mine']);
    expect(existsSync(join(kube, 'config.kubelab-backup'))).toBe(true);
  });
});
