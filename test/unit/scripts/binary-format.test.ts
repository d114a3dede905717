import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of the release tooling, without type declarations
import { binaryFormat, formatProblem } from '../../../scripts/binary-format.mjs';

const dir = mkdtempSync(join(tmpdir(), 'kubelab-binfmt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first 20 bytes of a real 64-bit ELF or Mach-O file (the rest is never read). */
function header(kind: 'elf' | 'macho', machine: number): string {
  const bytes = Buffer.alloc(64);
  if (kind === 'elf') {
    bytes.write('\x7fELF', 0, 'latin1');
    bytes[4] = 2; // 64-bit
    bytes[5] = 1; // little-endian
    bytes.writeUInt16LE(2, 16); // ET_EXEC
    bytes.writeUInt16LE(machine, 18);
  } else {
    bytes.writeUInt32LE(0xfeedfacf, 0);
    bytes.writeUInt32LE(machine, 4);
  }
  const file = join(dir, `${kind}-${machine.toString(16)}`);
  writeFileSync(file, bytes);
  return file;
}

describe('the release check of a binary’s format (scripts/binary-format.mjs)', () => {
  it('given headers of the four platforms, when read, then format and CPU are told apart', () => {
    expect(binaryFormat(header('elf', 0x3e))).toEqual({ format: 'elf', machine: 0x3e });
    expect(formatProblem(header('elf', 0x3e), 'linux-x64')).toBeUndefined();
    expect(formatProblem(header('elf', 0xb7), 'linux-arm64')).toBeUndefined();
    expect(formatProblem(header('macho', 0x0100000c), 'darwin-arm64')).toBeUndefined();
    expect(formatProblem(header('macho', 0x01000007), 'darwin-x64')).toBeUndefined();
  });

  it('given a binary of the wrong OS or CPU, when checked, then the problem names what was expected and what was found', () => {
    expect(formatProblem(header('macho', 0x01000007), 'darwin-arm64')).toBe('is not Mach-O arm64 (found Mach-O x86_64)');
    expect(formatProblem(header('elf', 0x3e), 'darwin-x64')).toBe('is not Mach-O x86_64 (found ELF x86-64)');
    const script = join(dir, 'script.sh');
    writeFileSync(script, '#!/bin/sh\necho not a binary, but long enough to read twenty bytes\n');
    expect(formatProblem(script, 'linux-x64')).toBe('is not ELF x86-64 (found unknown, machine 0x0)');
  });
});
