import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { CONFIG_ERROR, desiredStatus, type KnownKeys } from '../../../src/providers/config-errors.js';

const NOW = '2026-12-03T17:00:00Z';
const known = (configMaps: Record<string, string[]> = {}, secrets: Record<string, string[]> = {}): KnownKeys => ({
  configMaps: new Map(Object.entries(configMaps).map(([k, v]) => [k, new Set(v)])),
  secrets: new Map(Object.entries(secrets).map(([k, v]) => [k, new Set(v)])),
});
const pod = (container: Record<string, unknown>, status: V1Pod['status'] = {}): V1Pod =>
  ({ metadata: { name: 'web-1', namespace: 'default', uid: 'u-1' }, spec: { nodeName: 'kwok-node-0', containers: [{ name: 'app', image: 'nginx', ...container }] }, status }) as V1Pod;
const waiting = (status: Record<string, unknown> | undefined) => (status?.containerStatuses as { state: { waiting?: { reason: string; message: string } } }[])[0].state.waiting;

describe('the local cluster’s config errors (what a kubelet says)', () => {
  it('given a Secret key that does not exist, then the container waits with CreateContainerConfigError and the kubelet’s message, and the pod is not Ready', () => {
    const status = desiredStatus(pod({ env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'API_TOKEN' } } }] }), known({}, { 'default/app-secret': ['TOKEN'] }), NOW);
    expect(waiting(status)).toEqual({ reason: CONFIG_ERROR, message: "couldn't find key API_TOKEN in Secret default/app-secret" });
    expect(status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False' }));
    // An address, so kwok does not start it behind our back.
    expect(status?.podIP).toMatch(/^10\.0\.\d+\.\d+$/);
  });

  it('given a missing ConfigMap (env or envFrom), then the message names it as the kubelet does; an optional one is no problem', () => {
    expect(waiting(desiredStatus(pod({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'x', key: 'k' } } }] }), known(), NOW))?.message).toBe('configmap "x" not found');
    expect(waiting(desiredStatus(pod({ envFrom: [{ secretRef: { name: 'creds' } }] }), known(), NOW))?.message).toBe('secret "creds" not found');
    expect(desiredStatus(pod({ envFrom: [{ configMapRef: { name: 'x', optional: true } }] }), known(), NOW)).toBeUndefined();
  });

  it('given a pod held back, when the key appears, then it starts (Running, Ready); a pod that never was held is left to kwok', () => {
    const held = pod({ env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'API_TOKEN' } } }] }, {
      phase: 'Pending',
      podIP: '10.0.1.2',
      containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: CONFIG_ERROR, message: 'x' } } }],
    });
    const status = desiredStatus(held, known({}, { 'default/app-secret': ['API_TOKEN'] }), NOW);
    expect(status).toMatchObject({ phase: 'Running', conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })]) });
    expect(desiredStatus(pod({ env: [{ name: 'A', value: 'b' }] }), known(), NOW)).toBeUndefined();
  });

  it('given a pod already held with the same message, then nothing is patched again (no loop with the watch)', () => {
    const spec = { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'x', key: 'k' } } }] };
    const first = desiredStatus(pod(spec), known(), NOW) as V1Pod['status'];
    expect(desiredStatus(pod(spec, first), known(), NOW)).toBeUndefined();
  });
});
