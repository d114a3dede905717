/**
 * The instructor's side as a person meets it: the built CLI's `class serve` in a real terminal,
 * a learner joining with the pasted line, and the live table showing them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubelab, ROOT } from '../support/cli.js';
import { quote, Terminal } from '../support/tmux.js';

const terminal = new Terminal(`kubelab-e2e-class-${process.pid}`, { columns: 110, rows: 24 });
afterAll(() => terminal.kill());

describe('kubelab class serve in a real terminal', () => {
  it('Given the instructor view, when a learner pastes the join line, then the learner appears in the table and q quits', async () => {
    const instructor = mkdtempSync(join(tmpdir(), 'kubelab-instructor-'));
    const learner = mkdtempSync(join(tmpdir(), 'kubelab-learner-'));
    terminal.start(`env -u CI KUBELAB_STATE_DIR=${quote(instructor)} TERM=xterm-256color node ${quote(join(ROOT, 'bin', 'kubelab.js'))} class serve --name e2e --port 0`);
    await terminal.see('No learners yet.');
    const joinLine = /kubelab class join (http:\/\/127\.0\.0\.1:\d+) --token (\S+)/.exec(terminal.screen());
    expect(joinLine).not.toBeNull();

    const joined = await kubelab(['class', 'join', joinLine![1], '--token', joinLine![2], '--name', 'Grace'], { KUBELAB_STATE_DIR: learner });
    expect(joined.code, joined.stderr).toBe(0);
    await terminal.see('Grace');
    expect(terminal.visible()).toMatch(/Class e2e · 1 learner\(s\)/);

    await terminal.press('q');
    await terminal.see('KUBELAB_EXIT=0');
  });
});
