import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { COMMANDS } from '../../../src/commands/catalog.js';
import type { CommandSpec } from '../../../src/commands/declare.js';
import { completionScript, SHELLS } from '../../../src/commands/completion.js';
import { runCli } from '../../../src/main.js';

let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'kubelab-cli-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** Runs the CLI entry in process, headless, as `kubelab ARGS` would. */
async function cli(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runCli(argv, { stdout, stderr, env: { KUBELAB_STATE_DIR: stateDir, PATH: process.env.PATH }, cwd: stateDir });
  return { code, stdout: out, stderr: err };
}

/** Every command path and the flags it declares: ['validate'], ['cluster', 'up'], … */
const paths = (COMMANDS as readonly CommandSpec[]).filter((spec) => !spec.hidden).flatMap((spec) =>
  spec.subcommands ? spec.subcommands.map((s) => ({ words: [spec.name, s.name], flags: Object.keys(s.flags) })) : [{ words: [spec.name], flags: Object.keys(spec.flags) }],
);

describe('kubelab CMD --help', () => {
  it('given validate --help, when run, then it exits 0 and lists --prove, --verbose and --name', async () => {
    const { code, stdout, stderr } = await cli('validate', '--help');
    expect(stderr).toBe('');
    expect(code).toBe(ExitCode.ok);
    for (const flag of ['--prove', '--verbose', '--name', '--reporter pretty|json|junit']) expect(stdout).toContain(flag);
  });

  it.each(paths.map((p) => [p.words.join(' '), p]))('given "kubelab %s --help", when run, then it exits 0 with every flag it takes', async (_name, { words, flags }) => {
    const { code, stdout } = await cli(...words, '--help');
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toContain(`kubelab ${words.join(' ')}`);
    for (const flag of flags) expect(stdout).toContain(`--${flag}`);
  });

  it('given help as a word or -h, when run, then it prints the same help', async () => {
    const asWord = await cli('help', 'cluster', 'up');
    const short = await cli('cluster', 'up', '-h');
    expect(asWord.code).toBe(ExitCode.ok);
    expect(short.stdout).toBe(asWord.stdout);
  });

  it('given --help alone, when run, then the top help lists list --probe, validate --verbose and cluster --yes/--json/--merge-kubeconfig', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toMatch(/kubelab list .*--probe/);
    expect(stdout).toMatch(/kubelab validate [^\n]*\n?[^\n]*--verbose/);
    expect(stdout).toMatch(/kubelab cluster up [^\n]*\n?[^\n]*--merge-kubeconfig[^\n]*--yes/);
    expect(stdout).toMatch(/kubelab cluster status .*--json/);
  });
});

describe('bad command lines', () => {
  it.each([
    [['validate', '--provr', 'local'], "Unknown option '--provr'", 'Usage: kubelab validate'],
    [['cluster', 'up', '--json'], "Unknown option '--json'", 'Usage: kubelab cluster up'],
    [['cluster', 'sideways'], 'Unknown cluster command "sideways"', 'kubelab cluster down'],
    [['list', 'extra'], 'Unexpected argument "extra"', 'Usage: kubelab list'],
    [['--jsno'], "Unknown option '--jsno'", 'Usage: kubelab'],
    [['completion', 'tcsh'], 'No completion for shell "tcsh"', 'kubelab completion fish'],
    [['frobnicate'], 'Unknown command "frobnicate"', 'kubelab validate'],
  ])('given %j, when run, then it exits 2 with the message and the usage', async (argv, message, usage) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(ExitCode.usage);
    expect(stderr).toContain(message);
    expect(stderr).toContain(usage);
    expect(stdout).toBe('');
  });
});

