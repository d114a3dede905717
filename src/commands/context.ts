import type { Writable } from 'node:stream';

/** What every command gets from the CLI entry: no globals, no process.exit inside commands. */
export interface CommandContext {
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

/** A command module: parses its own flags (node:util parseArgs), calls a service, returns an exit code. */
export type Command = (argv: string[], context: CommandContext) => Promise<number>;
