/**
 * The app's pieces wired for tests: the fixture workshop, a store, a controller and the real
 * session whose processes and checks are played from a script. Progress saves are recorded, not written.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Checker } from '../../src/engine/checker.js';
import type { ClusterConnection } from '../../src/engine/connection.js';
import { emptyProgress, type Progress } from '../../src/engine/running/progress.js';
import { WorkshopSession, type SessionPorts } from '../../src/engine/running/session.js';
import type { CheckResult, CheckSpec, EngineListener, Step, Workshop } from '../../src/engine/types.js';
import { loadWorkshop } from '../../src/engine/loading/sources.js';
import { AppController, createStore, type Connected, type ControllerDeps, type Store } from '../../src/ui/controller.js';
import { initialState, type ClusterView, type InitialStateOptions } from '../../src/ui/state.js';

export const FIXTURE_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'tui-workshop');

/** The workshop kubelab ships (workshop.yaml and lessons/ at the repository's root). */
export const BUNDLED_DIR = resolve(import.meta.dirname, '..', '..');

export async function fixtureWorkshop(dir = FIXTURE_DIR): Promise<Workshop> {
  const { workshop, diagnostics } = await loadWorkshop(dir);
  if (!workshop) throw new Error(`fixture workshop has errors: ${JSON.stringify(diagnostics.items)}`);
  return workshop;
}

export const CONNECTION: ClusterConnection = {
  provider: 'local',
  name: 'kubelab',
  kubeconfig: '/nowhere/kubeconfig',
  context: 'kwok-kubelab',
  simulated: true,
  variables: {},
};

export const REACHABLE: ClusterView = { state: 'reachable', provider: 'local', name: 'kubelab', context: 'kwok-kubelab', detail: 'https://127.0.0.1:6443 answers, Kubernetes v1.33.13' };

/** What the fake ports do for each block and check; the defaults succeed. */
export interface Script {
  /** Output lines per block index. */
  output?: Record<number, string[]>;
  blockOutcome?: (step: Step, index: number) => { exitCode: number; outcome: 'ok' | 'expected-failure' | 'failed' };
  /** Results per check id, in order: every one but the last is sent as progress. */
  checks?: Record<string, { result: CheckResult; remainingMs?: number }[]>;
  /** The commands wait until aborted (a command that never ends by itself). */
  hang?: boolean;
  /** The checks wait until released (to look at the pending line). */
  holdChecks?: Promise<void>;
  /** Checkers that declare needsCluster: false (they may run before the cluster exists). */
  offlineCheckers?: string[];
}

export interface FakePorts extends SessionPorts {
  /** A command was stopped by Ctrl-C. */
  aborted: boolean;
  /** How often the session read the cluster credentials. */
  credentialLoads: number;
}

/**
 * The real session (so the real step protocol) with its outside world played from a script: no
 * process starts, no cluster is asked. Blocks are found by their code in the workshop.
 */
export function fakePorts(workshop: Workshop, script: Script): FakePorts {
  const blockAt = (code: string): { step: Step; index: number } | undefined => {
    for (const lesson of workshop.lessons) {
      for (const step of lesson.steps) {
        const index = step.blocks.filter((b) => b.run).findIndex((b) => b.code === code);
        if (index >= 0) return { step, index };
      }
    }
    return undefined;
  };
  const ports: FakePorts = {
    aborted: false,
    credentialLoads: 0,
    loadKubeConfig: async () => {
      ports.credentialLoads++;
      return {} as KubeConfig;
    },
    async runBlock(code: string, _shell, options) {
      const at = blockAt(code);
      if (!at) return { exitCode: 0, outcome: 'ok', durationMs: 1, tail: [] };
      for (const line of script.output?.[at.index] ?? []) options.onLine('stdout', line);
      if (script.hang) {
        await new Promise<void>((resolve) => (options.signal.aborted ? resolve() : options.signal.addEventListener('abort', () => resolve(), { once: true })));
        ports.aborted = true;
        return { exitCode: undefined, outcome: 'aborted', durationMs: 5, tail: [] };
      }
      const block = at.step.blocks.filter((b) => b.run)[at.index];
      const end = script.blockOutcome?.(at.step, at.index) ?? { exitCode: block.expect === 'fail' ? 1 : 0, outcome: block.expect === 'fail' ? 'expected-failure' : 'ok' };
      return { exitCode: end.exitCode, outcome: end.outcome, durationMs: 12, tail: script.output?.[at.index] ?? [] };
    },
    async evaluateCheck(spec: CheckSpec, _checker, _ctx, options) {
      const results = script.checks?.[spec.id] ?? [{ result: { status: 'pass', message: `${spec.id} is fine` } }];
      for (const r of results.slice(0, -1)) options.onProgress?.(r.result, r.remainingMs ?? 30_000);
      if (script.holdChecks) await script.holdChecks;
      return results[results.length - 1].result;
    },
  };
  return ports;
}

