/**
 * The app's pieces wired for tests: the fixture workshop, a store, a controller and a step runner
 * that plays a script instead of starting processes. Progress saves are recorded, not written.
 */
import { resolve } from 'node:path';
import { emptyProgress, type Progress } from '../../src/engine/progress.js';
import type { CheckOutcome, CommandsOutcome } from '../../src/engine/session.js';
import type { CheckResult, EngineListener, Lesson, Step, Workshop } from '../../src/engine/types.js';
import { loadWorkshop } from '../../src/engine/workshop.js';
import type { ClusterConnection } from '../../src/providers/types.js';
import { AppController, createStore, type Connected, type StepRunner, type Store } from '../../src/ui/controller.js';
import { initialState, type ClusterView } from '../../src/ui/state.js';

export const FIXTURE_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'tui-workshop');

export async function fixtureWorkshop(): Promise<Workshop> {
  const { workshop, diagnostics } = await loadWorkshop(FIXTURE_DIR);
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

/** What the fake runner does for each block and check; the defaults succeed. */
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
}

export function fakeRunner(emit: EngineListener, script: Script): StepRunner & { aborted: boolean } {
  const runner = {
    aborted: false,
    blocksFor: (step: Step) => step.blocks.filter((b) => b.run),
    checksFor: (step: Step) => step.checks,
    missingTools: () => [],
    stepStatus: (commands: CommandsOutcome, checks: CheckOutcome[]) => (commands.ok && checks.every((c) => c.result.status === 'pass' || c.result.status === 'skip') ? 'passed' : 'failed') as 'passed' | 'failed',
    runScript: async () => ({ ok: true }),
    async runCommands(lesson: Lesson, step: Step, signal: AbortSignal): Promise<CommandsOutcome> {
      const at = { lessonId: lesson.id, stepId: step.id };
      for (const [blockIndex, block] of runner.blocksFor(step).entries()) {
        emit({ type: 'block-start', ...at, blockIndex, code: block.code, expect: block.expect });
        for (const line of script.output?.[blockIndex] ?? []) emit({ type: 'output', ...at, blockIndex, stream: 'stdout', line });
        if (script.hang) {
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          runner.aborted = true;
          emit({ type: 'block-end', ...at, blockIndex, exitCode: undefined, outcome: 'aborted', durationMs: 5 });
          return { ok: false, error: 'interrupted' };
        }
        const end = script.blockOutcome?.(step, blockIndex) ?? { exitCode: block.expect === 'fail' ? 1 : 0, outcome: block.expect === 'fail' ? 'expected-failure' : 'ok' };
        emit({ type: 'block-end', ...at, blockIndex, exitCode: end.exitCode, outcome: end.outcome, durationMs: 12 });
        if (end.outcome === 'failed') return { ok: false, error: `command failed with exit code ${end.exitCode}` };
      }
      return { ok: true };
    },
    async runChecks(lesson: Lesson, step: Step): Promise<CheckOutcome[]> {
      const at = { lessonId: lesson.id, stepId: step.id };
      const outcomes: CheckOutcome[] = [];
      for (const spec of step.checks) {
        emit({ type: 'check-start', ...at, checkId: spec.id, checker: spec.checker });
        const results = script.checks?.[spec.id] ?? [{ result: { status: 'pass', message: `${spec.id} is fine` } }];
        for (const r of results.slice(0, -1)) emit({ type: 'check-progress', ...at, checkId: spec.id, result: r.result, remainingMs: r.remainingMs ?? 30_000 });
        if (script.holdChecks) await script.holdChecks;
        const result = results[results.length - 1].result;
        emit({ type: 'check-end', ...at, checkId: spec.id, result, durationMs: 3 });
        outcomes.push({ spec, result, durationMs: 3 });
      }
      return outcomes;
    },
  };
  return runner;
}

export interface TestApp {
  store: Store;
  controller: AppController;
  saved: Progress[];
  exitCodes: number[];
  runner?: ReturnType<typeof fakeRunner>;
}

export interface TestAppOptions {
  script?: Script;
  progress?: Progress;
  cluster?: Connected;
  /** Successive answers of connect(), e.g. "down" and then "reachable" once a step created it. */
  clusters?: Connected[];
  size?: { columns: number; rows: number };
  color?: boolean;
  /** Changes the parsed fixture before the app sees it (e.g. a block that asks for confirmation). */
  workshop?: (workshop: Workshop) => void;
}

export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const workshop = await fixtureWorkshop();
  options.workshop?.(workshop);
  const store = createStore(
    initialState({ workshop, progress: options.progress ?? emptyProgress(workshop.id), provider: 'local', size: options.size ?? { columns: 100, rows: 30 }, color: options.color ?? false }),
  );
  let connects = 0;
  const app: TestApp = { store, saved: [], exitCodes: [], controller: undefined as unknown as AppController };
  app.controller = new AppController({
    store,
    connect: async () => (options.clusters ? options.clusters[Math.min(connects++, options.clusters.length - 1)] : (options.cluster ?? { cluster: REACHABLE, connection: CONNECTION })),
    createRunner: (_connection, emit) => (app.runner = fakeRunner(emit, options.script ?? {})),
    saveProgress: async (p) => void app.saved.push(p),
    exit: (code) => void app.exitCodes.push(code),
    outputFlushMs: 1,
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
