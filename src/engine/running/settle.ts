/**
 * Whether a controller (or the kubelet) is still working on an object, read from the object alone:
 * a check that finds a wrong value keeps waiting while this says so, and fails once it does not.
 * Only what the object's own status shows counts, so the rule is the same for every checker.
 */

interface Workable {
  kind?: string;
  metadata?: { name?: string; generation?: number; deletionTimestamp?: string };
  spec?: { replicas?: number; paused?: boolean };
  status?: {
    phase?: string;
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentReplicas?: number;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberReady?: number;
    conditions?: { type?: string; status?: string; reason?: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

interface ContainerStatus {
  name?: string;
  state?: { waiting?: { reason?: string; message?: string } };
}

/**
 * Waiting reasons a kubelet does not get out of by itself: the pod stays so until someone changes
 * the cluster (creates the Secret, fixes the image). A pod in one of them is settled, not coming.
 */
export const STUCK_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff', 'ErrImageNeverPull']);

/** The first container of a pod held in a waiting state it will not leave by itself, with the kubelet's words. */
export function stuckContainer(pod: Workable): { container: string; reason: string; message: string } | undefined {
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && STUCK_REASONS.has(waiting.reason)) return { container: c.name ?? '?', reason: waiting.reason, message: waiting.message ?? '' };
  }
  return undefined;
}

const generationBehind = (o: Workable) => (o.status?.observedGeneration ?? 0) < (o.metadata?.generation ?? 0);

/**
 * What is still at work on this object, in words, or undefined when nothing is: a rollout not
 * finished, a ReplicaSet scaling, a namespace or any object being deleted, a pod still starting.
 */
export function stillWorking(object: Workable, kind = object.kind): string | undefined {
  // Items of a list carry no kind: the caller, who asked for the list, says it.
  const name = `${kind ?? 'object'} ${object.metadata?.name ?? ''}`.trim();
  if (object.metadata?.deletionTimestamp) return `${name} is being deleted`;
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  const want = spec.replicas ?? 1;
  switch (kind) {
    case 'Deployment': {
      if (generationBehind(object)) return `${name}: its controller has not seen the last change yet`;
      // A paused rollout is the author's choice: nothing moves until it is resumed.
      if (spec.paused) return undefined;
      const progressing = status.conditions?.find((c) => c.type === 'Progressing');
      // Progressing=False: the deadline passed, the controller gave up.
      if (progressing?.status === 'False') return undefined;
      if ((status.updatedReplicas ?? 0) < want) return `rollout of ${name}: ${status.updatedReplicas ?? 0} of ${want} pods updated`;
      if ((status.replicas ?? 0) > want) return `rollout of ${name}: ${(status.replicas ?? 0) - want} old pods still terminating`;
      // Available, not only ready: a pod counts after minReadySeconds, and the rollout waits for it.
      if ((status.availableReplicas ?? 0) < want && progressing?.reason !== 'NewReplicaSetAvailable') return `rollout of ${name}: ${status.availableReplicas ?? 0} of ${want} pods available`;
      return undefined;
    }
    case 'ReplicaSet':
    case 'StatefulSet':
      if (generationBehind(object)) return `${name}: its controller has not seen the last change yet`;
      if ((status.replicas ?? 0) !== want) return `${name} is scaling: ${status.replicas ?? 0} of ${want} pods`;
      if (kind === 'StatefulSet' && (status.readyReplicas ?? 0) < want) return `${name}: ${status.readyReplicas ?? 0} of ${want} pods ready`;
      return undefined;
    case 'DaemonSet':
      if (generationBehind(object)) return `${name}: its controller has not seen the last change yet`;
      if ((status.updatedNumberScheduled ?? 0) < (status.desiredNumberScheduled ?? 0)) return `rollout of ${name}: ${status.updatedNumberScheduled ?? 0} of ${status.desiredNumberScheduled} pods updated`;
      return undefined;
    case 'Namespace':
      return status.phase === 'Terminating' ? `${name} is terminating` : undefined;
    case 'Pod': {
      if (status.phase !== 'Pending' && status.phase !== undefined) return undefined;
      // A pod held by a config error or an image it cannot pull is settled: nothing will change it.
      return stuckContainer(object) ? undefined : `${name} is still starting`;
    }
    default:
      return undefined;
  }
}

/** The first object still being worked on, in words. */
export function firstStillWorking(objects: Iterable<Workable>, kind?: string): string | undefined {
  for (const object of objects) {
    const why = stillWorking(object, kind ?? object.kind);
    if (why) return why;
  }
  return undefined;
}
