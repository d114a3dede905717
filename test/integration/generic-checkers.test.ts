import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Checker, CheckContext } from '../../src/engine/checker.js';
import { runCheck } from '../../src/engine/running/checks.js';
import type { CheckResult } from '../../src/engine/types.js';
import { command, events, resource } from '../../checkers/generic.js';
import { gone } from '../../checkers/workloads.js';
import { ROOT } from '../support/cli.js';
import { adminKubeConfig, waitForList } from '../support/kube.js';
import { running } from '../support/process.js';

const A = 'gc-right';
const B = 'gc-other';
const Q = 'gc-quota';
const CRD_GROUP = 'lab.example.com';

function context(kubeconfig: string, signal = new AbortController().signal): CheckContext {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return {
    kubeConfig: kc,
    kubeConfigFor: () => kc,
    service: () => Promise.reject(new Error('no other service here')),
    signal,
    variables: { KUBECONFIG: kubeconfig, TARGET_NS: A },
    connection: { provider: 'local', name: 'kubelab', kubeconfig, context: kc.getCurrentContext(), simulated: true, variables: {} },
    lessonDir: ROOT,
  };
}

const check = (checker: Checker<any>, args: Record<string, unknown>, ctx: CheckContext, timeoutMs = 0, expect?: 'fail'): Promise<CheckResult> =>
  runCheck(checker, args, ctx, { timeoutMs, signal: ctx.signal, expect });

