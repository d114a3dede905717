/**
 * What a learner reads and copies (issue 24, items 1, 3 and 5): lesson commands with the learner's
 * --name, a block's commands one by one, and long lines wrapped, never cut.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { withClusterName } from '../../../src/engine/running/cluster-name.js';
import { Redactor } from '../../../src/engine/running/redact.js';
import { runBlock } from '../../../src/engine/running/runner.js';
import { topLevelCommands } from '../../../src/engine/shell-commands.js';
import { outputRows, wrapCodeLine, wrapText } from '../../../src/ui/code-lines.js';

const text = (spans: { text: string }[]) => spans.map((s) => s.text).join('');

describe('--name reaches the commands a lesson shows and runs', () => {
  it('Given --name walk2, then cluster up, down and status name walk2, and other commands are untouched', () => {
    expect(withClusterName('kubelab cluster up --provider local --nodes 3', 'walk2')).toBe('kubelab cluster up --name walk2 --provider local --nodes 3');
    expect(withClusterName('kubelab cluster down --provider local\nkubectl get nodes', 'walk2')).toBe('kubelab cluster down --name walk2 --provider local\nkubectl get nodes');
    expect(withClusterName('kubelab cluster status --name other', 'walk2')).toBe('kubelab cluster status --name other');
    expect(withClusterName('kubelab cluster up --provider local', undefined)).toBe('kubelab cluster up --provider local');
  });
});

describe("a block's commands", () => {
  it('Given three commands, a multi-line pipeline, an if and a heredoc, then each top-level command is one', () => {
    expect(topLevelCommands('kubectl get nodes -o wide\nkubectl get namespaces\nkubectl cluster-info')).toEqual(['kubectl get nodes -o wide', 'kubectl get namespaces', 'kubectl cluster-info']);
    const code = '# a comment\nkubectl get pods \\\n  -o wide | grep web\nif true; then\n  echo a\nfi\ncat <<EOF > x.yaml\nkind: Pod\nEOF\necho "two\nlines"\nfor i in 1 2; do echo $i; done';
    expect(topLevelCommands(code)).toEqual(['kubectl get pods \\\n  -o wide | grep web', 'if true; then\n  echo a\nfi', 'cat <<EOF > x.yaml\nkind: Pod\nEOF', 'echo "two\nlines"', 'for i in 1 2; do echo $i; done']);
  });

  it('Given a block of three commands run by the real runner, then each command is announced before its output, and the marks are never output', async () => {
    const events: string[] = [];
    const result = await runBlock('echo one\necho two\necho three', { env: { PATH: process.env.PATH ?? '' }, cwd: process.cwd() }, {
      timeoutMs: 10_000,
      expect: 'success',
      signal: new AbortController().signal,
      redactor: new Redactor(),
      onLine: (_stream, line) => events.push(line),
      onCommand: (i) => events.push(`$${i}`),
    });
    expect(result.outcome).toBe('ok');
    expect(events).toEqual(['$0', 'one', '$1', 'two', '$2', 'three']);
  });
});

describe('long lines', () => {
  it('Given an output line longer than the screen, then it wraps into rows, between words, with nothing cut', () => {
    const line = 'Error from server (Forbidden): pods is forbidden: User "rbac-user" cannot list resource "pods" in API group "" in the namespace "default"';
    const rows = outputRows({ stream: 'stderr', text: line }, 60);
    expect(rows.every((r) => r.length <= 60)).toBe(true);
    expect(rows.map((r) => r.trim()).join(' ')).toBe(line);
    expect(wrapText('3 ready replica(s) of 3', 12)).toEqual(['3 ready', 'replica(s)', 'of 3']);
  });

  it('Given a long command, then its rows end in " \\\\" and bash reads them as the same command; no ↪ anywhere', () => {
    const command = `kubectl -n rbac-test create rolebinding read-pods --role=pod-reader --user=rbac-user --dry-run=client -o yaml --field-manager="kubelab walk"`;
    const rows = wrapCodeLine([{ text: command }], 40).map(text);
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.every((r) => r.length <= 40)).toBe(true);
    expect(rows.join('\n')).not.toContain('↪');
    const words = (script: string) => execFileSync('bash', ['-c', `printf '%s\\n' ${script.replace(/^kubectl /, '')}`], { encoding: 'utf8' });
    expect(words(rows.join('\n'))).toBe(words(command));
  });

  it('Given a word longer than a row, then it breaks inside with a bare "\\\\" the shell joins back', () => {
    const url = `curl https://example.com/${'a'.repeat(70)}`;
    const rows = wrapCodeLine([{ text: url }], 30).map(text);
    expect(rows.every((r) => r.length <= 30)).toBe(true);
    expect(execFileSync('bash', ['-c', `printf '%s' ${rows.join('\n').replace(/^curl /, '')}`], { encoding: 'utf8' })).toBe(url.replace(/^curl /, ''));
  });
});

describe('prose', () => {
  it('Given a URL longer than the screen in a paragraph, then it is broken into rows, not cut', async () => {
    const { wrapSpans } = await import('../../../src/ui/markdown.js');
    const url = `https://kubernetes.io/docs/concepts/workloads/controllers/deployment/`;
    const rows = wrapSpans([{ text: `See the docs (${url}).` }], 30).map(text);
    expect(rows.every((r) => r.length <= 30)).toBe(true);
    expect(rows.join('')).toContain(url);
  });
});
