/**
 * Verdict times on the mutation cases of examples/config-and-quotas: each case copies the workshop,
 * makes one deliberate mistake in it (a wrong value, a missing restart, a wrong key) and runs the
 * lesson headless on a real cluster. Measured per step, from the end of its last command to its
 * verdict: failing verdicts (the mutated step) and passing ones (every step before it).
 * Bundled and run by bench/verdicts.mjs; asserts nothing, reports medians and p90.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { loadCheckers } from '../checkers/index.js';
import { runLessons } from '../src/engine/running/run-lessons.js';
import { WorkshopSession } from '../src/engine/running/session.js';
import type { EngineEvent } from '../src/engine/types.js';
import { loadWorkshop } from '../src/engine/loading/sources.js';

export interface MutationCase {
  id: string;
  lesson: string;
  /** File under the lesson folder, and the text replaced in it. */
  file: string;
  from: string | RegExp;
  to: string;
  /** The step whose check must name the mistake. */
  failingStep: string;
}

const L1 = 'lessons/01-configuration';
const L2 = 'lessons/02-namespaces-and-quotas';

export const MUTATION_CASES: MutationCase[] = [
  { id: 'greeting-value', lesson: 'configuration', file: `${L1}/configmap.yaml`, from: 'GREETING: hello', to: 'GREETING: hola', failingStep: 'put-the-settings-in-a-configmap' },
  { id: 'configmap-label', lesson: 'configuration', file: `${L1}/configmap.yaml`, from: 'app: web', to: 'app: api', failingStep: 'put-the-settings-in-a-configmap' },
  { id: 'short-password', lesson: 'configuration', file: `${L1}/lesson.md`, from: /s3cret-Pa55/g, to: 'pw', failingStep: 'keep-the-password-in-a-secret' },
  { id: 'one-replica', lesson: 'configuration', file: `${L1}/deployment.yaml`, from: 'replicas: 2', to: 'replicas: 1', failingStep: 'give-the-settings-to-a-deployment' },
  { id: 'no-restart', lesson: 'configuration', file: `${L1}/lesson.md`, from: 'kubectl rollout restart deployment/web -n config-demo\n', to: '', failingStep: 'change-a-setting-and-roll-it-out' },
  { id: 'quota-pods', lesson: 'namespaces-and-quotas', file: `${L2}/quota.yaml`, from: /pods: "?2"?/, to: 'pods: "3"', failingStep: 'cap-the-namespace-with-a-resourcequota' },
  { id: 'team-label', lesson: 'namespaces-and-quotas', file: `${L2}/lesson.md`, from: 'team=blue', to: 'team=red', failingStep: 'make-the-team-s-namespace' },
  { id: 'default-cpu', lesson: 'namespaces-and-quotas', file: `${L2}/limits.yaml`, from: /cpu: 100m/, to: 'cpu: 200m', failingStep: 'give-containers-defaults-with-a-limitrange' },
];

export interface VerdictTimes {
  failing: { case: string; step: string; ms: number; message: string }[];
  passing: number[];
  /** Cases that did not fail where they should (a broken case, not a slow verdict). */
  problems: string[];
}

export async function benchVerdicts(kubeconfig: string, workshopDir: string, cases: MutationCase[] = MUTATION_CASES, log: (line: string) => void = () => undefined): Promise<VerdictTimes> {
  const times: VerdictTimes = { failing: [], passing: [], problems: [] };
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  for (const mutation of cases) {
    const dir = mkdtempSync(join(tmpdir(), `kubelab-mutation-${mutation.id}-`));
    try {
      cpSync(workshopDir, dir, { recursive: true });
      const file = join(dir, mutation.file);
      const before = readFileSync(file, 'utf8');
      const after = before.replace(mutation.from, mutation.to);
      if (after === before) throw new Error(`case ${mutation.id}: "${String(mutation.from)}" is not in ${mutation.file}`);
      writeFileSync(file, after);
      const { workshop } = await loadWorkshop(dir);
      if (!workshop) throw new Error(`case ${mutation.id}: the mutated workshop does not load`);
      const commandsEnded = new Map<string, number>();
      const verdicts: { step: string; status: string; ms: number }[] = [];
      const emit = (e: EngineEvent) => {
        if (e.type === 'block-end') commandsEnded.set(e.stepId, performance.now());
        if (e.type === 'step-end' && commandsEnded.has(e.stepId)) verdicts.push({ step: e.stepId, status: e.status, ms: performance.now() - commandsEnded.get(e.stepId)! });
      };
      const session = new WorkshopSession({
        workshop,
        connection: { provider: 'local', name: 'bench', kubeconfig, context: kc.getCurrentContext(), simulated: true, variables: {} },
        checkers: await loadCheckers(workshop),
        env: { ...process.env, KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-mutation-state-')) },
        emit,
      });
      const lesson = workshop.lessons.find((l) => l.id === mutation.lesson)!;
      const report = await runLessons(session, [lesson], { bail: true, prove: false, signal: new AbortController().signal });
      const failed = report.lessons[0].steps.find((s) => s.status === 'failed');
      const verdict = verdicts.find((v) => v.step === mutation.failingStep && v.status === 'failed');
      if (!failed || failed.id !== mutation.failingStep || !verdict) {
        times.problems.push(`${mutation.id}: expected ${mutation.failingStep} to fail, got ${failed ? `${failed.id}: ${failed.error}` : 'no failure'}`);
      } else {
        times.failing.push({ case: mutation.id, step: failed.id, ms: verdict.ms, message: failed.error ?? '' });
      }
      times.passing.push(...verdicts.filter((v) => v.status === 'passed').map((v) => v.ms));
      log(`  ${mutation.id.padEnd(16)} ${verdict ? `${(verdict.ms / 1000).toFixed(1)} s` : '—'}  ${failed?.error ?? '(no failure)'}`);
      // The lesson's cleanup, so the next case starts from nothing (its setup also clears leftovers).
      if (lesson.cleanup) await session.runScript(lesson, undefined, lesson.cleanup, new AbortController().signal);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return times;
}

export const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