describe('kubelab completion', () => {
  it.each(SHELLS)('given %s, when printed, then it names every command, subcommand and flag', async (shell) => {
    const { code, stdout } = await cli('completion', shell);
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toBe(completionScript(shell));
    for (const { words, flags } of paths) {
      for (const word of words) expect(stdout).toContain(word);
      for (const flag of flags) expect(stdout, `${words.join(' ')} --${flag}`).toMatch(shell === 'fish' ? new RegExp(`-l ${flag}\\b`) : new RegExp(`--${flag}\\b`));
    }
    for (const flag of ['workshop', 'provider', 'kubeconfig', 'context', 'help', 'no-color']) expect(stdout).toMatch(new RegExp(`(--|-l )${flag}\\b`));
  });

  /** What bash would offer at the end of `kubelab WORDS…` (the last word is being typed). */
  async function bashComplete(words: string[]): Promise<string[]> {
    const file = join(stateDir, 'kubelab.bash');
    await writeFile(file, completionScript('bash'));
    const line = ['kubelab', ...words];
    const script = `source ${file}; COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _kubelab; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean);
  }

  it('given the bash script, when bash parses it, then it has no syntax error', () => {
    expect(() => execFileSync('bash', ['-n'], { input: completionScript('bash') })).not.toThrow();
  });

  it('given bash, when completing, then commands, subcommands, flags and flag values come from the declarations', async () => {
    expect(await bashComplete(['va'])).toEqual(['validate']);
    expect(await bashComplete(['cluster', ''])).toEqual(['up', 'down', 'status']);
    expect(await bashComplete(['cluster', 'up', '--merge'])).toEqual(['--merge-kubeconfig']);
    expect(await bashComplete(['validate', '--reporter', ''])).toEqual(['pretty', 'json', 'junit', 'github']);
    expect(await bashComplete(['--provider', 'k'])).toEqual(['kind']);
    expect((await bashComplete(['check', '--provider', 'local', '--w'])).sort()).toEqual(['--wait', '--workshop']);
    expect(await bashComplete(['help', 'cl'])).toEqual(['cluster', 'class']);
  });
});

describe('usage and path errors come first (issue 25, item 7)', () => {
  const usage = (result: { code: number; stderr: string }) => {
    expect(result.stderr).not.toContain('Unexpected error');
    expect(result.code).toBe(ExitCode.usage);
  };

  it.each([
    [['new', 'lesson'], /kubelab new lesson needs NAME/],
    [['check'], /kubelab check needs LESSON\[\/STEP\]/],
    [['reset'], /kubelab reset needs LESSON/],
    [['class', 'join', '--token', 't'], /kubelab class join needs URL/],
    [['class', 'status'], /kubelab class status needs URL/],
    [['completion'], /kubelab completion needs SHELL/],
  ])('Given %j with its required argument missing, when run, then it is a usage error with the usage line: exit 2', async (argv, message) => {
    const result = await cli(...argv);
    usage(result);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Usage: kubelab /);
  });

  it.each([
    [['check', 'x', '--wait', 'soon'], /--wait must be a number from 0 to 86400 \(got "soon"\)/],
    [['check', 'x', '--wait=-1'], /--wait must be a number/],
    [['cluster', 'up', '--nodes', '2.5'], /--nodes must be a whole number from 1 to 100/],
    [['cluster', 'up', '--nodes', '0'], /--nodes must be a whole number from 1 to 100/],
    [['class', 'serve', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
  ])('Given %j with a bad number, when run, then the declaration refuses it: exit 2', async (argv, message) => {
    const result = await cli(...argv);
    usage(result);
    expect(result.stderr).toMatch(message);
  });

  it('Given --workshop /dev/null or a named pipe, when lint, list, validate or new lesson run, then each says it is not a workshop folder: exit 2', async () => {
    const fifo = join(stateDir, 'a-pipe');
    execFileSync('mkfifo', [fifo]);
    for (const [path, kind] of [['/dev/null', 'a device'], [fifo, 'a named pipe']]) {
      for (const argv of [['lint'], ['list'], ['validate'], ['new', 'lesson', 'x']]) {
        const result = await cli(...argv, '--workshop', path);
        usage(result);
        expect(result.stderr, argv.join(' ')).toContain(`--workshop ${path} is ${kind}, not a workshop folder.`);
      }
    }
  });

  it('Given validate --output in a folder that does not exist, or naming a folder, when run, then it is refused before any lesson runs: exit 2', async () => {
    const missing = await cli('validate', '--output', '/nonexistent/dir/r.json', '--reporter', 'json');
    usage(missing);
    expect(missing.stderr).toContain('--output /nonexistent/dir/r.json: the folder /nonexistent/dir does not exist.');
    expect(missing.stderr).not.toContain('Validating');
    const folder = await cli('validate', '--output', stateDir);
    usage(folder);
    expect(folder.stderr).toContain(`--output ${stateDir} is a folder, not a file.`);
    expect(folder.stderr).not.toContain('Validating');
  });
});

describe('cluster status on a cluster that is not there (issue 25, item 6)', () => {
  it('Given no local cluster of that name, when cluster status runs, then it says down, how to start it, and exits 3 (not usable), not 1', async () => {
    const result = await cli('cluster', 'status', '--name', 'never-made');
    expect(result.stdout).toContain('local cluster "never-made": down — no local cluster "never-made"');
    expect(result.stderr).toContain('Start it with: kubelab cluster up --name never-made');
    expect(result.code).toBe(ExitCode.environment);
  });
});
