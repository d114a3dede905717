/**
 * The engine's vocabulary: what a workshop is after parsing, what a check returns, and the events
 * the engine emits. The TUI, the headless reporters and the class client are views of these.
 * No ink or react here.
 */


export const PROVIDER_NAMES = ['local', 'kind', 'eks', 'existing'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A fenced shell block in a step. */
export interface CommandBlock {
  code: string;
  /** false for blocks shown but never run (`norun` / `test=false`). */
  run: boolean;
  timeoutSeconds: number;
  /** 'fail': the command is meant to fail (RBAC "Forbidden"); its failure is the step's success. */
  expect: 'success' | 'fail';
  /** With expect 'fail': a substring or /pattern/ the output must show, so a failure of another kind is not taken for it. */
  expectOutput?: string;
  /** Only for these providers; undefined means every provider. */
  providers?: ProviderName[];
  /** Ask before running: this costs money or destroys something. The text says what it does. */
  confirm?: string;
  /** Why the block is not run when `run` is false (`test=false`, no `$ ` line…): reports say it. */
  skipReason?: string;
  /** eks-workshop-v2 `hook=NAME`: the page folder's tests/hook-NAME.sh, run before and after the block. */
  hook?: BlockHook;
  /** eks-workshop-v2 `wait=SECONDS`: a fixed pause after the block, which their pages rely on. */
  waitSeconds?: number;
  /** What the block needs beyond a Kubernetes API server; providers without it report the block as not run. */
  needs?: BlockNeed;
  location: SourceLocation;
  /** When `code` left lines of the fence out (`$ ` prompts): the fence line (0-based) of each line of `code`. */
  codeLines?: number[];
}

export interface BlockHook {
  name: string;
  /** Absolute path of the bash script, called as `bash SCRIPT before|after`. */
  script: string;
  timeoutSeconds: number;
  /** Set when the script itself needs something the provider may lack (e.g. `kubectl exec`). */
  needs?: BlockNeed;
}

/**
 * 'aws': calls AWS (aws, eksctl, terraform); 'node': needs a container really running
 * (exec, logs, port-forward, HTTP to a pod or load balancer) — kwok's simulated nodes run none.
 */
export interface BlockNeed {
  kind: 'aws' | 'node';
  /** In the learner's language, naming the command: "needs a real node: kubectl exec". */
  reason: string;
}

export interface CheckSpec {
  /** Stable id within the step (defaults to the checker id, suffixed when repeated). */
  id: string;
  checker: string;
  args: Record<string, unknown>;
  /** How long `validate` and the app wait for this check to pass. */
  timeoutSeconds: number;
  /** 'fail': the check must fail (negation), e.g. "rbac-user cannot delete pods". */
  expect?: 'fail';
  /** Only for these providers; undefined means every provider. */
  providers?: ProviderName[];
  /** Why `validate --prove` cannot see this check fail before its step; reported, not hidden. */
  unprovable?: string;
  location: SourceLocation;
}

export interface Step {
  id: string;
  title: string;
  index: number;
  /** The step's prose as Markdown, with its code blocks, without kubelab's own metadata block. */
  markdown: string;
  blocks: CommandBlock[];
  checks: CheckSpec[];
  hints: string[];
  /**
   * The check each hint answers, by index (`hints: [{ text, check }]`); undefined for a hint that
   * answers any failure. A tied hint comes by itself only when its check is the one that failed.
   */
  hintChecks?: (string | undefined)[];
  /** The providers each hint is for, by index; undefined for a hint on every provider. */
  hintProviders?: (ProviderName[] | undefined)[];
  /** Commands hidden until the learner asks for the solution. */
  challenge: boolean;
  /** zx scripts relative to the lesson folder. */
  setup?: string;
  cleanup?: string;
  /** Why a step with commands has no check (lint warns otherwise). */
  unchecked?: string;
  location: SourceLocation;
  /** What the step does, in order, and where: set by every lesson source (plan.ts). */
  plan?: StepPlan;
  /** What the learner reads, cut into parts by the source (plan.ts). */
  render?: RenderSegment[];
}

export interface ToolRequirement {
  name: string;
  /** Only needed on these providers; undefined means every provider. */
  providers?: ProviderName[];
  /** How to install it, shown when it is missing. */
  install?: string;
}

export interface Lesson {
  id: string;
  title: string;
  minutes: number;
  requires: string[];
  tools: ToolRequirement[];
  providers: ProviderName[];
  dir: string;
  file: string;
  intro: string;
  /** The intro as the learner reads it (plan.ts): set by every lesson source. */
  render?: RenderSegment[];
  steps: Step[];
  setup?: string;
  cleanup?: string;
  /** Why `providers` leaves some out, when that was derived from the content (a page calling AWS). */
  unavailableReason?: string;
  /** Listed under workshop.yaml's `further:`: after the core path, for learners who want more. */
  optional?: boolean;
  /** eks-workshop-v2 `tests/hook-suite.sh` scripts: `before` runs before this lesson, `after` after it. */
  suiteHooks?: { before: string[]; after: string[] };
  /** Lesson-level actions (setup, suite hooks): set by every lesson source (plan.ts). */
  plan?: LessonPlan;
  /** The language this text is in (undefined: the workshop's source language, English). */
  language?: string;
  /** Translations beside lesson.md (lesson.fr.md…), by language; see engine/i18n/lesson-translation.ts. */
  translations?: Record<string, LessonTranslation>;
  /** Asked for in a language it has no translation into: shown in its source language, with a note. */
  untranslated?: string;
}

/** A lesson.LANG.md as parsed, with what lint needs to tell whether it fell behind its source. */
export interface LessonTranslation {
  language: string;
  file: string;
  lesson: Lesson;
  /** The source hash the translation records (`translatedFrom:`), and that line. */
  translatedFrom?: string;
  translatedFromLine: number;
  /** The hash of lesson.md as it is now. */
  sourceHash: string;
}

export interface Workshop {
  id: string;
  title: string;
  description: string;
  dir: string;
  variables: Record<string, string>;
  providers: ProviderName[];
  lessons: Lesson[];
  /** workshop.yaml's `translations:` — the title and description in other languages. */
  translations?: Record<string, { title: string; description: string }>;
  /** The lesson source that read it (lesson-source.ts): 'kubelab', 'docusaurus', 'killercoda'… */
  format?: string;
  /**
   * That source itself, for its lint rules, lesson files and actions (never serialised: bundles
   * write `format`). Typed here by what every reader needs; lesson-source.ts `sourceOfWorkshop` gives the whole.
   */
  source?: { readonly format: string };
}

/** 'pending' = not yet, keep waiting; 'fail' = wrong; 'error' = the check itself broke; 'skip' = not applicable here. */
export type CheckStatus = 'pass' | 'fail' | 'pending' | 'error' | 'skip';

export interface CheckTable {
  columns: string[];
  rows: { label: string; cells: string[] }[];
}

export interface CheckResult {
  status: CheckStatus;
  /** One line in the learner's language: "ecsdemo-nodejs: 1/3 replicas ready". */
  message: string;
  expected?: string;
  actual?: string;
  hint?: string;
  /** A small grid, e.g. the SelfSubjectAccessReview matrix. */
  table?: CheckTable;
  /**
   * On a `pending` result, what is there: 'missing' — nothing yet (waited for, up to the timeout);
   * 'converging' — there, and a controller is still working on it (a rollout, a namespace
   * terminating: waited for); 'wrong' — there, and it differs from what the lesson expects: once
   * nothing the check reads has changed for a moment, the engine says `fail` rather than wait out
   * the timeout. Unset: the checker does not say, so it is waited for as before.
   */
  state?: PendingState;
  /** With state 'converging': what is still at work, in words ("rollout of web: 1 of 2 pods updated"). */
  converging?: string;
}

export type PendingState = 'missing' | 'converging' | 'wrong';

/** A check a failed command kept from running: reported as a skip, but not "not applicable". */
export const NOT_EVALUATED = 'not evaluated: ';
export const notEvaluated = (result: CheckResult): boolean => result.status === 'skip' && result.message.startsWith(NOT_EVALUATED);

/** 'wrong-failure': expected to fail, and it did, but without the output `expectOutput` names. */
export type BlockOutcome = 'ok' | 'expected-failure' | 'unexpected-success' | 'wrong-failure' | 'failed' | 'timeout' | 'aborted';
/** 'caught-up': run by `kubelab catch-up` for the learner, not passed by them. */
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'caught-up';

/** A step a learner need not come back to: it passed, or it does not apply (skipped). */
export const isStepDone = (status: string | undefined): boolean => status === 'passed' || status === 'skipped' || status === 'caught-up';

interface At {
  lessonId: string;
  stepId: string;
}

export type EngineEvent =
  | { type: 'lesson-start'; lessonId: string; title: string }
  | { type: 'lesson-end'; lessonId: string; status: StepStatus; durationMs: number }
  | ({ type: 'step-start'; title: string } & At)
  | ({ type: 'block-start'; blockIndex: number; code: string; expect: 'success' | 'fail' } & At)
  // A block shown but not run here (test=false, needs a real node or AWS…), with the reason.
  | ({ type: 'block-skipped'; blockIndex: number; code: string; reason: string; line: number } & At)
  // One command of a block of several starts: what the output that follows belongs to.
  | ({ type: 'command-start'; blockIndex: number; code: string } & At)
  | ({ type: 'output'; blockIndex: number; stream: 'stdout' | 'stderr'; line: string } & At)
  | ({ type: 'block-end'; blockIndex: number; exitCode: number | undefined; outcome: BlockOutcome; durationMs: number } & At)
  // `probe`: evaluated once before the step's commands (validate --prove), not the step's verdict.
  | ({ type: 'check-start'; checkId: string; checker: string; probe?: boolean } & At)
  | ({ type: 'check-progress'; checkId: string; result: CheckResult; remainingMs: number } & At)
  // `unprovable`: on a probe, the lesson says this check cannot fail before its step, and why.
  | ({ type: 'check-end'; checkId: string; result: CheckResult; durationMs: number; probe?: boolean; unprovable?: string } & At)
  | ({ type: 'step-end'; status: StepStatus; durationMs: number } & At)
  | ({ type: 'hint-revealed'; index: number } & At)
  | ({ type: 'solution-shown' } & At);

export type EngineListener = (event: EngineEvent) => void;

// ── The step plan (read by plan.ts, made by the lesson sources) ─────────────────────────────────

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
  | { kind: 'suite-hook'; phase: 'before' | 'after'; script: string; timeoutSeconds: number; where: Applicability; location: SourceLocation }
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
  /** A label: of one of several alternatives shown one after another (a tab: what follows, up to the next label, is that one), or over its own `body` (a part shown under a summary). */
  | { kind: 'label'; text: string; body?: RenderSegment[] };

