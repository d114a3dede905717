import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advanceBuild, initialBuildProgress, parseBuildLine } from '../../../src/providers/control-plane-build.js';
import { CONTROL_PLANE_VERSION } from '../../../src/providers/control-plane-version.js';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, '../../../scripts/build-control-plane.sh');

/**
 * A stand-in `go` (named as such: the real cold build takes many minutes): it answers the few
 * commands the script runs, and "builds" by printing one -json -v event per package, then writing
 * the six binaries into the -o folder as go names them (etcd's package path ends in server/v3).
 */
const FAKE_GO = `#!/usr/bin/env bash
case "$1 $2" in
  "mod download") echo '{"GoMod": "'"$FAKE_DIR"'/k8s.mod"}' ;;
  "get "*) exit 0 ;;
  "list -deps")
    if [[ "$*" == *Stale* ]]; then for i in 1 2 3 4 5 6 7 8 9 10; do echo s; done; else for i in 1 2 3 4 5 6 7 8 9 10 11; do echo "p/$i"; done; fi ;;
  "build -json")
    out=""; prev=""; for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
    for i in 1 2 3 4 5 6 7 8 9 10; do printf '{"ImportPath":"p/%s","Action":"build-output","Output":"p/%s\\\\n"}\\n' $i $i; done
    for b in kube-apiserver kube-controller-manager kube-scheduler server kwok kwokctl; do printf '#!/bin/sh\\n' > "$out/$b"; chmod +x "$out/$b"; done ;;
  *) echo "fake go: unexpected: $*" >&2; exit 9 ;;
esac
`;

describe('scripts/build-control-plane.sh with a stand-in go', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubelab-build-script-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'go'), FAKE_GO);
    chmodSync(join(dir, 'bin', 'go'), 0o755);
    writeFileSync(join(dir, 'k8s.mod'), 'replace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n)\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, FAKE_DIR: dir, KUBELAB_CACHE_DIR: join(dir, 'cache') });
  const bin = () => join(dir, 'cache', CONTROL_PLANE_VERSION, 'bin');

  it('given an empty cache, when run for a person, then stderr shows percentages and each binary, and the six land in bin/', async () => {
    const { stdout, stderr } = await run('bash', [SCRIPT], { env: env() });
    expect(stdout.trim()).toBe(bin());
    expect(stderr).toContain('compiling 10 of 11 packages');
    expect(stderr).toMatch(/compiled 10 of 10 packages \(100%\)/);
    expect(stderr).toMatch(/kube-apiserver linked \(\d of 6\)/);
    expect(stderr).toMatch(/etcd linked \(\d of 6\)/);
    for (const b of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok', 'kwokctl']) expect(existsSync(join(bin(), b)), b).toBe(true);
    expect(readFileSync(join(bin(), '.versions'), 'utf8').trim()).toBe(`${CONTROL_PLANE_VERSION} v3.5.21 v0.7.0`);
    expect(JSON.parse(readFileSync(join(bin(), '.build-profile.json'), 'utf8'))).toMatchObject({ compiled: 10, all: 11 });
    expect(existsSync(join(dir, 'cache', CONTROL_PLANE_VERSION, '.building'))).toBe(false);
  });

  it('given --json, when run, then stdout is events the progress parser reads through to the end', async () => {
    const { stdout } = await run('bash', [SCRIPT, '--json'], { env: env() });
    const progress = stdout.split('\n').filter(Boolean).reduce((p, line) => {
      const parsed = parseBuildLine(line);
      expect(parsed, line).toBeDefined();
      return advanceBuild(p, parsed!);
    }, initialBuildProgress);
    expect(progress).toMatchObject({ phase: 'done', compiled: 10, total: 10 });
    expect(progress.built).toHaveLength(6);
  });

  it('given a built cache, when run again, then it does nothing and says how long the cold build took', async () => {
    await run('bash', [SCRIPT], { env: env() });
    const { stderr } = await run('bash', [SCRIPT], { env: env() });
    expect(stderr).toMatch(/already built .* the cold build took \d+ s/);
  });
});
