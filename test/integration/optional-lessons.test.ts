import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../../src/engine/running/session.js';
import { bundledSession, type BundledSession } from '../support/bundled-session.js';

/**
 * Wrong states for the optional lessons, each made by the lesson's own commands with one mistake a
 * learner could make (a label left out, a DaemonSet without its nodeSelector, a namespace without
 * the enforce label…). The steps before run as written; then the mistaken step's checks must fail,
 * and say what is wrong in the learner's terms. The lesson's cleanup script runs after each case.
 */
interface Mutation {
  /** The learner's mistake, in words. */
  mistake: string;
  lesson: string;
  step: string;
  /** Replacements in the step's commands: the mistake. */
  edits: [string, string][];
  /** Check id → what its message must say. Every named check must fail. */
  failing: Record<string, RegExp>;
  /** Steps after the mistaken one to run as written, whose failure is also the point. */
  then?: { step: string; error: RegExp };
}

const MUTATIONS: Mutation[] = [
  {
    mistake: 'the pod template lost its tier and track labels',
    lesson: 'labels',
    step: 'deploy-pods-that-carry-labels',
    edits: [['kubectl apply -n labels-demo -f web.yaml', "sed 's/, tier: frontend, track: stable//' web.yaml | kubectl apply -n labels-demo -f -"]],
    failing: { 'deployment-ready': /web's pods are labelled app=web, expected app=web,tier=frontend,track=stable/ },
  },
  {
    mistake: "the Service's selector names another tier",
    lesson: 'labels',
    step: 'put-a-service-in-front-and-select-with-labels',
    edits: [['kubectl apply -n labels-demo -f web-service.yaml', "sed 's/tier: frontend/tier: backend/' web-service.yaml | kubectl apply -n labels-demo -f -"]],
    failing: { 'service-routes': /Service web selects app=web,tier=backend, which does not match web's pods/ },
  },
  {
    mistake: 'a label added beside app, instead of changing app',
    lesson: 'labels',
    step: 'take-one-pod-out-of-the-service',
    edits: [['app=debug --overwrite', 'debug=true --overwrite']],
    failing: { 'one-pod-relabelled': /0 Pod with app=debug in labels-demo, expected exactly 1/, 'service-endpoints': /no pod in labels-demo is labelled app=debug/ },
  },
  {
    mistake: 'the relabelled pod is still selected (the Service selects by tier only)',
    lesson: 'labels',
    step: 'take-one-pod-out-of-the-service',
    edits: [['POD=$(', `kubectl patch service web -n labels-demo --type=merge -p '{"spec":{"selector":{"app":null}}}'\nPOD=$(`]],
    failing: { 'service-endpoints': /Service web still sends traffic to web-\S+ \(labelled app=debug\)/ },
  },
  {
    mistake: 'the upgrade without its change-cause annotation',
    lesson: 'labels',
    step: 'annotations-record-why-something-changed',
    edits: [['kubectl annotate deployment/web -n labels-demo kubernetes.io/change-cause="upgrade nginx to 1.28" --overwrite', 'true']],
    failing: { 'change-cause': /kubernetes\.io\/change-cause/, 'rollout-history': /upgrade nginx to 1/ },
  },
  {
    mistake: 'the node agent limited to nodes that do not exist',
    lesson: 'daemonsets',
    step: 'one-pod-on-every-node',
    edits: [['kubectl apply -n ds-demo -f node-agent.yaml', "sed 's/^    spec:$/    spec:\\n      nodeSelector: { disktype: none }/' node-agent.yaml | kubectl apply -n ds-demo -f -"]],
    failing: { 'daemonset-placement': /node-agent has no ready pod on .+ \(0 of all \d+ nodes covered\)/ },
  },
  {
    mistake: 'the new node tainted, and the agent does not tolerate the taint',
    lesson: 'daemonsets',
    step: 'a-new-node-gets-its-pod',
    edits: [['kubectl apply -f extra-node.yaml', "sed 's/^status:/spec:\\n  taints: [{ key: dedicated, value: batch, effect: NoSchedule }]\\nstatus:/' extra-node.yaml | kubectl apply -f -"]],
    failing: { 'agent-on-extra-node': /0 Pod with app=node-agent in ds-demo matching, expected exactly 1/ },
  },
  {
    mistake: 'the SSD monitor without its nodeSelector (the DaemonSet on the wrong nodes)',
    lesson: 'daemonsets',
    step: 'only-on-some-nodes',
    edits: [['kubectl apply -n ds-demo -f ssd-monitor.yaml', "grep -v -e nodeSelector -e 'disktype: ssd' ssd-monitor.yaml | kubectl apply -n ds-demo -f -"]],
    failing: { 'ssd-monitor-on-ssd-nodes': /ssd-monitor runs on .+, which are not among the 1 node\(s\) labelled disktype=ssd/ },
  },
  {
    mistake: 'no node labelled disktype=ssd',
    lesson: 'daemonsets',
    step: 'only-on-some-nodes',
    edits: [['kubectl label node "$NODE" disktype=ssd --overwrite', 'true']],
    failing: { 'ssd-monitor-on-ssd-nodes': /no node is labelled disktype=ssd/ },
  },
  {
    mistake: 'one replica instead of the webinar’s two',
    lesson: 'loadbalancer',
    step: 'apply-the-webinar-s-deployment',
    edits: [['kubectl apply -n lb-demo -f nginx-pods.yaml', "sed 's/replicas: 2/replicas: 1/' nginx-pods.yaml | kubectl apply -n lb-demo -f -"]],
    failing: { 'deployment-ready': /nginx asks for 1 replicas, expected 2/ },
  },
  {
    mistake: 'the Service without type: LoadBalancer',
    lesson: 'loadbalancer',
    step: 'expose-it-with-a-loadbalancer-service',
    edits: [['kubectl apply -n lb-demo -f nginx-svc.yaml', "grep -v 'type: LoadBalancer' nginx-svc.yaml | kubectl apply -n lb-demo -f -"]],
    failing: { 'service-routes': /Service nginx is a ClusterIP, expected a LoadBalancer/, 'named-port-and-node-port': /nodePort/ },
  },
  {
    mistake: 'the port without its name',
    lesson: 'loadbalancer',
    step: 'expose-it-with-a-loadbalancer-service',
    edits: [['kubectl apply -n lb-demo -f nginx-svc.yaml', "sed 's/- name: http/- protocol: TCP/' nginx-svc.yaml | kubectl apply -n lb-demo -f -"]],
    failing: { 'named-port-and-node-port': /name/ },
  },
  {
    mistake: 'a namespace without the enforce label (warn only), so the privileged pod is admitted',
    lesson: 'pod-security',
    step: 'a-namespace-that-enforces-restricted',
    edits: [['pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest', 'pod-security.kubernetes.io/warn=restricted']],
    failing: { resource: /pod-security\.kubernetes\.io\/enforce/ },
    then: { step: 'a-privileged-pod-is-refused', error: /command was expected to fail but succeeded/ },
  },
  {
    mistake: 'a pod without a seccomp profile, refused by the restricted level',
    lesson: 'pod-security',
    step: 'a-pod-that-follows-the-rules-is-admitted',
    edits: [['kubectl apply -n psa-demo -f restricted-pod.yaml', "grep -v -e seccompProfile -e 'type: RuntimeDefault' restricted-pod.yaml | kubectl apply -n psa-demo -f -"]],
    failing: { 'compliant-pod-running': /Pod web/ },
  },
  {
    mistake: 'enforce where warn and audit were meant',
    lesson: 'pod-security',
    step: 'warn-and-audit-find-out-before-you-enforce',
    edits: [['pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/audit=restricted', 'pod-security.kubernetes.io/enforce=restricted']],
    failing: { 'warn-and-audit-labels': /pod-security\.kubernetes\.io\/warn/, 'privileged-pod-admitted': /Pod privileged/ },
  },
  {
    mistake: 'a certificate without the O= group',
    lesson: 'identities',
    step: 'make-a-user-who-belongs-to-a-group',
    edits: [['/CN=jane/O=workshop-viewers', '/CN=jane']],
    failing: { 'kubeconfig-user': /context jane logs in as jane, but not in group workshop-viewers/ },
  },
  {
    mistake: 'the binding names another group',
    lesson: 'identities',
    step: 'grant-the-group-read-access',
    edits: [['kubectl apply -f viewers-binding.yaml', "sed 's/^    name: workshop-viewers$/    name: workshop-viewer/' viewers-binding.yaml | kubectl apply -f -"]],
    failing: { 'group-binding': /subjects/, 'jane-can-read': /jane cannot list pods in default/ },
  },
  {
    mistake: 'the group given edit instead of view',
    lesson: 'identities',
    step: 'grant-the-group-read-access',
    edits: [['kubectl apply -f viewers-binding.yaml', "sed 's/^  name: view$/  name: edit/' viewers-binding.yaml | kubectl apply -f -"]],
    failing: { 'group-binding': /roleRef\.name/, 'jane-cannot-change': /jane can create deployments in default, but should be Forbidden/ },
  },
];

const lessonsWithCases = (lesson: string) => MUTATIONS.filter((m) => m.lesson === lesson).length;

describe('optional lessons: wrong states make their checks fail with a message that names the mistake (real local cluster)', () => {
  let bundled: BundledSession;
  const signal = new AbortController().signal;
  beforeAll(async () => {
    bundled = await bundledSession();
  });
  afterAll(async () => {
    for (const lesson of new Set(MUTATIONS.map((m) => m.lesson))) await bundled?.session.runScript(bundled.lesson(lesson), undefined, bundled.lesson(lesson).cleanup!, signal);
  });

  it('Given the cases below, then each optional lesson has at least three', () => {
    for (const lesson of ['labels', 'daemonsets', 'loadbalancer', 'pod-security', 'identities']) expect(lessonsWithCases(lesson), lesson).toBeGreaterThanOrEqual(3);
  });

  for (const m of MUTATIONS) {
    it(`Given ${m.lesson}/${m.step} done with a mistake — ${m.mistake} — then ${Object.keys(m.failing).join(' and ')} fail and say so`, async () => {
      const { session, lesson: lessonOf } = bundled;
      const lesson = lessonOf(m.lesson);
      try {
        const target = lesson.steps.findIndex((s) => s.id === m.step);
        expect(target, `no step ${m.step}`).toBeGreaterThanOrEqual(0);
        for (const step of lesson.steps.slice(0, target)) {
          const run = await session.runStep(lesson, step, { signal });
          expect(run.status, `${step.id}: ${run.error}`).toBe('passed');
        }
        const step = lesson.steps[target];
        const mistaken = { ...step, blocks: step.blocks.map((b) => ({ ...b, code: m.edits.reduce((code, [from, to]) => code.replace(from, to), b.code) })) };
        expect(mistaken.blocks.map((b) => b.code).join('\n'), 'every edit applies').not.toEqual(step.blocks.map((b) => b.code).join('\n'));
        // The mistaken commands may fail (a refused pod): the checks are what the learner reads next.
        await session.runCommands(lesson, mistaken, signal);
        const outcomes = new Map<string, CheckOutcome>((await session.runChecks(lesson, step, signal, 4000, { every: true })).map((o) => [o.spec.id, o]));
        for (const [id, message] of Object.entries(m.failing)) {
          const outcome = outcomes.get(id);
          expect(outcome, `check ${id} in ${[...outcomes.keys()].join(', ')}`).toBeDefined();
          expect(outcome!.result.status, `${id}: ${outcome!.result.message}`).toBe('fail');
          expect(outcome!.result.message).toMatch(message);
        }
        if (m.then) {
          const next = await session.runStep(lesson, lesson.steps.find((s) => s.id === m.then!.step)!, { signal });
          expect(next.status).toBe('failed');
          expect(next.error).toMatch(m.then.error);
        }
      } finally {
        const cleanup = await session.runScript(lesson, undefined, lesson.cleanup!, signal);
        expect(cleanup.ok, cleanup.error).toBe(true);
      }
    });
  }
});
