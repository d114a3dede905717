import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { parseFlags } from '../../../src/commands/flags.js';

describe('parseFlags', () => {
  const options = { json: { type: 'boolean', default: false }, wait: { type: 'string' } } as const;

  it('given known flags and arguments, when parsed, then values and positionals come back typed', () => {
    const { values, positionals } = parseFlags(['rbac', '--json', '--wait', '5'], options, 'usage');
    expect(values).toEqual({ json: true, wait: '5' });
    expect(positionals).toEqual(['rbac']);
  });

  it('given an unknown flag, when parsed, then it is a usage error (exit 2) carrying the usage', () => {
    const error = (() => {
      try {
        parseFlags(['--jsno'], options, 'Usage: kubelab x [--json]');
      } catch (e) {
        return e;
      }
    })() as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toContain("Unknown option '--jsno'");
    expect(error.nextStep).toBe('Usage: kubelab x [--json]');
  });

  it('given a stray argument where none is allowed, when parsed, then it is a usage error naming it', () => {
    expect(() => parseFlags(['extra'], options, 'usage', 0)).toThrow('Unexpected argument "extra".');
  });
});