describe('generic checkers pass on the right state and name the differing field on wrong ones (real local cluster)', () => {
  const kc = adminKubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-generic-'));
  const kubeconfig = join(dir, 'kubeconfig');
  let ctx: CheckContext;

  beforeAll(async () => {
    copyFileSync(inject('kubeconfig'), kubeconfig);
    ctx = context(kubeconfig);
    for (const name of [A, B, Q]) await core.createNamespace({ body: { metadata: { name } } });
    await core.createNamespacedConfigMap({ namespace: A, body: { metadata: { name: 'app-config', labels: { app: 'web' } }, data: { GREETING: 'hello', COLOR: 'blue' } } });
    await core.createNamespacedConfigMap({ namespace: A, body: { metadata: { name: 'other-config', labels: { app: 'web' } }, data: { GREETING: 'hi' } } });
    await core.createNamespacedConfigMap({ namespace: B, body: { metadata: { name: 'lost-config' }, data: {} } });
    await core.createNamespacedSecret({ namespace: A, body: { metadata: { name: 'db' }, stringData: { password: 's3cret-Pa55' } } });
    // A quota that refuses a second pod: the ReplicaSet's FailedCreate event is what `events` looks for.
    await core.createNamespacedResourceQuota({ namespace: Q, body: { metadata: { name: 'one-pod' }, spec: { hard: { pods: '1' } } } });
    const deployment = (name: string) => ({
      metadata: { name },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.27' }] } } },
    });
    await apps.createNamespacedDeployment({ namespace: Q, body: deployment('first') });
    await waitForList(kc, `/api/v1/namespaces/${Q}/resourcequotas`, async () => (await core.listNamespacedResourceQuota({ namespace: Q })).items, (items) => items[0]?.status?.used?.pods === '1', 90_000);
    await apps.createNamespacedDeployment({ namespace: Q, body: deployment('second') });
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: `widgets.${CRD_GROUP}` },
        spec: {
          group: CRD_GROUP,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
        },
      },
    });
  });
  afterAll(async () => {
    for (const name of [A, B, Q]) await core.deleteNamespace({ name }).catch(() => undefined);
    await ext.deleteCustomResourceDefinition({ name: `widgets.${CRD_GROUP}` }).catch(() => undefined);
  });

  describe('resource', () => {
    const args = { kind: 'ConfigMap', name: 'app-config', namespace: A, match: { data: { GREETING: 'hello' }, metadata: { labels: { app: 'web' } } } };
    it('passes on the right object', async () => {
      expect(await check(resource, args, ctx)).toMatchObject({ status: 'pass', message: `ConfigMap app-config in ${A} matches data, metadata` });
    });
    it('takes ${VARIABLES} in its args', async () => {
      expect(await check(resource, { ...args, namespace: '${TARGET_NS}' }, ctx)).toMatchObject({ status: 'pass' });
    });
    it('fails on a wrong value, naming the field, what is there and what was expected', async () => {
      const result = await check(resource, { ...args, match: { data: { GREETING: 'bonjour' } } }, ctx, 1000);
      expect(result).toMatchObject({
        status: 'fail',
        // A wrong value is not "not there": the timeout (shorter here than the quiet moment) says it is still so.
        message: `ConfigMap app-config in ${A}: data.GREETING is "hello", expected "bonjour" (still so after 1 s)`,
        expected: 'data.GREETING: "bonjour"',
        actual: 'data.GREETING: "hello"',
      });
    });
    it('names a missing key', async () => {
      expect(await check(resource, { ...args, match: { data: { LANG: 'fr' } } }, ctx)).toMatchObject({ status: 'pending', message: `ConfigMap app-config in ${A}: data.LANG is missing, expected "fr"` });
    });
    it('says where an object in the wrong namespace is', async () => {
      expect(await check(resource, { kind: 'ConfigMap', name: 'lost-config', namespace: A }, ctx)).toMatchObject({ status: 'pending', message: `ConfigMap lost-config in ${A}: not found; there is one in ${B}` });
    });
    it('does not take an object of another kind for the one asked', async () => {
      expect(await check(resource, { kind: 'Secret', name: 'app-config', namespace: A }, ctx)).toMatchObject({ status: 'pending', message: `Secret app-config in ${A} does not exist` });
    });
    it('counts selected objects: too many, too few, exactly, at least', async () => {
      const selected = { kind: 'ConfigMap', namespace: A, selector: 'app=web' };
      expect(await check(resource, { ...selected, count: 2 }, ctx)).toMatchObject({ status: 'pass', message: `2 ConfigMap with app=web in ${A} (app-config, other-config)` });
      expect(await check(resource, { ...selected, count: 1 }, ctx)).toMatchObject({ status: 'pending', message: `2 ConfigMap with app=web in ${A} (app-config, other-config), expected exactly 1` });
      expect(await check(resource, { ...selected, count: '>= 3' }, ctx)).toMatchObject({ status: 'pending', message: expect.stringContaining('expected >= 3') });
      expect(await check(resource, { ...selected, selector: { app: 'web' }, count: 1, match: { data: { GREETING: 'hi' } } }, ctx)).toMatchObject({ status: 'pass', message: `1 ConfigMap with app=web in ${A} matching (other-config)` });
    });
    it('without a count, passes when one selected object matches, else shows the closest one’s differences', async () => {
      const selected = { kind: 'ConfigMap', namespace: A, selector: { app: 'web' } };
      expect(await check(resource, { ...selected, match: { data: { COLOR: 'blue' } } }, ctx)).toMatchObject({ status: 'pass' });
      expect(await check(resource, { ...selected, match: { data: { COLOR: 'red' } } }, ctx)).toMatchObject({
        status: 'pending',
        message: `no ConfigMap with app=web in ${A} matches; ConfigMap app-config in ${A}: data.COLOR is "blue", expected "red"`,
      });
    });
    it('absent: true passes on a missing object and waits while one exists', async () => {
      expect(await check(resource, { kind: 'ConfigMap', name: 'never', namespace: A, absent: true }, ctx)).toMatchObject({ status: 'pass', message: `ConfigMap never in ${A} does not exist` });
      expect(await check(resource, { kind: 'ConfigMap', name: 'app-config', namespace: A, absent: true }, ctx)).toMatchObject({ status: 'pending', message: `ConfigMap app-config in ${A} still exists` });
    });
    it('compares Secret data decoded, and never shows it', async () => {
      expect(await check(resource, { kind: 'Secret', name: 'db', namespace: A, match: { data: { password: 's3cret-Pa55' } } }, ctx)).toMatchObject({ status: 'pass' });
      // stringData in a lesson means data on the server, as in the manifest the learner applied.
      expect(await check(resource, { kind: 'Secret', name: 'db', namespace: A, match: { stringData: { password: 's3cret-Pa55' } } }, ctx)).toMatchObject({ status: 'pass' });
      const wrong = await check(resource, { kind: 'Secret', name: 'db', namespace: A, match: { data: { password: 'wrong-one' } } }, ctx);
      expect(wrong).toMatchObject({ status: 'pending', message: `Secret db in ${A}: data.password is (hidden), expected "wrong-one"` });
      expect(JSON.stringify(wrong)).not.toContain('s3cret');
      expect(JSON.stringify(wrong)).not.toContain(Buffer.from('s3cret-Pa55').toString('base64'));
    });
    it('negated (expect: fail): holds when the state is not there, and fails naming what still holds', async () => {
      expect(await check(resource, { ...args, match: { data: { GREETING: 'bonjour' } } }, ctx, 0, 'fail')).toMatchObject({ status: 'pass', message: expect.stringMatching(/^fails as expected: ConfigMap app-config/) });
      expect(await check(resource, args, ctx, 1000, 'fail')).toMatchObject({ status: 'fail', message: `still passes after 1 s, but this check must fail: ConfigMap app-config in ${A} matches data, metadata` });
    });
    it('reads any kind through discovery (a CRD), and is re-evaluated by a watch as soon as the object appears', async () => {
      const widget = { apiVersion: `${CRD_GROUP}/v1`, kind: 'Widget', name: 'w1', namespace: A, match: { spec: { size: '>= 3', color: '/^(red|blue)$/' } } };
      const waiting = check(resource, widget, ctx, 60_000);
      const started = performance.now();
      // The CRD may still be establishing: create the object once the API serves it.
      await waitForList(kc, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', async () => (await ext.listCustomResourceDefinition()).items, (items) => items.some((c) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')), 60_000);
      await custom.createNamespacedCustomObject({ group: CRD_GROUP, version: 'v1', namespace: A, plural: 'widgets', body: { apiVersion: `${CRD_GROUP}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 4, color: 'red' } } });
      expect(await waiting).toMatchObject({ status: 'pass', message: `Widget w1 in ${A} matches spec` });
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(await check(resource, { ...widget, match: { spec: { size: '>= 5' } } }, ctx)).toMatchObject({ status: 'pending', message: `Widget w1 in ${A}: spec.size is 4, expected >= 5` });
      expect(await check(resource, { ...widget, apiVersion: `${CRD_GROUP}/v2` }, ctx)).toMatchObject({ status: 'pending', message: `the API server does not serve Widget in ${CRD_GROUP}/v2` });
    });
  });

  describe('command', () => {
    it('passes on exit code, output text and a JSON field', async () => {
      expect(await check(command, { run: `kubectl get configmap app-config -n ${A} -o json`, json: { data: { GREETING: 'hello' } } }, ctx)).toMatchObject({ status: 'pass' });
      expect(await check(command, { run: 'kubectl get configmap -n ${TARGET_NS}', stdout: 'other-config' }, ctx)).toMatchObject({ status: 'pass' });
    });
    it('fails on a wrong JSON value, naming the field', async () => {
      expect(await check(command, { run: `kubectl get configmap app-config -n ${A} -o json`, json: { data: { GREETING: 'bonjour' } } }, ctx)).toMatchObject({
        status: 'pending',
        message: `\`kubectl get configmap app-config -n ${A} -o json\`: data.GREETING is "hello", expected "bonjour"`,
      });
    });
    it('fails on a wrong exit code, with what the command said', async () => {
      expect(await check(command, { run: `kubectl get configmap nope -n ${A}` }, ctx)).toMatchObject({
        status: 'pending',
        message: expect.stringMatching(/exited with 1, expected 0: Error from server \(NotFound\): configmaps "nope" not found/),
      });
    });
    it('fails on output that lacks the text, and on output that is not JSON', async () => {
      expect(await check(command, { run: `kubectl get configmap -n ${A}`, stdout: '/^lost-config/m' }, ctx)).toMatchObject({ status: 'pending', message: expect.stringContaining('does not match "/^lost-config/m"') });
      expect(await check(command, { run: `kubectl get configmap -n ${A}`, json: { kind: 'List' } }, ctx)).toMatchObject({ status: 'pending', message: expect.stringContaining('is not JSON'), hint: 'Add -o json to the kubectl command.' });
    });
    it('negated: passes when the command fails its assertion, fails when it holds', async () => {
      expect(await check(command, { run: `kubectl get configmap nope -n ${A}` }, ctx, 0, 'fail')).toMatchObject({ status: 'pass' });
      expect(await check(command, { run: 'true', interval: 0.2 }, ctx, 1000, 'fail')).toMatchObject({ status: 'fail' });
    });
    it('polls at its interval until the state comes, then passes', async () => {
      const marker = join(dir, 'marker');
      setTimeout(() => void import('node:fs').then((fs) => fs.writeFileSync(marker, 'ready')), 1500);
      const started = performance.now();
      expect(await check(command, { run: `cat ${marker}`, stdout: 'ready', interval: 0.5 }, ctx, 30_000)).toMatchObject({ status: 'pass' });
      expect(performance.now() - started).toBeLessThan(15_000);
    });
    it('on abort, stops at once and leaves no process behind', async () => {
      const controller = new AbortController();
      const pidFile = join(dir, 'sleeper.pid');
      const aborted = check(command, { run: `sleep 300 & echo $! > ${pidFile}; wait` }, context(kubeconfig, controller.signal), 60_000);
      const fs = await import('node:fs');
      const deadline = Date.now() + 30_000;
      while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8').trim()) {
        if (Date.now() > deadline) throw new Error('the command never started');
        await new Promise((r) => setTimeout(r, 50));
      }
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      controller.abort();
      const result = await aborted;
      expect(result.status).toBe('error');
      const gone = Date.now() + 10_000;
      while (running(pid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
      expect(running(pid)).toBe(false);
    });
  });

  describe('events', () => {
    const args = { kind: 'ReplicaSet', name: '/^second-/', namespace: Q, reason: 'FailedCreate', type: 'Warning', message: 'exceeded quota: one-pod' };
    it('passes when the refusal event comes (watched)', async () => {
      expect(await check(events, args, ctx, 90_000)).toMatchObject({ status: 'pass', message: expect.stringMatching(/^Warning event FailedCreate about ReplicaSet second-\w+: .*exceeded quota: one-pod/) });
    });
    it('fails on the wrong reason, showing what did happen', async () => {
      expect(await check(events, { ...args, reason: 'SuccessfulCreate' }, ctx)).toMatchObject({ status: 'pending', message: expect.stringMatching(/^no Warning SuccessfulCreate "exceeded quota: one-pod" event about ReplicaSet \/\^second-\/ in gc-quota; latest: Warning FailedCreate: /) });
    });
    it('fails on a message that does not match', async () => {
      expect(await check(events, { ...args, message: '/violates PodSecurity/' }, ctx)).toMatchObject({ status: 'pending', message: expect.stringContaining('latest: Warning FailedCreate') });
    });
    it('fails on the wrong namespace or object', async () => {
      expect(await check(events, { ...args, namespace: B }, ctx)).toMatchObject({ status: 'pending', message: `no events about ReplicaSet /^second-/ in ${B} yet` });
      expect(await check(events, { ...args, kind: 'Deployment', name: 'second' }, ctx)).toMatchObject({ status: 'pending', message: expect.stringMatching(/^no Warning FailedCreate .* event about Deployment second in gc-quota; latest: Normal ScalingReplicaSet/) });
    });
    it('negated: "no such event" holds where there is none, and fails where there is', async () => {
      expect(await check(events, { ...args, name: '/^first-/' }, ctx, 0, 'fail')).toMatchObject({ status: 'pass' });
      expect(await check(events, args, ctx, 1000, 'fail')).toMatchObject({ status: 'fail', message: expect.stringContaining('this check must fail') });
    });
  });

  describe('gone (any kind, through discovery)', () => {
    it('waits while objects of any kind exist and passes once they are deleted', async () => {
      await core.createNamespacedConfigMap({ namespace: B, body: { metadata: { name: 'doomed' } } });
      const resources = [
        { kind: 'ConfigMap', name: 'doomed', namespace: B },
        { kind: 'ResourceQuota', name: 'nope', namespace: B },
      ];
      expect(await check(gone, { resources }, ctx)).toMatchObject({ status: 'pending', message: `still there: ConfigMap doomed in ${B}` });
      const waiting = check(gone, { resources }, ctx, 30_000);
      await core.deleteNamespacedConfigMap({ name: 'doomed', namespace: B });
      expect(await waiting).toMatchObject({ status: 'pass', message: 'all 2 deleted' });
    });
  });
});
