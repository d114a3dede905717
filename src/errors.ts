/** The exit-code table. Every way out of kubelab goes through one of these. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  environment: 3,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An expected failure with a message a person can act on: no stack trace is shown, only the
 * message and what to try next.
 */
export class KubelabError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly nextStep?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, unknown command, unknown provider, broken lesson content: exit 2. */
export class UsageError extends KubelabError {
  constructor(message: string, nextStep?: string) {
    super(message, ExitCode.usage, nextStep);
  }
}

/** The cluster, a tool, or credentials are not usable: exit 3. */
export class EnvironmentError extends KubelabError {
  constructor(message: string, nextStep?: string) {
    super(message, ExitCode.environment, nextStep);
  }
}

/** The user pressed Ctrl-C. */
export class InterruptedError extends KubelabError {
  constructor(message = 'Interrupted.') {
    super(message, ExitCode.interrupted);
  }
}

export function isAbort(error: unknown): boolean {
  return (
    error instanceof InterruptedError ||
    (error instanceof Error && (error.name === 'AbortError' || (error as { isCanceled?: boolean }).isCanceled === true))
  );
}

/** One line for a person: the message and, when known, what to do next. */
export function describeError(error: unknown): string {
  if (error instanceof KubelabError) {
    return error.nextStep ? `${error.message}\n  Next: ${error.nextStep}` : error.message;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Unexpected error (a bug in kubelab): ${message}`;
}
