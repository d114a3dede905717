import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classCommand } from '../../../src/commands/class.js';
import { runCommand } from '../../support/command.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelab-class-cmd-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runCommand(classCommand, argv, { env: { KUBELAB_STATE_DIR: dir }, cwd: dir });

describe('kubelab class (flags)', () => {
  it.each([
    [['serve', '--port', 'eighty'], /--port must be a whole number/],
    [['serve', '--name', '../etc/passwd'], /is not a class name/],
    [['serve', '--stuck-minutes', '0'], /--stuck-minutes must be a number/],
    [['serve', '--verbose'], /Unknown option '--verbose'/],
    [['join', 'http://127.0.0.1:1'], /--token is required/],
    [['join', 'ftp://x', '--token', 't'], /must start with http/],
    [['status', '--token', 't'], /kubelab class status needs URL/],
    [['dance'], /Unknown class command "dance"/],
  ])('Given %j, when run, then it exits 2 with a clear message', async (argv, message) => {
    const { code, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('Given no class joined, when leaving, then it says so and exits 0', async () => {
    const { code, stderr } = await run('leave');
    expect(code).toBe(0);
    expect(stderr).toContain('not in a class');
  });

  it('Given nothing listening, when joining, then it exits 3 saying the server cannot be reached', async () => {
    const { code, stderr } = await run('join', 'http://127.0.0.1:9', '--token', 't', '--name', 'ada');
    expect(code).toBe(3);
    expect(stderr).toMatch(/Cannot reach the class server at http:\/\/127\.0\.0\.1:9/);
  });
});
