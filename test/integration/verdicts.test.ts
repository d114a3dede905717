import { join } from 'node:path';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Checker, CheckContext } from '../../src/engine/checker.js';
import { runCheck } from '../../src/engine/running/checks.js';
import type { CheckResult } from '../../src/engine/types.js';
import { resource } from '../../checkers/generic.js';
import { deploymentEnv, deploymentReady, httpThroughProxy } from '../../checkers/workloads.js';
import { kubelab, ROOT } from '../support/cli.js';
import { adminKubeConfig, waitForList } from '../support/kube.js';

const NS = 'verdicts';
const EXAMPLE = join(ROOT, 'examples', 'config-and-quotas');
/** The checks' own timeout: a verdict well inside it was reached by settling, not by the backstop. */
const TIMEOUT_MS = 60_000;

function context(): CheckContext {
  const kc = adminKubeConfig();
  return {
    kubeConfig: kc,
    kubeConfigFor: () => kc,
    service: () => Promise.reject(new Error('no other service here')),
    signal: new AbortController().signal,
    variables: {},
    connection: { provider: 'local', name: 'kubelab', kubeconfig: inject('kubeconfig'), context: kc.getCurrentContext(), simulated: true, variables: {} },
    lessonDir: ROOT,
  };
}

async function timed(checker: Checker<any>, args: Record<string, unknown>): Promise<{ result: CheckResult; ms: number }> {
  const started = performance.now();
  const result = await runCheck(checker, args, context(), { timeoutMs: TIMEOUT_MS, signal: new AbortController().signal });
  return { result, ms: performance.now() - started };
}

