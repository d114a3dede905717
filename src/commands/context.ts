import type { RunContext } from '../services/context.js';

/** What every command gets from the CLI entry (the same context the services take). */
export type CommandContext = RunContext;

/**
 * A command module's entry: parses its declared flags, calls a service, returns an exit code.
 * Expected failures (usage, environment) are written to stderr and become their exit code.
 */
export type Command = (argv: string[], context: CommandContext) => Promise<number>;
