import { readFileSync } from 'node:fs';

/** Running, as opposed to gone or a zombie waiting for a reaper (a container's PID 1 may never reap). */
export function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
