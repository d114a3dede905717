/**
 * Engine benchmarks (bundled by bench/run.mjs, run with Node): loading a synthetic 100-lesson
 * workshop, and check latency — from the moment a Deployment becomes Available (seen by an
 * independent watch) to the checker's pass. Reports medians; asserts nothing.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { loadWorkshop } from '../src/engine/loading/sources.js';
import { runCheck } from '../src/engine/running/checks.js';
import { deploymentReady } from '../checkers/workloads.js';
import type { CheckContext } from '../src/engine/checker.js';

export const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export function syntheticWorkshop(lessons: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-bench-workshop-'));
  const ids = Array.from({ length: lessons }, (_, i) => `lesson-${i}`);
  writeFileSync(join(dir, 'workshop.yaml'), `id: synthetic\ntitle: Synthetic\nlessons: [${ids.join(', ')}]\n`);
  for (const id of ids) {
    mkdirSync(join(dir, 'lessons', id), { recursive: true });
    const steps = Array.from({ length: 6 }, (_, s) =>
      [
        `## Step ${s} of ${id}`,
        '',
        'Some prose with **emphasis**, a [link](https://kubernetes.io) and a list:',
        '',
        '- one',
        '- two',
        '',
        '```bash timeout=30',
        `kubectl apply -f manifest-${s}.yaml`,
        '```',
        '',
        '```yaml step',
        'checks:',
        `  - check: deployment-ready`,
        `    args: { name: app-${s}, namespace: default, replicas: 1 }`,
        'hints: [first, second]',
        '```',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'lessons', id, 'lesson.md'), `---\nid: ${id}\ntitle: ${id}\nminutes: 5\ntools: [kubectl]\n---\n\n# ${id}\n\nIntro.\n\n${steps.join('\n')}`);
  }
  return dir;
}

export async function benchLoad(runs: number): Promise<number[]> {
  const dir = syntheticWorkshop(100);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const { workshop, diagnostics } = await loadWorkshop(dir);
    if (!workshop || diagnostics.hasErrors) throw new Error('synthetic workshop failed to load');
    times.push(performance.now() - t);
  }
  return times;
}

/** ms from "Available" seen by a separate watch to the checker's pass, per run. */
export async function benchCheckLatency(kubeconfig: string, runs: number): Promise<number[]> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const ctx: CheckContext = {
    kubeConfig: kc,
    kubeConfigFor: () => kc,
    service: () => Promise.reject(new Error('no other service in this benchmark')),
    signal: new AbortController().signal,
    variables: {},
    connection: { provider: 'local', name: 'bench', kubeconfig, context: kc.getCurrentContext(), simulated: true, variables: {} },
    lessonDir: '.',
  };
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const name = `latency-${Date.now()}-${i}`;
    let availableAt = 0;
    const watcher = await new k8s.Watch(kc).watch(
      '/apis/apps/v1/namespaces/default/deployments',
      { fieldSelector: `metadata.name=${name}` },
      (_type, obj: k8s.V1Deployment) => {
        if (!availableAt && obj.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') && obj.status?.readyReplicas === 1) availableAt = performance.now();
      },
      () => undefined,
    );
    const checking = runCheck(deploymentReady, { name, namespace: 'default', replicas: 1 }, ctx, { timeoutMs: 60_000, signal: ctx.signal });
    await new Promise((r) => setTimeout(r, 50));
    const labels = { app: name };
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: { metadata: { name }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
    });
    const result = await checking;
    const passedAt = performance.now();
    watcher.abort();
    if (result.status !== 'pass') throw new Error(`check did not pass: ${result.message}`);
    // The independent watch may see "Available" a hair after the checker does; never negative.
    latencies.push(Math.max(0, passedAt - (availableAt || passedAt)));
    await apps.deleteNamespacedDeployment({ name, namespace: 'default' });
  }
  return latencies;
}
