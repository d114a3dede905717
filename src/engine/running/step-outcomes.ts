/**
 * What a step's parts report to the session: the outcome of its commands and of each check. Apart
 * from session.ts so the parts that run a step for it need not import it back.
 */
import type { Redactor } from './redact.js';
import type { ShellSession } from './runner.js';
import type { SessionOptions, SessionPorts } from './session.js';
import type { CheckResult, CheckSpec, EngineListener, Step, Target } from '../types.js';

export interface CheckOutcome {
  spec: CheckSpec;
  result: CheckResult;
  durationMs: number;
}

export interface CommandsOutcome {
  ok: boolean;
  /** Why the commands did not succeed, in one line. */
  error?: string;
  /** eks-workshop-v2 hooks run around the blocks, each a check with its own verdict. */
  hookChecks?: CheckOutcome[];
  /** Blocks shown but not run here, with why (counted in reports, never dropped). */
  notRun?: NotRunBlock[];
}

export interface NotRunBlock {
  line: number;
  reason: string;
}

export interface RunChecksOptions {
  /** Evaluated once before the step's commands (validate --prove): every check answers, none is cut short. */
  probe?: boolean;
  /** A step none of whose objects exist yet is said to be so at once (`c`, `kubelab check`). */
  nothingYet?: boolean;
  /** With a timeout of 0: a wrong value is watched until it settles, then said as a failure. */
  confirmWrong?: boolean;
  /** Every check answers for itself: a failure does not cut the others short (a lesson's mutation tests). */
  every?: boolean;
}

/** Passed or not applicable: nothing for the learner to fix. */
export const checkSatisfied = (result: CheckResult): boolean => result.status === 'pass' || result.status === 'skip';

/** What the session shares with the parts that run a step for it. */
export interface SessionCore {
  readonly options: SessionOptions;
  readonly ports: SessionPorts;
  readonly shell: ShellSession;
  readonly redactor: Redactor;
  readonly variables: Record<string, string>;
  readonly target: Target;
  /** Every event leaves the session through here, redacted. */
  readonly emit: EngineListener;
  checksFor(step: Step): CheckSpec[];
}
