import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { COMMANDS, CLUSTER, LIST, VALIDATE } from '../../../src/commands/catalog.js';
import { commandHelp, parseCommandLine, usageLine, type CommandSpec } from '../../../src/commands/declare.js';
import { topHelp } from '../../../src/commands/help.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseCommandLine', () => {
  it('given known flags and arguments, when parsed, then values come back typed with their defaults', () => {
    const { values, positionals } = parseCommandLine(VALIDATE, ['rbac', '--prove', '-v', '--output', 'r.xml']);
    expect(values).toMatchObject({ prove: true, verbose: true, output: 'r.xml', reporter: ['pretty'], bail: false });
    expect(values.provider).toBeUndefined();
    expect(positionals).toEqual(['rbac']);
  });

  it('given a flag declared multiple and given twice, when parsed, then both values come back in order', () => {
    const { values } = parseCommandLine(VALIDATE, ['--reporter', 'junit', '--output', 'r.xml', '--reporter', 'github']);
    expect(values.reporter).toEqual(['junit', 'github']);
  });

  it('given an unknown flag, when parsed, then it is a usage error (exit 2) carrying the usage line', () => {
    const error = thrown(() => parseCommandLine(LIST, ['--jsno'])) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toContain("Unknown option '--jsno'");
    expect(error.nextStep).toContain('Usage: kubelab list [--json] [--probe] [connection options]');
    expect(error.nextStep).toContain('kubelab list --help');
  });

  it('given a declaration with a required argument and a number flag, when either is missing or wrong, then parsing refuses it before any handler runs', () => {
    const spec = { name: 'demo', summary: 'd', args: [{ name: 'THING', required: true, help: 'what to demo' }], flags: { count: { type: 'string', help: 'n', number: { min: 1, max: 9, integer: true } } } } as const satisfies CommandSpec;
    expect(() => parseCommandLine(spec, [])).toThrow('kubelab demo needs THING: what to demo.');
    expect(() => parseCommandLine(spec, ['x', '--count', '1.5'])).toThrow('--count must be a whole number from 1 to 9 (got "1.5").');
    expect(() => parseCommandLine(spec, ['x', '--count', ''])).toThrow('--count must be a whole number');
    expect(parseCommandLine(spec, ['x', '--count', '3']).values.count).toBe(3);
  });

  it('given a required flag, when it is left out or empty, then parsing refuses it with the usage line, which shows the flag without brackets', () => {
    const spec = { name: 'demo', summary: 'd', flags: { token: { type: 'string', value: 'TOKEN', required: true, help: 'the token' }, name: { type: 'string', help: 'n' } } } as const satisfies CommandSpec;
    expect(usageLine(spec)).toBe('kubelab demo --token TOKEN [--name VALUE]');
    expect(commandHelp(spec)).toMatch(/--token TOKEN +the token \(required\)/);
    const error = thrown(() => parseCommandLine(spec, ['--name', 'x'])) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('--token is required: the token.');
    expect(error.nextStep).toContain('Usage: kubelab demo --token TOKEN [--name VALUE]');
    expect(() => parseCommandLine(spec, ['--token='])).toThrow('--token is required');
    expect(parseCommandLine(spec, ['--token', 't']).values.token).toBe('t');
  });

  it('given a number flag with a default, when it is not given, then the handler gets the default as a number (parsed once, by the declaration)', () => {
    const spec = { name: 'demo', summary: 'd', flags: { wait: { type: 'string', help: 's', default: '2.5', number: { min: 0, max: 9 } }, port: { type: 'string', help: 'p', number: { min: 0, max: 9, integer: true } } } } as const satisfies CommandSpec;
    const { values } = parseCommandLine(spec, []);
    expect(values.wait).toBe(2.5);
    expect(values.port).toBeUndefined();
    expect(parseCommandLine(spec, ['--port', '7']).values.port).toBe(7);
  });

  it('given a stray argument where none is allowed, when parsed, then it is a usage error naming it', () => {
    expect(() => parseCommandLine(LIST, ['extra'])).toThrow('Unexpected argument "extra".');
  });
});

describe('generated help', () => {
  const everyCommand: [string, CommandSpec][] = (COMMANDS as readonly CommandSpec[]).flatMap((spec) =>
    spec.subcommands ? spec.subcommands.map((s): [string, CommandSpec] => [`${spec.name} ${s.name}`, s]) : [[spec.name, spec]],
  );

  it.each(everyCommand)('given "%s", when its help is drawn, then every declared flag is in it', (_name, spec) => {
    const help = commandHelp(spec);
    for (const flag of Object.keys(spec.flags)) expect(help).toContain(`--${flag}`);
    expect(help).toContain('--help');
  });

  it('given the top help, when drawn, then every command and every flag a command owns is listed', () => {
    const help = topHelp();
    for (const [name, spec] of everyCommand) {
      expect(help).toContain(spec.hidden ? 'kubelab [connection options]' : `kubelab ${name}`);
      const shared = new Set(spec.sharedFlags ?? []);
      for (const flag of Object.keys(spec.flags)) if (!shared.has(flag)) expect(help, `${name} --${flag}`).toContain(`--${flag}`);
    }
    for (const flag of ['--workshop', '--provider', '--kubeconfig', '--context', '--name', '--no-color', '--version']) expect(help).toContain(flag);
  });

  it('given the cluster command, when its usage is drawn, then each subcommand shows its own flags', () => {
    const [up, , status] = CLUSTER.subcommands;
    expect(usageLine(up, ['cluster'])).toBe(
      'kubelab cluster up [--provider local|kind|eks|existing] [--name NAME] [--nodes N] [--merge-kubeconfig] [--yes]',
    );
    expect(usageLine(status, ['cluster'])).toContain('[--json]');
  });
});
