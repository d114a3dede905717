import type { Step } from '../types.js';

/** A hint as one provider's learner gets it: its text, and the check it answers when tied to one. */
export interface StepHint {
  text: string;
  check?: string;
}

/**
 * The step's hints on this provider, in order: a hint written for EKS is not one of a local
 * learner's. Numbering ("Hint 2/3") and the hints a learner has seen count these only.
 */
export function hintsFor(step: Pick<Step, 'hints' | 'hintChecks' | 'hintProviders'>, provider: string): StepHint[] {
  return step.hints
    .map((text, i) => ({ text, check: step.hintChecks?.[i], providers: step.hintProviders?.[i] }))
    .filter((h) => !h.providers || (h.providers as string[]).includes(provider))
    .map(({ text, check }) => (check ? { text, check } : { text }));
}

/** The hints tied to checks that did not pass: what `check` and `validate` print under a failure. */
export function hintsForFailedChecks(step: Pick<Step, 'hints' | 'hintChecks' | 'hintProviders'>, provider: string, failedCheckIds: readonly string[]): string[] {
  return hintsFor(step, provider)
    .filter((h) => h.check && failedCheckIds.includes(h.check))
    .map((h) => h.text);
}