/** A checker for every id the workshop names: the fake ports decide their results. */
function scriptedCheckers(workshop: Workshop, offline: string[] = []): Map<string, Checker<any>> {
  const ids = new Set(workshop.lessons.flatMap((l) => l.steps.flatMap((s) => s.checks.map((c) => c.checker))));
  const checker = (id: string) => ({ id, description: 'scripted', args: z.any(), ...(offline.includes(id) && { needsCluster: false }), run: async () => ({ status: 'pass', message: 'scripted' }) }) as Checker<any>;
  return new Map([...ids].map((id) => [id, checker(id)]));
}

export function scriptedSession(workshop: Workshop, script: Script, emit: EngineListener, connection = CONNECTION): { session: WorkshopSession; ports: FakePorts } {
  const ports = fakePorts(workshop, script);
  const env = { PATH: process.env.PATH, KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-ui-')) };
  return { session: new WorkshopSession({ workshop, connection, checkers: scriptedCheckers(workshop, script.offlineCheckers), env, emit, ports }), ports };
}

export interface TestApp {
  store: Store;
  controller: AppController;
  saved: Progress[];
  exitCodes: number[];
  /** The scripted outside world of the session the app runs steps with. */
  runner?: FakePorts;
  /** Sessions made so far (a new one per new cluster). */
  runners: number;
}

export interface TestAppOptions {
  script?: Script;
  progress?: Progress;
  cluster?: Connected;
  /** Successive answers of connect(), e.g. "down" and then "reachable" once a step created it. */
  clusters?: Connected[];
  size?: { columns: number; rows: number };
  color?: boolean;
  /** Another workshop than the fixture, e.g. BUNDLED_DIR for the lessons kubelab ships. */
  workshopDir?: string;
  /** Changes the parsed fixture before the app sees it (e.g. a block that asks for confirmation). */
  workshop?: (workshop: Workshop) => void;
  /** How often the app looks at the cluster again; 0 (the default here): only when a test says. */
  watchIntervalMs?: number;
  /** The app's own start of the cluster (a stand-in: no cluster is built or started). */
  startCluster?: ControllerDeps['startCluster'];
  /** The class connection's hand (absent: not in a class). */
  toggleHand?: ControllerDeps['toggleHand'];
  /** More of the app's first state (the cluster's --name, tools a provider lacks). */
  state?: Pick<InitialStateOptions, 'clusterName' | 'providerMissing'>;
  /** Controller dependencies a test replaces (progress on disk, catch-up, the bundle). */
  deps?: Partial<ControllerDeps>;
}

export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const workshop = await fixtureWorkshop(options.workshopDir);
  options.workshop?.(workshop);
  const store = createStore(
    initialState({ workshop, progress: options.progress ?? emptyProgress(workshop.id), provider: 'local', size: options.size ?? { columns: 100, rows: 30 }, color: options.color ?? false, ...options.state }),
  );
  let connects = 0;
  const app: TestApp = { store, saved: [], exitCodes: [], runners: 0, controller: undefined as unknown as AppController };
  app.controller = new AppController({
    store,
    connect: async () => (options.clusters ? options.clusters[Math.min(connects++, options.clusters.length - 1)] : (options.cluster ?? { cluster: REACHABLE, connection: CONNECTION })),
    createRunner: (connection, emit) => {
      const { session, ports } = scriptedSession(workshop, options.script ?? {}, emit, connection);
      app.runner = ports;
      app.runners++;
      return session;
    },
    saveProgress: async (p) => void app.saved.push(p),
    exit: (code) => void app.exitCodes.push(code),
    outputFlushMs: 1,
    watchIntervalMs: options.watchIntervalMs ?? 0,
    startCluster: options.startCluster,
    toggleHand: options.toggleHand,
    ...options.deps,
  });
  return app;
}

/**
 * Polls until the condition holds (Ink renders on its own beat). The deadline is generous: on a
 * busy 2-core machine a frame can take seconds, and a passing test never waits it out.
 */
export async function until(condition: () => boolean, what = 'condition', timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
