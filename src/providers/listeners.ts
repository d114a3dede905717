/**
 * Who listens on a TCP port, read from /proc: `cluster down` says a cluster is down only once
 * its ports are closed, and a port still held by the cluster's own binary names the process to end.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Socket inodes in LISTEN state on `port` (IPv4 and IPv6, any address). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (parseInt(cols[1].split(':')[1] ?? '', 16) === port) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** Something listens on `port` on this machine. */
export function isListening(port: number): boolean {
  return listeningInodes(port).size > 0;
}

/** The processes holding a listening socket on `port` (those whose /proc we may read). */
export function listenersOf(port: number): number[] {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${name}/fd/${fd}`));
        if (m && inodes.has(m[1])) {
          pids.push(Number(name));
          break;
        }
      } catch {
        // The fd closed meanwhile.
      }
    }
  }
  return pids;
}
