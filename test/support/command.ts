import { PassThrough } from 'node:stream';
import type { Command, CommandContext } from '../../src/commands/context.js';

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in process, headless, capturing what it writes (for tests of one command). */
export async function runCommand(command: Command, argv: string[], context: Partial<CommandContext> & { env: NodeJS.ProcessEnv; cwd: string }): Promise<CommandRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await command(argv, { signal: new AbortController().signal, stdout, stderr, interactive: false, color: false, ...context });
  return { code, stdout: out, stderr: err };
}
