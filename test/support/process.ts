import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Running, as opposed to gone or a zombie waiting for a reaper (a container's PID 1 may never reap). */
export function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** The TCP addresses a process listens on ("127.0.0.1:6443"), read from /proc (IPv4 and IPv6). */
export function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // The fd closed meanwhile.
    }
  }
  const addresses: string[] = [];
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9])) continue;
      const [hex, portHex] = cols[1].split(':');
      const port = parseInt(portHex, 16);
      const host = v6 ? (/^0+$/.test(hex) ? '::' : hex.endsWith('0100007F') ? '127.0.0.1' : hex) : Buffer.from(hex, 'hex').reverse().join('.');
      addresses.push(`${host}:${port}`);
    }
  }
  return addresses;
}
