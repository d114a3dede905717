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
  steps: Step[];
  setup?: string;
  cleanup?: string;
  /** Why `providers` leaves some out, when that was derived from the content (a page calling AWS). */
  unavailableReason?: string;
  /** Listed under workshop.yaml's `further:`: after the core path, for learners who want more. */
  optional?: boolean;
  /** eks-workshop-v2 `tests/hook-suite.sh` scripts: `before` runs before this lesson, `after` after it. */
  suiteHooks?: { before: string[]; after: string[] };
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
  /** 'docusaurus': an eks-workshop-v2 docs tree opened as it is (no workshop.yaml). */
  format?: 'kubelab' | 'docusaurus';
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
