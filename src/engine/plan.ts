/**
 * A step's plan: what the loader decided the step does, in order, and where each part applies. The
 * session executes it, the app draws from it, lint and reports read it: none of them decides again
 * whether a block runs on a provider, or re-reads a fence's info string to find out.
 */
import { providerLacks } from './needs.js';
import type { Applicability, EngineListener, FormatAction, Lesson, ProviderName, Step, Target } from './types.js';

// The plan's data is part of the engine's vocabulary (types.ts); these are its readers.
export type { Applicability, CalloutTone, FormatAction, LessonAction, LessonPlan, PlannedCheck, RenderSegment, StepAction, StepPlan, Target } from './types.js';

/** What an action is on one target: run, shown with the reason it is not run, or not there at all. */
export type Placement = { runs: true } | { runs: false; shown: boolean; reason: string };

const RUNS: Placement = { runs: true };

/** A target from a provider alone: the local provider's nodes are simulated, other providers' are taken as real. */
export const targetOf = (provider: ProviderName, simulated = provider === 'local'): Target => ({ provider, simulated });

/** The one place that decides whether an action runs on a target, and why not. */
export function placement(where: Applicability | undefined, target: Target): Placement {
  if (!where) return RUNS;
  if (where.providers && !where.providers.includes(target.provider)) {
    return { runs: false, shown: false, reason: `only for ${where.providers.join(', ')}` };
  }
  if (where.never !== undefined) return { runs: false, shown: true, reason: where.never };
  if (providerLacks(where.needs, target.provider, target.simulated)) return { runs: false, shown: true, reason: where.needs!.reason };
  return RUNS;
}

/** Part of the lesson on this target (it may still be shown only): not another provider's content. */
export const appliesTo = (where: Applicability | undefined, target: Target): boolean => {
  const at = placement(where, target);
  return at.runs || at.shown;
};

/** What a format's action runner is given: the session's shell, and a way to run a command as a block is run. */
export interface ActionContext {
  lesson: Lesson;
  step: Step | undefined;
  action: FormatAction;
  target: Target;
  /** The session's shell: its environment (KUBECONFIG, the lesson's variables) and working folder. */
  shell: { env: Record<string, string>; cwd: string };
  signal: AbortSignal;
  /** Hides the secrets the session knows from a text the runner shows or returns. */
  redactor: { text(text: string): string };
  /** Runs shell code with the session's environment, its output shown as the step's output. */
  run(code: string, options?: { cwd?: string; timeoutMs?: number }): Promise<{ ok: boolean; exitCode?: number; tail: string[] }>;
  emit: EngineListener;
}

export type ActionRunner = (context: ActionContext) => Promise<{ ok: boolean; error?: string }>;
