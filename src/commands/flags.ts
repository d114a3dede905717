import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs, with a bad flag or a stray argument turned into a usage error (exit 2)
 * that shows the usage.
 */
export function parseFlags<const O extends Options>(argv: string[], options: O, usage: string, maxPositionals = Infinity) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`Unexpected argument "${parsed.positionals[maxPositionals]}".`, usage);
  return parsed;
}
