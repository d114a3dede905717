import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unmarkedEnv } from '../engine/running/process.js';
import { kubelabHome } from '../paths.js';
import { processStartTicks, type ProcessIdentity } from './pid-identity.js';
import type { ClusterFolders } from './local-components.js';

/**
 * The config-error controller's process beside a local cluster: started with it, started again by
 * any command that finds it gone, stopped with it. Its identity (pid and start time) is kept in the
 * cluster's state folder, so only that process is ever signalled.
 */

const recordFile = (folders: ClusterFolders) => join(folders.stateDir, 'config-errors.json');
export const configErrorsLog = (folders: ClusterFolders) => join(folders.clusterDir, 'logs', 'kubelab-config-errors.log');

function running(folders: ClusterFolders): ProcessIdentity | undefined {
  try {
    const record = JSON.parse(readFileSync(recordFile(folders), 'utf8')) as ProcessIdentity;
    return processStartTicks(record.pid) === record.startTicks ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the controller unless it runs already. Without a built dist/ (tests from source), says why and goes on. */
export async function ensureConfigErrorController(folders: ClusterFolders, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  if (running(folders)) return;
  const script = join(kubelabHome(), 'dist', 'config-errors.js');
  if (!existsSync(script)) {
    log(`  (no ${script}: pods with a missing ConfigMap or Secret key will look Ready; run npm run build)`);
    return;
  }
  const out = openSync(configErrorsLog(folders), 'a');
  try {
    // Detached, in its own session: it outlives this command, as the control plane does.
    const child = spawn(process.execPath, [script, '--kubeconfig', folders.kubeconfig], { detached: true, stdio: ['ignore', out, out], env: unmarkedEnv(env) });
    child.unref();
    const startTicks = child.pid ? processStartTicks(child.pid) : undefined;
    if (child.pid && startTicks !== undefined) await writeFile(recordFile(folders), `${JSON.stringify({ pid: child.pid, startTicks })}\n`, { mode: 0o600 });
  } finally {
    closeSync(out);
  }
}

/** Stops the controller of this cluster, if it is the process recorded (a recycled pid is left alone). */
export function stopConfigErrorController(folders: ClusterFolders): void {
  const record = running(folders);
  if (record) process.kill(record.pid, 'SIGTERM');
  rmSync(recordFile(folders), { force: true });
}
