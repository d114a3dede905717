/**
 * Commands are declared as data — name, summary, flags, arguments, examples — and everything a
 * person reads about them is generated from that: the top help, `kubelab CMD --help`, the usage
 * shown with a bad flag, and shell completion. Parsing is node:util parseArgs (built in: nothing to
 * load before `--version` answers). This module imports nothing heavy, so help stays instant.
 */
import { parseArgs } from 'node:util';
import { describeError, ExitCode, KubelabError, UsageError } from '../errors.js';
import type { RunContext } from '../services/context.js';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly help: string;
  /** One letter, e.g. `v` for `-v`. */
  readonly short?: string;
  /** Booleans are always false unless given; a string default is shown in the help. */
  readonly default?: string;
  /** The placeholder in usage lines, e.g. FILE, SECONDS. */
  readonly value?: string;
  /** The only values that make sense (shown in help, offered by completion). */
  readonly choices?: readonly string[];
  /** Completion offers paths for this flag. */
  readonly complete?: 'file' | 'dir';
  /** May be given more than once (`--reporter junit --reporter github`); the value is a list. */
  readonly multiple?: boolean;
  /** Must be given (a string flag without a default): leaving it out is a usage error. */
  readonly required?: boolean;
  /** The value is a number in this range (whole with `integer`): anything else is a usage error. */
  readonly number?: { readonly min: number; readonly max: number; readonly integer?: boolean };
}

export interface ArgumentSpec {
  readonly name: string;
  readonly help: string;
  readonly required?: boolean;
  /** Takes any number of values (LESSON...). */
  readonly variadic?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly args?: readonly ArgumentSpec[];
  readonly examples?: readonly string[];
  /** Flags shared with other commands, described once in the top help (e.g. the connection flags). */
  readonly sharedFlags?: readonly string[];
  /** `cluster up|down|status`: the first argument picks one of these. */
  readonly subcommands?: readonly CommandSpec[];
  /** Not listed in the top help (the app is what `kubelab` alone runs). */
  readonly hidden?: boolean;
}

/** A number flag arrives as a number: the declaration parses it once, so no command does. */
type FlagValue<F extends FlagSpec> = F['type'] extends 'boolean'
  ? boolean
  : F extends { multiple: true }
    ? string[]
    : F extends { number: object }
      ? F extends { default: string } ? number : number | undefined
      : F extends { default: string } | { required: true } ? string : string | undefined;

/** The parsed flag values of a declared command, typed from its declaration. */
export type FlagValues<S extends Pick<CommandSpec, 'flags'>> = { -readonly [K in keyof S['flags']]: FlagValue<S['flags'][K]> };

export interface ParsedCommandLine<S extends Pick<CommandSpec, 'flags'>> {
  values: FlagValues<S>;
  positionals: string[];
}

/** What a declared command does once its command line is parsed. */
export type CommandHandler<S extends Pick<CommandSpec, 'flags'>> = (input: ParsedCommandLine<S>, context: RunContext) => Promise<number>;

/** The one flag every command accepts without declaring it. */
export const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', help: 'show this help' };

/** Asked for help anywhere on the command line (before a `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** The subcommand named by argv[0], or a usage error naming the ones there are. */
export function pickSubcommand(spec: CommandSpec, argv: readonly string[], path: readonly string[] = []): CommandSpec {
  const subs = spec.subcommands ?? [];
  const name = argv[0];
  const found = subs.find((s) => s.name === name);
  if (found) return found;
  const full = ['kubelab', ...path, spec.name].join(' ');
  const names = subs.map((s) => s.name).join('|');
  if (name === undefined || name.startsWith('-')) throw new UsageError(`${full} needs one of: ${names}.`, usageHint(spec, path));
  throw new UsageError(`Unknown ${spec.name} command "${name}". Use one of: ${names}.`, usageHint(spec, path));
}

/**
 * Parses argv against a declaration: unknown flags, a missing flag value or a stray argument are
 * usage errors (exit 2) that carry the command's usage.
 */
