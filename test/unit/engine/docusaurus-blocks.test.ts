import { describe, expect, it } from 'vitest';
import { extractUpstreamCommand, readUpstreamMeta } from '../../../src/engine/loading/formats/docusaurus/blocks.js';

// One test per rule of docs/eks-workshop-v2.md, "How a block is read".
describe('eks-workshop-v2 block meta', () => {
  it('given no meta, when read, then the block runs with their defaults (timeout 120, no wait, no hook)', () => {
    expect(readUpstreamMeta('')).toMatchObject({ test: true, timeoutSeconds: 120, waitSeconds: 0, hookTimeoutSeconds: 0, expectError: false, raw: false, ignored: [] });
  });

  it('given test=false, when read, then the block is not run; any other value runs it', () => {
    expect(readUpstreamMeta('test=false').test).toBe(false);
    expect(readUpstreamMeta('test=no').test).toBe(true);
  });

  it('given timeout, wait and hookTimeout, when read, then each is read as an integer like parseInt', () => {
    expect(readUpstreamMeta('timeout=300 wait=10 hookTimeout=400')).toMatchObject({ timeoutSeconds: 300, waitSeconds: 10, hookTimeoutSeconds: 400 });
    expect(readUpstreamMeta('timeout=45s').timeoutSeconds).toBe(45);
    expect(readUpstreamMeta('timeout=soon').timeoutSeconds).toBeNaN();
  });

  it('given hook=NAME, when read, then the hook name is kept', () => {
    expect(readUpstreamMeta('hook=ready').hook).toBe('ready');
  });

  it('given expectError and raw, when read, then only the exact value "true" turns them on', () => {
    expect(readUpstreamMeta('expectError=true raw=true')).toMatchObject({ expectError: true, raw: true });
    expect(readUpstreamMeta('expectError=True raw=yes')).toMatchObject({ expectError: false, raw: false });
  });

  it('given a bare word, a value holding "=" or an unknown key, when read, then it is ignored and reported with its column', () => {
    const meta = readUpstreamMeta('norun a=b=c timeout=5 colour=red');
    expect(meta.timeoutSeconds).toBe(5);
    expect(meta.ignored.map((i) => [i.text, i.column])).toEqual([
      ['norun', 0],
      ['a=b=c', 6],
      ['colour=red', 22],
    ]);
  });

  it('given two spaces between parameters, when read, then parameters are still found (split on single spaces, empties skipped)', () => {
    expect(readUpstreamMeta('timeout=5  wait=2')).toMatchObject({ timeoutSeconds: 5, waitSeconds: 2, ignored: [] });
  });
});

describe('eks-workshop-v2 command extraction', () => {
  it('given "$ " lines and output lines, when extracted, then only the commands run, without "$ "', () => {
    expect(extractUpstreamCommand('$ kubectl get ns\nNAME   STATUS\ndefault Active\n$ echo done\ndone', false).command).toBe('kubectl get ns\necho done');
  });

  it('given a command ending in a backslash, when extracted, then the next lines continue it', () => {
    expect(extractUpstreamCommand('$ kubectl wait \\\n  --for=condition=Ready \\\n  pods -A\npod/x condition met', false).command).toBe('kubectl wait \\\n  --for=condition=Ready \\\n  pods -A');
  });

  it('given a <<EOF heredoc, when extracted, then its body is part of the command up to the line containing EOF', () => {
    const text = '$ cat <<EOF > f.yaml\nkind: Pod\n$ not a command\nEOF\n$ cat f.yaml\nkind: Pod';
    expect(extractUpstreamCommand(text, false).command).toBe('cat <<EOF > f.yaml\nkind: Pod\nnot a command\nEOF\ncat f.yaml');
  });

  it('given a blank line, when extracted, then reading stops there and later "$ " lines are reported as never run', () => {
    const result = extractUpstreamCommand('$ echo one\n\n$ echo two\nout\n$ echo three', false);
    expect(result.command).toBe('echo one');
    expect(result.unreadCommandLines).toEqual([2, 4]);
  });

  it('given a blank line inside a heredoc body, when extracted, then the block ends there too (as upstream)', () => {
    expect(extractUpstreamCommand('$ cat <<EOF > f\na\n\nb\nEOF', false).command).toBe('cat <<EOF > f\na');
  });

  it('given a line starting with "$" but no space, when extracted, then it is a command with its first two characters dropped (as upstream)', () => {
    expect(extractUpstreamCommand('$(echo x)', false).command).toBe('echo x)');
  });

  it('given no "$" line, when extracted, then there is no command (upstream does not run the block)', () => {
    expect(extractUpstreamCommand('apiVersion: v1\nkind: Pod', false).command).toBe('');
  });

  it('given raw=true, when extracted, then the whole block is the command, blank lines and all', () => {
    expect(extractUpstreamCommand('echo a\n\necho b', true).command).toBe('echo a\n\necho b');
  });
});
