/**
 * Usage errors through the built CLI (bin/kubelab.js, as a learner types it): a missing required
 * argument or a bad number is refused by the command's declaration before the command runs, with
 * the usage line and exit 2. Needs `npm run build` first; no cluster is used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATCH_UP, CHECK, CLASS, CLASS_JOIN, CLASS_SERVE, CLASS_STATUS, CLUSTER, CLUSTER_UP, COMPLETION, NEW, NEW_LESSON, RESET } from '../../src/commands/catalog.js';
import { usageLine, type CommandSpec } from '../../src/commands/declare.js';
import { ExitCode } from '../../src/errors.js';
import { kubelab } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'kubelab-usage-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A folder with no workshop and a state folder of its own: nothing but the command line can answer. */
const run = (argv: string[]) => kubelab(argv, { KUBELAB_STATE_DIR: join(work, 'state'), CI: 'true' }, { cwd: work, timeoutMs: 60_000 });

/** The usage line the declaration generates, as the error shows it (`Usage: kubelab …`). */
const usageOf = (spec: CommandSpec, parent?: CommandSpec) => `Usage: ${usageLine(spec, parent ? [parent.name] : [])}`;

function expectUsageError(result: { code: number; stderr: string; stdout: string }, message: string, usage: string) {
  expect(result.stderr).not.toContain('Unexpected error');
  expect(result.stderr).toContain(message);
  expect(result.stderr).toContain(usage);
  expect(result.stdout).toBe('');
  expect(result.code).toBe(ExitCode.usage);
}

describe('a required argument left out, through the built CLI', () => {
  it.each([
    { argv: ['new', 'lesson'], message: 'kubelab new lesson needs NAME', usage: usageOf(NEW_LESSON, NEW) },
    { argv: ['check'], message: 'kubelab check needs LESSON[/STEP]', usage: usageOf(CHECK) },
    { argv: ['check', '--wait', '5', '--provider', 'local'], message: 'kubelab check needs LESSON[/STEP]', usage: usageOf(CHECK) },
    { argv: ['reset'], message: 'kubelab reset needs LESSON', usage: usageOf(RESET) },
    { argv: ['reset', '--cleanup'], message: 'kubelab reset needs LESSON', usage: usageOf(RESET) },
    { argv: ['class', 'join'], message: 'kubelab class join needs URL', usage: usageOf(CLASS_JOIN, CLASS) },
    { argv: ['class', 'join', '--token', 'abc'], message: 'kubelab class join needs URL', usage: usageOf(CLASS_JOIN, CLASS) },
    { argv: ['class', 'status'], message: 'kubelab class status needs URL', usage: usageOf(CLASS_STATUS, CLASS) },
    { argv: ['catch-up'], message: 'kubelab catch-up needs LESSON[/STEP]', usage: usageOf(CATCH_UP) },
    { argv: ['completion'], message: 'kubelab completion needs SHELL', usage: usageOf(COMPLETION) },
  ])('Given kubelab $argv, when run, then it says what is missing, shows the usage line and exits 2', async ({ argv, message, usage }) => {
    expectUsageError(await run(argv), message, usage);
  });
});

describe('a required flag left out, through the built CLI', () => {
  it.each([
    { argv: ['class', 'join', 'http://127.0.0.1:7420'], message: "--token is required: the class token, from the instructor's join line.", usage: usageOf(CLASS_JOIN, CLASS) },
    { argv: ['class', 'status', 'http://127.0.0.1:7420', '--json'], message: '--token is required: the instructor token', usage: usageOf(CLASS_STATUS, CLASS) },
  ])('Given kubelab $argv, when run, then it names the flag, shows the usage line (the flag unbracketed) and exits 2', async ({ argv, message, usage }) => {
    expect(usage).toContain(' URL --token TOKEN');
    expectUsageError(await run(argv), message, usage);
  });
});

describe('a number flag that is not a number in its range, through the built CLI', () => {
  it.each([
    { argv: ['check', 'rbac', '--wait', 'soon'], message: '--wait must be a number from 0 to 86400 (got "soon").', usage: usageOf(CHECK) },
    { argv: ['check', 'rbac', '--wait=-1'], message: '--wait must be a number from 0 to 86400 (got "-1").', usage: usageOf(CHECK) },
    { argv: ['check', 'rbac', '--wait', ''], message: '--wait must be a number from 0 to 86400 (got "").', usage: usageOf(CHECK) },
    { argv: ['cluster', 'up', '--nodes', '2.5'], message: '--nodes must be a whole number from 1 to 100 (got "2.5").', usage: usageOf(CLUSTER_UP, CLUSTER) },
    { argv: ['cluster', 'up', '--nodes', '0'], message: '--nodes must be a whole number from 1 to 100 (got "0").', usage: usageOf(CLUSTER_UP, CLUSTER) },
    { argv: ['cluster', 'up', '--nodes', '1e1'], message: '--nodes must be a whole number from 1 to 100 (got "1e1").', usage: usageOf(CLUSTER_UP, CLUSTER) },
    { argv: ['class', 'serve', '--port', '70000'], message: '--port must be a whole number from 0 to 65535 (got "70000").', usage: usageOf(CLASS_SERVE, CLASS) },
    { argv: ['class', 'serve', '--stuck-minutes', 'five'], message: '--stuck-minutes must be a number from 0.1 to 1440 (got "five").', usage: usageOf(CLASS_SERVE, CLASS) },
  ])('Given kubelab $argv, when run, then the declaration refuses the number with the usage line: exit 2', async ({ argv, message, usage }) => {
    expectUsageError(await run(argv), message, usage);
  });
});
