import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandPathEscapes } from '../../../src/engine/confine.js';
import { DiagnosticBag, formatDiagnostic } from '../../../src/engine/diagnostics.js';
import { lintWorkshop } from '../../../src/engine/loading/lint.js';
import { loadWorkshop } from '../../../src/engine/loading/sources.js';
import { commandWords, shellCommands } from '../../../src/engine/shell-words.js';

const texts = (code: string) => shellCommands(code).map((item) => (item.kind === 'command' ? `${item.line}: ${commandWords(item.words).map((w) => w.text).join(' ')}` : `${item.line}: ${item.kind}`));

describe('shell words (issue 25, item 8)', () => {
  it('given quotes, escapes, expansions, comments, continuations, redirections and a heredoc, when split, then each command has its words and its own line', () => {
    const code = [
      'kubectl apply -f "my file.yaml" > out.log 2>&1 # a comment -f ../../x',
      "echo 'a; b' && kubectl get pods \\",
      '  -n default',
      'cat <<EOF | kubectl apply -f -',
      'kind: ConfigMap # -f ../../../inside-heredoc',
      'EOF',
      'kubectl apply -f "$(pwd)/x.yaml"; sudo -u admin kubectl get ns',
    ].join('\n');
    expect(texts(code)).toEqual(['0: kubectl apply -f my file.yaml', '1: echo a; b', '1: kubectl get pods -n default', '3: cat', '3: kubectl apply -f -', '6: kubectl apply -f $(pwd)/x.yaml', '6: kubectl get ns']);
    const expanded = shellCommands(code).find((item) => item.kind === 'command' && item.line === 6);
    expect(expanded?.kind === 'command' && expanded.words[3].expands).toBe(true);
  });

  it('given sudo, env assignments, env, time, timeout and nohup in front, when read, then the command is the tool after them', () => {
    expect(texts('KUBECONFIG=/tmp/k A=1 kubectl get pods')).toEqual(['0: kubectl get pods']);
    expect(texts('sudo -E -u root kubectl get pods')).toEqual(['0: kubectl get pods']);
    expect(texts('env -i PATH=/bin time -p kubectl version')).toEqual(['0: kubectl version']);
    expect(texts('timeout -s KILL 30 nohup kubectl logs -f x')).toEqual(['0: kubectl logs -f x']);
  });

  it('given a subshell, when split, then its start and end are marked', () => {
    expect(texts('(cd ../.. && kubectl get pods)\nkubectl version')).toEqual(['0: subshell-start', '0: cd ../..', '0: kubectl get pods', '0: subshell-end', '1: kubectl version']);
  });
});

describe('the command path rule, read with the tokenizer (issue 25, item 8)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kubelab-words-'));
  const lesson = join(root, 'lessons', 'one');
  mkdirSync(lesson, { recursive: true });

  it('given sudo, env-assignment and time forms climbing out, and a cd out inside a subshell, when checked, then each is found at its own line and the subshell cd does not leak', () => {
    const code = [
      'sudo kubectl apply -f ../../../x.yaml',
      'KUBECONFIG=/tmp/k kubectl apply -f ../../../y.yaml',
      'time kubectl apply -f ../../../z.yaml',
      '(cd ../../.. && kubectl apply -f w.yaml)',
      'kubectl apply -f app.yaml',
      'tail -f ../../../log.txt',
    ].join('\n');
    const { cwd, problems } = commandPathEscapes(root, lesson, code);
    expect(problems.map((p) => `${p.line}: ${p.kind} ${p.path}`)).toEqual(['0: file ../../../x.yaml', '1: file ../../../y.yaml', '2: file ../../../z.yaml', '3: cd ../../..', '3: file w.yaml']);
    expect(cwd).toBe(lesson);
  });

  it('given a block in the `$ ` prompt style with sample output between commands, when linted, then the problem is at the command\'s own line of the file', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'kubelab-prompt-'));
    mkdirSync(join(ws, 'lessons', 'one'), { recursive: true });
    writeFileSync(join(ws, 'workshop.yaml'), 'id: w\ntitle: W\ndescription: d\nlessons: [one]\nproviders: [local]\n');
    const file = join(ws, 'lessons', 'one', 'lesson.md');
    writeFileSync(file, '---\nid: one\ntitle: One\nminutes: 1\n---\n\n## Apply\n\n```bash\n$ kubectl get pods\nNAME   READY\nweb    1/1\n$ kubectl apply -f ../../../x.yaml\n```\n\n```yaml step\nunchecked: "a demo of where lint points"\n```\n');
    const { workshop, diagnostics } = await loadWorkshop(ws);
    const bag = new DiagnosticBag();
    lintWorkshop(workshop!, new Map(), bag);
    expect(diagnostics.items).toEqual([]);
    // Line 13 of the file: the fence is line 9, then two commands' worth of prompt and output.
    expect(bag.items.map(formatDiagnostic)).toContainEqual(expect.stringMatching(new RegExp(`^${file}:13:1: command file "../../../x.yaml" is outside`)));
  });
});
