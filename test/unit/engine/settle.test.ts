import { describe, expect, it } from 'vitest';
import { stillWorking, stuckContainer } from '../../../src/engine/running/settle.js';

const deployment = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ kind: 'Deployment', metadata: { name: 'web', generation: 2 }, spec: { replicas: 2 }, status: { observedGeneration: 2, ...status }, ...extra });

describe('stillWorking: is a controller still at work on this object?', () => {
  it('given a Deployment whose controller has not seen its last change, or whose rollout is not done, then yes, saying what', () => {
    expect(stillWorking(deployment({ observedGeneration: 1 }))).toBe('Deployment web: its controller has not seen the last change yet');
    expect(stillWorking(deployment({ updatedReplicas: 1, replicas: 2 }))).toBe('rollout of Deployment web: 1 of 2 pods updated');
    expect(stillWorking(deployment({ updatedReplicas: 2, replicas: 3 }))).toBe('rollout of Deployment web: 1 old pods still terminating');
    expect(stillWorking(deployment({ updatedReplicas: 2, replicas: 2, readyReplicas: 1, availableReplicas: 1 }))).toBe('rollout of Deployment web: 1 of 2 pods available');
    // Ready but not yet available (minReadySeconds): still rolling out.
    expect(stillWorking(deployment({ updatedReplicas: 2, replicas: 2, readyReplicas: 2, availableReplicas: 0 }))).toBe('rollout of Deployment web: 0 of 2 pods available');
  });

  it('given a Deployment rolled out, paused, or past its progress deadline, then no: its state is settled', () => {
    expect(stillWorking(deployment({ updatedReplicas: 2, replicas: 2, readyReplicas: 2, availableReplicas: 2 }))).toBeUndefined();
    expect(stillWorking(deployment({ updatedReplicas: 0 }, { spec: { replicas: 2, paused: true } }))).toBeUndefined();
    expect(stillWorking(deployment({ updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }))).toBeUndefined();
  });

  it('given list items (no kind of their own), then the kind the caller names is used', () => {
    expect(stillWorking({ metadata: { name: 'web-1' }, spec: { replicas: 2 }, status: { replicas: 1 } }, 'ReplicaSet')).toBe('ReplicaSet web-1 is scaling: 1 of 2 pods');
    expect(stillWorking({ metadata: { name: 'web-1' }, spec: { replicas: 2 }, status: { replicas: 2 } }, 'ReplicaSet')).toBeUndefined();
  });

  it('given a namespace terminating or any object being deleted, then yes', () => {
    expect(stillWorking({ kind: 'Namespace', metadata: { name: 'demo' }, status: { phase: 'Terminating' } })).toBe('Namespace demo is terminating');
    expect(stillWorking({ kind: 'ConfigMap', metadata: { name: 'c', deletionTimestamp: '2026-01-01T00:00:00Z' } })).toBe('ConfigMap c is being deleted');
    expect(stillWorking({ kind: 'ConfigMap', metadata: { name: 'c' } })).toBeUndefined();
  });

  it('given a pod still starting, then yes; held by a config error, then no (nothing will change it by itself)', () => {
    expect(stillWorking({ kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Pending' } })).toBe('Pod p is still starting');
    const held = { kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CreateContainerConfigError', message: 'couldn\'t find key API_TOKEN in Secret default/app-secret' } } }] } };
    expect(stillWorking(held)).toBeUndefined();
    expect(stuckContainer(held)).toEqual({ container: 'app', reason: 'CreateContainerConfigError', message: "couldn't find key API_TOKEN in Secret default/app-secret" });
    expect(stillWorking({ kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Running' } })).toBeUndefined();
  });
});

describe('a simulated cluster is known by its nodes, not by its provider', () => {
  it('given kwok’s marks on a node, then it is simulated; a real node is not', async () => {
    const { isSimulatedNode } = await import('../../../src/engine/connection.js');
    expect(isSimulatedNode({ metadata: { annotations: { 'kwok.x-k8s.io/node': 'fake' } } })).toBe(true);
    expect(isSimulatedNode({ metadata: { labels: { type: 'kwok' } } })).toBe(true);
    expect(isSimulatedNode({ metadata: { labels: { 'kubernetes.io/os': 'linux' } } })).toBe(false);
  });

  it('given --provider existing on simulated nodes, then a block that needs a real node is not run there, as on local; on a real existing cluster it runs', async () => {
    const { blockSkipReason, commandNeeds } = await import('../../../src/engine/needs.js');
    const block = { run: true, needs: commandNeeds('kubectl logs deploy/web') };
    expect(blockSkipReason(block, 'existing', true)).toBe('needs a real node (a running container): kubectl logs');
    expect(blockSkipReason(block, 'existing', false)).toBeUndefined();
    expect(blockSkipReason(block, 'existing')).toBeUndefined();
    expect(blockSkipReason(block, 'local')).toBe('needs a real node (a running container): kubectl logs');
  });
});