describe('verdicts in seconds on the real local cluster', () => {
  const kc = adminKubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const labels = (app: string) => ({ app });
  const deployment = (name: string, spec: Partial<k8s.V1DeploymentSpec>, container: Partial<k8s.V1Container> = {}) =>
    apps.createNamespacedDeployment({
      namespace: NS,
      body: { metadata: { name }, spec: { replicas: 1, selector: { matchLabels: labels(name) }, template: { metadata: { labels: labels(name) }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...container }] } }, ...spec } },
    });

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: NS } } }).catch(() => undefined);
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'settings', labels: { app: 'web' } }, data: { GREETING: 'hello', COLOR: 'blue' } } });
    await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'app-secret' }, stringData: { TOKEN: 's3cret-t0ken-value' } } });
  });
  afterAll(async () => {
    await core.deleteNamespace({ name: NS }).catch(() => undefined);
  });

  it('given a ConfigMap with a wrong value, when checked with a minute to wait, then it fails within seconds saying what differs', async () => {
    const { result, ms } = await timed(resource, { kind: 'ConfigMap', name: 'settings', namespace: NS, match: { data: { GREETING: 'bonjour' } } });
    expect(result).toMatchObject({ status: 'fail', message: `ConfigMap settings in ${NS}: data.GREETING is "hello", expected "bonjour"` });
    expect(ms).toBeLessThan(15_000);
  });

  it('given count and match with no object matching, then the message gives the closest object’s differences, and fails in seconds', async () => {
    const { result, ms } = await timed(resource, { kind: 'ConfigMap', namespace: NS, selector: 'app=web', count: 1, match: { data: { GREETING: 'bonjour' } } });
    expect(result).toMatchObject({
      status: 'fail',
      message: `0 ConfigMap with app=web in ${NS} matching, expected exactly 1; ConfigMap settings in ${NS}: data.GREETING is "hello", expected "bonjour"`,
      actual: '0\ndata.GREETING: "hello"',
    });
    expect(ms).toBeLessThan(15_000);
  });

  it('given a rollout slower than the quiet moment (minReadySeconds), when checked, then it is waited for and passes (a slow but right state is not failed)', async () => {
    await deployment('slow', { replicas: 2, minReadySeconds: 8 });
    const { result, ms } = await timed(resource, { kind: 'Deployment', name: 'slow', namespace: NS, match: { status: { availableReplicas: 2 } } });
    expect(result, result.message).toMatchObject({ status: 'pass' });
    expect(ms).toBeGreaterThan(5000);
  });

  it('given a Deployment whose pods read a Secret key that does not exist, then it is not Available, its pod says CreateContainerConfigError with the kubelet’s message, and creating the key makes it Available', async () => {
    await deployment('needs-key', {}, { env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'API_TOKEN' } } }] });
    const pods = await waitForList(
      kc,
      `/api/v1/namespaces/${NS}/pods`,
      async () => (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=needs-key' })).items,
      (items) => items.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError'),
      60_000,
    );
    expect(pods[0].status?.containerStatuses?.[0]?.state?.waiting?.message).toBe(`couldn't find key API_TOKEN in Secret ${NS}/app-secret`);
    const { result, ms } = await timed(deploymentReady, { name: 'needs-key', namespace: NS });
    expect(result).toMatchObject({ status: 'fail', message: expect.stringMatching(/^needs-key: 0\/1 replicas ready — pod needs-key-\S+: CreateContainerConfigError: couldn't find key API_TOKEN in Secret verdicts\/app-secret$/) });
    expect(ms).toBeLessThan(20_000);
    const available = (await apps.readNamespacedDeployment({ name: 'needs-key', namespace: NS })).status?.conditions?.find((c) => c.type === 'Available');
    expect(available?.status).not.toBe('True');

    await core.patchNamespacedSecret({ name: 'app-secret', namespace: NS, body: { stringData: { API_TOKEN: 'another-s3cret-value' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    expect(await timed(deploymentReady, { name: 'needs-key', namespace: NS })).toMatchObject({ result: { status: 'pass', message: 'needs-key: 1/1 replicas ready' } });
  });

  it('given variables from valueFrom and envFrom (with a prefix), when deployment-env checks them, then it reads them as the kubelet does, names their source, and never prints a Secret value', async () => {
    await deployment('env', {}, {
      envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }],
      env: [
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'TOKEN' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'MESSAGE', value: '$(CFG_GREETING) world' },
      ],
    });
    const ok = await timed(deploymentEnv, { name: 'env', namespace: NS, env: { CFG_GREETING: 'hello', TOKEN: 's3cret-t0ken-value', POD_NAMESPACE: NS, MESSAGE: 'hello world' } });
    expect(ok.result).toMatchObject({ status: 'pass', message: expect.stringContaining('CFG_GREETING (from envFrom ConfigMap settings, key GREETING (prefix CFG_))') });
    const wrongConfig = await timed(deploymentEnv, { name: 'env', namespace: NS, env: { CFG_GREETING: 'bonjour' } });
    expect(wrongConfig.result).toMatchObject({ status: 'fail', message: 'env\'s CFG_GREETING is "hello" (from envFrom ConfigMap settings, key GREETING (prefix CFG_))' });
    const wrongSecret = await timed(deploymentEnv, { name: 'env', namespace: NS, env: { TOKEN: 'guess' } });
    expect(wrongSecret.result).toMatchObject({ status: 'fail', message: "env's TOKEN is not the expected value (from Secret app-secret, key TOKEN)" });
    expect(JSON.stringify(wrongSecret.result)).not.toContain('s3cret-t0ken-value');
  });

  it('given a kwok cluster reached as `existing` (its connection not marked simulated), then http-through-proxy is not applicable: the nodes say so', async () => {
    const plain = context();
    const asExisting: CheckContext = { ...plain, connection: { ...plain.connection, provider: 'existing', simulated: false } };
    const result = await runCheck(httpThroughProxy, { service: 'ecsdemo-frontend', namespace: NS }, asExisting, { timeoutMs: 0, signal: plain.signal });
    expect(result).toMatchObject({ status: 'skip', message: expect.stringMatching(/^not applicable on a simulated cluster/) });
  });

  it('given the bundled microservices lesson on --provider existing pointed at this kwok cluster, when validated, then the frontend’s HTTP check is not applicable (as on local) and the lesson passes', { timeout: 400_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'kubelab-existing-kwok-'));
    const mine = join(home, 'config');
    copyFileSync(inject('kubeconfig'), mine);
    const result = await kubelab(['validate', 'microservices', '--kubeconfig', mine, '--reporter', 'json'], { KUBELAB_STATE_DIR: inject('stateDir') }, { timeoutMs: 360_000 });
    expect(result.code, result.stderr).toBe(0);
    const checks = (JSON.parse(result.stdout) as { lessons: { steps: { checks: { id: string; status: string; message: string }[] }[] }[] }).lessons[0].steps.flatMap((s) => s.checks);
    expect(checks.find((c) => c.id === 'http-through-proxy')).toMatchObject({ status: 'skip', message: expect.stringMatching(/^not applicable on a simulated cluster/) });
  });

  it('given c (kubelab check) on a step before it ran, then it says at once that nothing was created yet', async () => {
    const started = performance.now();
    const result = await kubelab(['check', 'configuration/put-the-settings-in-a-configmap', '--workshop', EXAMPLE], { KUBELAB_STATE_DIR: inject('stateDir') });
    expect(result.stdout).toContain('nothing created yet — did you run the step? (ConfigMap app-config in config-demo does not exist)');
    expect(result.code).toBe(1);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