export function parseCommandLine<S extends CommandSpec>(spec: S, argv: readonly string[], path: readonly string[] = []): ParsedCommandLine<S> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean | string[] }> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    const fallback = flag.type === 'boolean' ? false : flag.default;
    options[name] = { type: flag.type, ...(flag.short && { short: flag.short }), ...(flag.multiple && { multiple: true }), default: flag.multiple ? (fallback === undefined ? [] : [fallback as string]) : fallback };
    if (options[name].default === undefined) delete options[name].default;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // node's message goes on to explain `--`; the first sentence is the part a person needs.
    throw new UsageError((error as Error).message.replace(/ To specify a positional argument.*$/s, ''), usageHint(spec, path));
  }
  const max = maxArguments(spec);
  if (parsed.positionals.length > max) throw new UsageError(`Unexpected argument "${parsed.positionals[max]}".`, usageHint(spec, path));
  // Checked here, before the command does any work: a missing argument or a bad number is the
  // same usage error for every command.
  const missing = (spec.args ?? []).find((arg, i) => arg.required && parsed.positionals[i] === undefined);
  if (missing) throw new UsageError(`${['kubelab', ...path, spec.name].join(' ')} needs ${missing.name}: ${missing.help}.`, usageHint(spec, path));
  const values: Record<string, unknown> = { ...parsed.values };
  for (const [name, flag] of Object.entries(spec.flags)) {
    const value = values[name];
    if (flag.required && (value === undefined || value === '')) throw new UsageError(`--${name} is required: ${flag.help}.`, usageHint(spec, path));
    if (flag.number && typeof value === 'string') values[name] = parseNumber(name, flag.number, value, spec, path);
  }
  return { values: values as FlagValues<S>, positionals: parsed.positionals };
}

/** The one place a number flag is read: in range (and whole when declared so), or a usage error. */
function parseNumber(name: string, range: NonNullable<FlagSpec['number']>, text: string, spec: CommandSpec, path: readonly string[]): number {
  const value = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(value) && value >= range.min && value <= range.max && (!range.integer || /^\d+$/.test(text.trim()));
  if (!valid) throw new UsageError(`--${name} must be a ${range.integer ? 'whole number' : 'number'} from ${range.min} to ${range.max} (got "${text}").`, usageHint(spec, path));
  return value;
}

function maxArguments(spec: CommandSpec): number {
  const args = spec.args ?? [];
  return args.some((a) => a.variadic) ? Infinity : args.length;
}

/** `--reporter pretty|json|junit`, `--output FILE`, `--verbose`. */
export function flagLabel(name: string, flag: FlagSpec): string {
  const value = flag.type === 'boolean' ? '' : ` ${flag.choices ? flag.choices.join('|') : (flag.value ?? 'VALUE')}`;
  return `--${name}${value}`;
}

function argumentLabel(arg: ArgumentSpec): string {
  const text = `${arg.name}${arg.variadic ? '...' : ''}`;
  return arg.required ? text : `[${text}]`;
}

/**
 * The usage line: every flag the command takes, except the shared ones, which stand as
 * `[connection options]` and are listed in full under the command's options.
 */
export function usageLine(spec: CommandSpec, path: readonly string[] = []): string {
  const words = ['kubelab', ...path];
  if (!spec.hidden || path.length > 0) words.push(spec.name);
  if (spec.subcommands) return `${words.join(' ')} ${spec.subcommands.map((s) => s.name).join('|')} ...`;
  const args = (spec.args ?? []).map(argumentLabel);
  const shared = new Set(spec.sharedFlags ?? []);
  const own = Object.entries(spec.flags)
    .filter(([name]) => !shared.has(name))
    .map(([name, flag]) => (flag.required ? flagLabel(name, flag) : `[${flagLabel(name, flag)}]`));
  const tail = shared.size ? ['[connection options]'] : [];
  return [...words, ...args, ...own, ...tail].join(' ');
}

/** The usage lines of a command, or of each of its subcommands. */
export function usageLines(spec: CommandSpec, path: readonly string[] = []): string[] {
  if (spec.subcommands) return spec.subcommands.map((s) => usageLine(s, [...path, spec.name]));
  return [usageLine(spec, path)];
}

