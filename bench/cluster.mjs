#!/usr/bin/env node
// `npm run bench:cluster`: the local cluster's lifecycle, as medians over --runs (default 5):
// warm `cluster up` until all nodes are Ready (goal ≤ 15 s), `cluster down` (goal ≤ 5 s), the
// control plane's resident memory, and the one-time cold build time the build script recorded.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { controlPlaneVersion } from './control-plane-version.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, nodes: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

const state = mkdtempSync(join(tmpdir(), 'kubelab-bench-cluster-'));
const env = { ...process.env, KUBELAB_STATE_DIR: state };
const up = [];
const down = [];
const memory = [];
try {
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    execFileSync(process.execPath, [CLI, 'cluster', 'up', '--name', 'bench', '--nodes', values.nodes], { env, stdio: 'ignore' });
    up.push((performance.now() - t) / 1000);
    const status = JSON.parse(execFileSync(process.execPath, [CLI, 'cluster', 'status', '--name', 'bench', '--json'], { env, encoding: 'utf8' }));
    // Settled memory: after the first seconds of start-up work.
    await new Promise((r) => setTimeout(r, 3000));
    const pids = status.components.map((c) => Number(/pid (\d+)/.exec(c.detail)?.[1])).filter(Boolean);
    memory.push(pids.reduce((sum, pid) => sum + rssKiB(pid), 0) / 1024);
    t = performance.now();
    execFileSync(process.execPath, [CLI, 'cluster', 'down', '--name', 'bench'], { env, stdio: 'ignore' });
    down.push((performance.now() - t) / 1000);
  }
} finally {
  rmSync(state, { recursive: true, force: true });
}
const buildFile = join(process.env.KUBELAB_CACHE_DIR ?? join(homedir(), '.cache', 'kubelab'), controlPlaneVersion(), 'bin', '.build-seconds');
const cold = existsSync(buildFile) ? `${readFileSync(buildFile, 'utf8').trim()} s (recorded by scripts/build-control-plane.sh)` : 'not recorded on this machine';
console.log(`local cluster, ${values.nodes} nodes, medians of ${runs} runs`);
console.log(`warm cluster up until all nodes Ready   ${median(up).toFixed(2)} s   (goal ≤ 15 s; runs: ${up.map((x) => x.toFixed(2)).join(', ')})`);
console.log(`cluster down                            ${median(down).toFixed(2)} s   (goal ≤ 5 s; runs: ${down.map((x) => x.toFixed(2)).join(', ')})`);
console.log(`control plane resident memory           ${median(memory).toFixed(0)} MiB (etcd, apiserver, controller-manager, scheduler, kwok)`);
console.log(`one-time cold build                     ${cold}`);
