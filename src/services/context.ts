import type { Writable } from 'node:stream';

/**
 * What a command or the app hands to a service: no globals, no process.exit inside.
 * The CLI entry builds one per run.
 */
export interface RunContext {
  /** Aborted on Ctrl-C; every subprocess, watch and request takes it. */
  signal: AbortSignal;
  /** Results (data a script may parse). */
  stdout: Writable;
  /** Progress and messages for a person. */
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout is a terminal and CI is not set. */
  interactive: boolean;
  color: boolean;
}
