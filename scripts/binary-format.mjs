// What executable format and CPU a file was built for, read from its first bytes: the release's
// check that a cross-compiled binary is what its platform package claims (ELF for Linux, Mach-O
// for macOS, and the right CPU), without needing that platform to run it.
import { closeSync, openSync, readSync } from 'node:fs';

/** Per platform id (npm's os-cpu): the format and machine field expected in the header. */
export const EXPECTED_FORMAT = {
  'linux-x64': { format: 'elf', machine: 0x3e, label: 'ELF x86-64' },
  'linux-arm64': { format: 'elf', machine: 0xb7, label: 'ELF AArch64' },
  'darwin-arm64': { format: 'macho', machine: 0x0100000c, label: 'Mach-O arm64' },
  'darwin-x64': { format: 'macho', machine: 0x01000007, label: 'Mach-O x86_64' },
};

/** ELF: magic 7f 'E' 'L' 'F', e_machine at byte 18. Mach-O 64-bit: magic 0xfeedfacf, cputype at byte 4 (both little-endian here). */
export function binaryFormat(file) {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) === 0x7f454c46) return { format: 'elf', machine: header.readUInt16LE(18) };
  if (header.readUInt32LE(0) === 0xfeedfacf) return { format: 'macho', machine: header.readUInt32LE(4) };
  return { format: 'unknown', machine: 0 };
}

/** Undefined when the file is what the platform needs, else why not. */
export function formatProblem(file, platform) {
  const expected = EXPECTED_FORMAT[platform];
  const found = binaryFormat(file);
  if (found.format === expected.format && found.machine === expected.machine) return undefined;
  const named = Object.values(EXPECTED_FORMAT).find((f) => f.format === found.format && f.machine === found.machine);
  return `is not ${expected.label} (found ${named ? named.label : `${found.format}, machine 0x${found.machine.toString(16)}`})`;
}