function usageHint(spec: CommandSpec, path: readonly string[]): string {
  const lines = usageLines(spec, path);
  const helpCommand = ['kubelab', ...path, ...(spec.hidden && path.length === 0 ? [] : [spec.name]), '--help'].join(' ');
  return `Usage: ${lines.join('\n         ')}\n  More: ${helpCommand}`;
}

/** Wraps words to a width, continuation lines indented. */
export function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out.join('\n');
}

/** Two columns; a left cell too long for the column puts its text on the next line. */
export function table(rows: [string, string][], indent = '  '): string {
  const fitting = rows.map(([left]) => left.length).filter((n) => n <= 28);
  const width = Math.max(0, ...fitting) + 3;
  return rows
    .map(([left, right]) => {
      const pad = left.length + 3 > width ? `\n${indent}${' '.repeat(width)}` : ' '.repeat(width - left.length);
      return `${indent}${left}${pad}${right}`;
    })
    .join('\n');
}

function flagRows(spec: CommandSpec, names: readonly string[]): [string, string][] {
  return names.map((name) => {
    const flag = spec.flags[name];
    const short = flag.short ? `-${flag.short}, ` : '';
    const fallback = flag.default !== undefined ? ` (default: ${flag.default})` : flag.required ? ' (required)' : '';
    return [`${short}${flagLabel(name, flag)}`, `${flag.help}${fallback}`];
  });
}

/** `kubelab CMD --help`. */
export function commandHelp(spec: CommandSpec, path: readonly string[] = []): string {
  const title = ['kubelab', ...path, ...(spec.hidden && path.length === 0 ? [] : [spec.name])].join(' ');
  const parts = [`${title} — ${spec.summary}`, `Usage:\n${usageLines(spec, path).map((l) => `  ${wrap(l, 100, '      ')}`).join('\n')}`];
  if (spec.subcommands) {
    parts.push(`Commands:\n${table(spec.subcommands.map((s) => [s.name, s.summary]))}`);
    parts.push(`Run ${title} COMMAND --help for a command's options.`);
  } else {
    if (spec.args?.length) parts.push(`Arguments:\n${table(spec.args.map((a) => [argumentLabel(a), a.help]))}`);
    const shared = new Set(spec.sharedFlags ?? []);
    const own = Object.keys(spec.flags).filter((n) => !shared.has(n));
    const rows = [...flagRows(spec, own), ['-h, --help', HELP_FLAG.help] as [string, string]];
    parts.push(`Options:\n${table(rows)}`);
    if (shared.size) parts.push(`Connection options:\n${table(flagRows(spec, [...shared]))}`);
  }
  if (spec.examples?.length) parts.push(`Examples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}

type Handlers<S extends CommandSpec> = S extends { subcommands: readonly CommandSpec[] }
  ? { [K in S['subcommands'][number] as K['name']]: CommandHandler<K> }
  : CommandHandler<S>;

/**
 * A runnable command from its declaration and its handler (or one handler per subcommand):
 * `--help` prints the generated help (exit 0), a bad command line is a usage error (exit 2), and an
 * expected failure is written as its message and next step, then becomes its exit code.
 */
export function declaredCommand<S extends CommandSpec>(spec: S, handlers: Handlers<S>): (argv: string[], context: RunContext) => Promise<number> {
  return async (argv, context) => {
    try {
      let target: CommandSpec = spec;
      let rest = argv;
      let path: string[] = [];
      let handler = handlers as CommandHandler<CommandSpec>;
      if (spec.subcommands) {
        if (wantsHelp(argv) && !spec.subcommands.some((s) => s.name === argv[0])) {
          context.stdout.write(commandHelp(spec));
          return ExitCode.ok;
        }
        target = pickSubcommand(spec, argv);
        rest = argv.slice(1);
        path = [spec.name];
        handler = (handlers as Record<string, CommandHandler<CommandSpec>>)[target.name];
      }
      if (wantsHelp(rest)) {
        context.stdout.write(commandHelp(target, path));
        return ExitCode.ok;
      }
      return await handler(parseCommandLine(target, rest, path), context);
    } catch (error) {
      // Interrupted: the CLI entry says so once, with its own exit code.
      if (!(error instanceof KubelabError) || context.signal.aborted) throw error;
      context.stderr.write(`${describeError(error)}\n`);
      return error.exitCode;
    }
  };
}
