/**
 * A newcomer's first run (issue 15), in a real terminal: no control plane built yet, so `kubelab`
 * opens at once, builds and starts the local cluster in the background with its progress in view,
 * lets the learner read lesson 1 and run its first step (which needs no cluster), holds step 2
 * until the cluster is up, then runs it.
 *
 * The cold build takes many minutes, so this test uses a STAND-IN `go` on PATH (named as such): it
 * answers the build script's few go commands, reports package compiles, waits until the test
 * releases it, then "links" by copying the real, already built binaries. Everything else is real:
 * the build script, the app, the local provider and the cluster it starts.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote, Terminal } from '../support/tmux.js';
import { CONTROL_PLANE_VERSION } from '../../src/providers/control-plane-version.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'kubelab.js');
const REAL_BIN = join(process.env.KUBELAB_CACHE_DIR ?? join(homedir(), '.cache', 'kubelab'), CONTROL_PLANE_VERSION, 'bin');
const dir = mkdtempSync(join(tmpdir(), 'kubelab-first-run-'));
const stateDir = join(dir, 'state');
const terminal = new Terminal(`kubelab-e2e-first-run-${process.pid}`);

const STAND_IN_GO = `#!/usr/bin/env bash
# Stand-in for go (test only): see test/e2e/first-run.test.ts.
case "$1 $2" in
  "mod download") echo '{"GoMod": "'"$FAKE_DIR"'/k8s.mod"}' ;;
  "get "*) exit 0 ;;
  "list -deps")
    if [[ "$*" == *Stale* ]]; then for i in $(seq 1 20); do echo s; done; else for i in $(seq 1 21); do echo "p/$i"; done; fi ;;
  "build -json")
    out=""; prev=""; for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
    for i in $(seq 1 8); do printf '{"ImportPath":"p/%s","Action":"build-output","Output":"p/%s\\\\n"}\\n' $i $i; done
    while [ ! -e "$FAKE_DIR/release" ]; do sleep 0.2; done
    for i in $(seq 9 20); do printf '{"ImportPath":"p/%s","Action":"build-output","Output":"p/%s\\\\n"}\\n' $i $i; done
    for b in kube-apiserver kube-controller-manager kube-scheduler kwok kwokctl; do cp "$REAL_BIN/$b" "$out/$b"; done
    cp "$REAL_BIN/etcd" "$out/server" ;;
  *) echo "stand-in go: unexpected: $*" >&2; exit 9 ;;
esac
`;

const down = () =>
  promisify(execFile)(process.execPath, [CLI, 'cluster', 'down', '--provider', 'local'], { env: { ...process.env, KUBELAB_STATE_DIR: stateDir, KUBELAB_CACHE_DIR: join(dir, 'cache') }, timeout: 120_000 });

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('Build the CLI first: npm run build');
  if (!existsSync(join(REAL_BIN, 'kube-apiserver'))) throw new Error(`The real control plane is not built in ${REAL_BIN}: npm run build:cluster`);
  mkdirSync(join(dir, 'go-bin'), { recursive: true });
  writeFileSync(join(dir, 'go-bin', 'go'), STAND_IN_GO);
  chmodSync(join(dir, 'go-bin', 'go'), 0o755);
  writeFileSync(join(dir, 'k8s.mod'), 'replace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n)\n');
});

afterAll(async () => {
  terminal.kill();
  await down().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the first run on a machine with no control plane built', () => {
  it('Given an empty control-plane cache, when kubelab opens, then the lessons show at once, the build shows its progress, step 1 runs meanwhile, step 2 waits for the cluster and runs once it is up', { timeout: 600_000 }, async () => {
    const env = [
      'env -u CI -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8',
      `KUBELAB_STATE_DIR=${quote(stateDir)}`,
      `KUBELAB_CACHE_DIR=${quote(join(dir, 'cache'))}`,
      `FAKE_DIR=${quote(dir)}`,
      `REAL_BIN=${quote(REAL_BIN)}`,
      `PATH=${quote(`${join(dir, 'go-bin')}:${process.env.PATH}`)}`,
      'TERM=xterm-256color',
    ];
    terminal.start([...env, `node ${quote(CLI)}`].join(' '));

    // The lessons, while the cluster is still being built: reading never waits for it.
    await terminal.see('Build a cluster', 60_000);
    await terminal.see('⏳', 60_000);
    await terminal.see('%', 60_000);
    await terminal.press('Enter');
    await terminal.see('Step 1/4: Check your tools');
    // Step 1's checks need no cluster (kubectl on PATH): it runs while the build goes on.
    await terminal.press('r');
    await terminal.see('Step passed', 120_000);
    expect(terminal.screen()).toContain('⏳');
    // Step 2 needs the cluster: it waits, saying how long is left, instead of failing.
    await terminal.press('n');
    await terminal.see('Step 2/4: Create the cluster');
    await terminal.press('r');
    await terminal.see('Needs the local cluster, being built:');
    expect(terminal.screen()).toMatch(/being built: \d+%, (about \d+ min|less than a minute) left/);
    expect(terminal.screen()).not.toContain('Step passed');

    // The build finishes; the cluster starts by itself and the step becomes runnable.
    writeFileSync(join(dir, 'release'), '');
    await terminal.see('✔ reachable', 300_000);
    // The API server answers before the app's own start has added the nodes; until it has, r says
    // "still starting … press r when it is up", as a learner would read, and presses r again.
    const deadline = Date.now() + 120_000;
    await terminal.press('r');
    while (!terminal.screen().includes('Step passed')) {
      if (Date.now() > deadline) await terminal.see('Step passed', 0);
      if (terminal.visible().includes('still starting')) await terminal.press('r');
      await new Promise((r) => setTimeout(r, 500));
    }
  });
});
