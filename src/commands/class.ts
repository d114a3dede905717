/**
 * `kubelab class serve | join | leave | status`: parses flags, then calls the class services.
 * The class modules are imported when a subcommand runs, so other commands do not load SQLite.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { userInfo } from 'node:os';
import { ExitCode, KubelabError, UsageError, describeError } from '../errors.js';
import type { Command, CommandContext } from './context.js';

const USAGE = `Usage:
  kubelab class serve [--name CLASS] [--host 127.0.0.1] [--port 7420] [--stuck-minutes 5]
  kubelab class join <url> --token TOKEN [--name "Your Name"]
  kubelab class leave
  kubelab class status <url> --token INSTRUCTOR_TOKEN [--json]`;

const DEFAULT_PORT = 7420;

export const classCommand: Command = async (argv, context) => {
  const [subcommand, ...rest] = argv;
  try {
    switch (subcommand) {
      case 'serve':
        return await serve(rest, context);
      case 'join':
        return await join(rest, context);
      case 'leave':
        return await leave(rest, context);
      case 'status':
        return await status(rest, context);
      case undefined:
      case '--help':
      case '-h':
        context.stdout.write(`${USAGE}\n`);
        return subcommand === undefined ? ExitCode.usage : ExitCode.ok;
      default:
        throw new UsageError(`Unknown class command "${subcommand}".`, USAGE);
    }
  } catch (error) {
    if (!(error instanceof KubelabError)) throw error;
    context.stderr.write(`${describeError(error)}\n`);
    return error.exitCode;
  }
};

async function serve(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parse(argv, {
    name: { type: 'string', default: 'class' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: String(DEFAULT_PORT) },
    'stuck-minutes': { type: 'string', default: '5' },
  });
  const name = values.name as string;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new UsageError(`--name "${name}" is not a class name.`, 'Use letters, digits, - and _ (it names a file), e.g. --name k8s-march');
  }
  const port = integer('--port', values.port as string, 0, 65535);
  const stuckMinutes = number('--stuck-minutes', values['stuck-minutes'] as string, 0.1, 24 * 60);
  await (await import('../services/sqlite.js')).requireSqlite();
  const { serveClass } = await import('../class/serve.js');
  await serveClass({
    name,
    host: values.host as string,
    port,
    stuckAfterMs: Math.round(stuckMinutes * 60_000),
    interactive: context.interactive,
    env: context.env,
    stdout: context.stdout,
    stderr: context.stderr,
    signal: context.signal,
  });
  return ExitCode.ok;
}

async function join(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parse(argv, { token: { type: 'string' }, name: { type: 'string' } }, 1);
  const url = positionals[0];
  if (!url) throw new UsageError('Which class? Give its URL.', 'kubelab class join <url> --token TOKEN --name "Your Name"');
  if (!values.token) throw new UsageError('--token is required.', 'Copy it from the join line the instructor shows.');
  const name = (values.name as string | undefined) ?? defaultName();
  const { joinClass } = await import('../class/client.js');
  const membership = await joinClass({ url, token: values.token as string, name, env: context.env, signal: context.signal });
  context.stderr.write(
    `Joined class "${membership.className}" as ${membership.name}.\n` +
      'kubelab now shares your progress with the instructor: lesson and step, check results, hints and time on a step.\n' +
      'Never command output, environment or credentials. Stop with: kubelab class leave\n',
  );
  return ExitCode.ok;
}

async function leave(argv: string[], context: CommandContext): Promise<number> {
  parse(argv, {});
  const { leaveClass } = await import('../class/client.js');
  const left = await leaveClass(context.env);
  context.stderr.write(left ? `Left class "${left.className}". Nothing more is shared.\n` : 'You are not in a class.\n');
  return ExitCode.ok;
}

async function status(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parse(argv, { token: { type: 'string' }, json: { type: 'boolean', default: false } }, 1);
  const url = positionals[0];
  if (!url) throw new UsageError('Which class? Give its URL.', 'kubelab class status <url> --token INSTRUCTOR_TOKEN');
  if (!values.token) throw new UsageError('--token is required (the instructor token).', 'class serve prints where it is kept.');
  const [{ fetchClassStatus }, { formatClassView }] = await Promise.all([import('../class/client.js'), import('../class/class-view.js')]);
  const view = await fetchClassStatus({ url, token: values.token as string, signal: context.signal });
  context.stdout.write(values.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatClassView(view)}\n`);
  return ExitCode.ok;
}

function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, maxPositionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: maxPositionals > 0, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), USAGE);
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`Unexpected argument "${parsed.positionals[maxPositionals]}".`, USAGE);
  return parsed;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${text}").`);
  return value;
}

function number(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new UsageError(`${flag} must be a number from ${min} to ${max} (got "${text}").`);
  return value;
}

function defaultName(): string {
  try {
    return userInfo().username;
  } catch {
    throw new UsageError('--name is required.', 'kubelab class join <url> --token TOKEN --name "Your Name"');
  }
}
