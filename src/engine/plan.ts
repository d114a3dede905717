/**
 * A step's plan: what the loader decided the step does, in order, and where each part applies. The
 * session executes it, the app draws from it, lint and reports read it: none of them decides again
 * whether a block runs on a provider, or re-reads a fence's info string to find out.
 */
import type { Redactor } from './redact.js';
import { providerLacks } from './needs.js';
import type { ShellSession } from './runner.js';
import type { BlockHook, BlockNeed, CheckSpec, EngineListener, Lesson, ProviderName, SourceLocation, Step } from './types.js';

/** The cluster a plan is run on: its provider, and whether its nodes are simulated (kwok). */
export interface Target {
  provider: ProviderName;
  simulated: boolean;
}

/** Where an action applies, resolved by the loader from the content. */
export interface Applicability {
  /** Content for these providers only: elsewhere it is not part of the lesson at all (not shown). */
  providers?: ProviderName[];
  /** Shown but never run, with why (`test=false`, a block without a `$ ` line, a script that would change the machine). */
  never?: string;
  /** What it needs beyond an API server (AWS, a running container): providers without it show it, not run. */
  needs?: BlockNeed;
}

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

/** A format's own kind of action (a Killercoda `background` script…), run by its source's runner. */
export interface FormatAction {
  kind: 'format';
  /** The key of the runner in the source's `actions`. */
  type: string;
  /** What it does, in a few words, for the transcript and reports: "background script (step 2)". */
  label: string;
  where: Applicability;
  location: SourceLocation;
  /** Whatever the runner needs, decided by the loader. */
  data?: unknown;
}

export type StepAction =
  /** A zx script from the lesson folder (kubelab's `setup:`). */
  | { kind: 'setup'; script: string; where: Applicability; location: SourceLocation }
  /** `step.blocks[blockIndex]`: a command block with its expectation. */
  | { kind: 'block'; blockIndex: number; where: Applicability }
  /** eks-workshop-v2 `hook=NAME`, run before or after its block (and not at all when the block is not run). */
  | { kind: 'hook'; phase: 'before' | 'after'; blockIndex: number; hook: BlockHook; where: Applicability }
  /** eks-workshop-v2 `wait=SECONDS`: a pause after its block. */
  | { kind: 'pause'; seconds: number; blockIndex: number; where: Applicability }
  | FormatAction;

export interface PlannedCheck {
  check: CheckSpec;
  where: Applicability;
}

export interface StepPlan {
  /** Run in order; the first that fails stops the step. */
  actions: StepAction[];
  /** Evaluated together once the actions succeeded: the first failure decides the step. */
  checks: PlannedCheck[];
}

export type LessonAction =
  | { kind: 'setup'; script: string; where: Applicability; location: SourceLocation }
  /** eks-workshop-v2 `tests/hook-suite.sh` scripts, each a check with its own verdict. */
  | { kind: 'suite-hook'; phase: 'before' | 'after'; script: string; where: Applicability; location: SourceLocation }
  | FormatAction;

export interface LessonPlan {
  /** Before the lesson's first step, once per session (its setup). */
  prepare: LessonAction[];
  /** Right after the first step run announced itself (suite `before` hooks). */
  enter: LessonAction[];
  /** After its last step, or when it stopped early (suite `after` hooks). */
  finish: LessonAction[];
}

/** The tone of a callout (a Docusaurus admonition, a note box…), named by meaning, not by color. */
export type CalloutTone = 'note' | 'tip' | 'info' | 'warning' | 'danger' | 'important';

/**
 * What the learner reads, already cut into parts by the loader: prose is plain Markdown (CommonMark
 * with tables), with nothing of the format's own markup left in it.
 */
export type RenderSegment =
  | { kind: 'prose'; markdown: string }
  /** Code shown for reading (a manifest, an output): never run. */
  | { kind: 'code'; language: string; code: string }
  /** A command block of the step, as the page shows it; hidden on a challenge until the solution is asked for. */
  | { kind: 'commands'; blockIndex: number; language: string; code: string }
  | { kind: 'callout'; tone: CalloutTone; title: string; body: RenderSegment[] }
  /** The label of one of several alternatives shown one after another (a tab): what follows, up to the next label, is that one. */
  | { kind: 'label'; text: string };

/** What a format's action runner is given: the session's shell, and a way to run a command as a block is run. */
export interface ActionContext {
  lesson: Lesson;
  step: Step | undefined;
  action: FormatAction;
  target: Target;
  shell: ShellSession;
  signal: AbortSignal;
  redactor: Redactor;
  /** Runs shell code with the session's environment, its output shown as the step's output. */
  run(code: string, options?: { cwd?: string; timeoutMs?: number }): Promise<{ ok: boolean; exitCode?: number; tail: string[] }>;
  emit: EngineListener;
}

export type ActionRunner = (context: ActionContext) => Promise<{ ok: boolean; error?: string }>;
