import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  advanceBuild,
  buildControlPlane,
  buildPercent,
  controlPlaneStatus,
  createBuildReporter,
  estimateSecondsLeft,
  formatBuildProgress,
  initialBuildProgress,
  parseBuildLine,
  type BuildProgress,
} from '../../../src/providers/control-plane-build.js';
import { InterruptedError, EnvironmentError } from '../../../src/errors.js';
import { CONTROL_PLANE_VERSION } from '../../../src/providers/control-plane-version.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/control-plane-build');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter(Boolean);
const replay = (lines: string[], start: BuildProgress = initialBuildProgress) =>
  lines.reduce((p, line) => {
    const parsed = parseBuildLine(line);
    return parsed ? advanceBuild(p, parsed) : p;
  }, start);

describe('parseBuildLine on recorded `go build -json -v` output', () => {
  it('given a real cold build of encoding/json, when replayed, then every package event counts as one compiled package', () => {
    const lines = fixture('go-build-v-json-encoding-json.jsonl');
    const progress = replay(lines, { ...initialBuildProgress, phase: 'compile', total: lines.length });
    expect(progress.compiled).toBe(66);
    expect(progress.lastPackage).toBe('encoding/json');
    expect(progress.phase).toBe('link');
    expect(progress.output).toEqual([]);
  });

  it('given a real build that fails to compile, when replayed, then the compiler message is kept to explain it', () => {
    const progress = replay(fixture('go-build-v-json-type-error.jsonl'));
    expect(progress.output.join('')).toContain('cannot use "one" (untyped string constant) as int value');
    expect(parseBuildLine(fixture('go-build-v-json-type-error.jsonl').at(-1)!)).toEqual({ kind: 'failed', importPath: 'example.local/broken/cmd/broken' });
  });

  it('given lines that are not build events, when parsed, then they are ignored rather than miscounted', () => {
    expect(parseBuildLine('go: downloading k8s.io/api v0.33.13')).toBeUndefined();
    expect(parseBuildLine('{"Action":"something-else"}')).toBeUndefined();
    expect(parseBuildLine('null')).toBeUndefined();
  });

  it('given the script’s own events, when parsed, then plan, binaries and the end are understood', () => {
    expect(parseBuildLine('{"Action":"kubelab-plan","Total":2379,"All":2703,"Cores":2}')).toEqual({ kind: 'plan', total: 2379, all: 2703, cores: 2 });
    expect(parseBuildLine('{"Action":"kubelab-binary","Binary":"etcd","Seconds":210}')).toEqual({ kind: 'binary', binary: 'etcd', seconds: 210 });
    expect(parseBuildLine('{"Action":"kubelab-done","Dir":"/c/bin","Seconds":300}')).toEqual({ kind: 'done', dir: '/c/bin', seconds: 300 });
    expect(parseBuildLine('{"Action":"kubelab-phase","Phase":"waiting"}')).toEqual({ kind: 'phase', phase: 'waiting' });
  });
});

describe('build progress', () => {
  const planned = advanceBuild(initialBuildProgress, { kind: 'plan', total: 2000, all: 2703, cores: 2 });

  it('given a main package is compiled, when advanced, then its binary is being linked', () => {
    const p = advanceBuild(planned, { kind: 'compiled', importPath: 'go.etcd.io/etcd/server/v3' });
    expect(p.linking).toEqual(['etcd']);
    expect(buildPercent(p)).toBe(0);
  });

  it('given every package compiled but no binary written, when shown, then it says linking and 99%, never 100% early', () => {
    const p = { ...planned, compiled: 2000, phase: 'link' as const, built: ['etcd'] };
    expect(buildPercent(p)).toBe(99);
    expect(formatBuildProgress(p, 250, 2)).toMatch(/^building the local cluster: 99%, less than a minute left \(1 of 6 binaries ready; linking kube-apiserver, kube-controller-manager, kube-scheduler, kwok, kwokctl, 4m10s elapsed\)$/);
  });

  it('given nothing measured yet, when estimated, then the reference build is scaled to the cores', () => {
    expect(estimateSecondsLeft(initialBuildProgress, 0, 2)).toBe(500);
    expect(estimateSecondsLeft(initialBuildProgress, 0, 4)).toBe(250);
  });

  it('given a quarter compiled in 200 s on a busy machine, when estimated, then the pace actually kept wins over the reference', () => {
    const p = { ...planned, compiled: 500 };
    expect(estimateSecondsLeft(p, 200, 2)).toBe(Math.round(1500 * 0.4 + 40));
  });

  it('given the reporter, when packages trickle in, then it writes a line per 5% and a line per binary, not one per package', () => {
    const lines: string[] = [];
    let t = 0;
    const report = createBuildReporter((l) => lines.push(l), () => t);
    let p = planned;
    for (let i = 0; i < 2000; i++) {
      p = advanceBuild(p, { kind: 'compiled', importPath: `pkg/${i}` });
      t += 1;
      report(p, i / 10);
    }
    p = advanceBuild(p, { kind: 'binary', binary: 'kube-scheduler', seconds: 200 });
    report(p, 200);
    expect(lines.filter((l) => l.includes('packages compiled')).length).toBeLessThanOrEqual(21);
    expect(lines).toContain('kube-scheduler is built (1 of 6), 3m20s elapsed');
  });
});

describe('controlPlaneStatus and buildControlPlane', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubelab-cp-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ ...process.env, KUBELAB_CACHE_DIR: join(dir, 'cache') });

  it('given an empty cache, when asked, then it is missing with an estimate; given all six binaries, then built', () => {
    const missing = controlPlaneStatus(env(), 2);
    expect(missing).toMatchObject({ state: 'missing', estimateSeconds: 500 });
    expect(missing.missing).toHaveLength(6);
    const bin = join(dir, 'cache', CONTROL_PLANE_VERSION, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const b of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok', 'kwokctl']) writeFileSync(join(bin, b), '');
    writeFileSync(join(bin, '.build-seconds'), '287\n');
    expect(controlPlaneStatus(env(), 2)).toMatchObject({ state: 'built', builtInSeconds: 287, missing: [] });
  });

  it('given a build pid file of a live process, when asked, then it is building', () => {
    mkdirSync(join(dir, 'cache', CONTROL_PLANE_VERSION), { recursive: true });
    writeFileSync(join(dir, 'cache', CONTROL_PLANE_VERSION, '.building'), `${process.pid}\n`);
    expect(controlPlaneStatus(env(), 2)).toMatchObject({ state: 'building', buildPid: process.pid });
  });

  it('given a stand-in build script replaying recorded events, when built, then progress arrives and the bin dir comes back', async () => {
    const script = join(dir, 'fake-build.sh');
    const events = join(FIXTURES, 'go-build-v-json-encoding-json.jsonl');
    writeFileSync(script, `echo '{"Action":"kubelab-plan","Total":66,"All":67,"Cores":2}'\ncat '${events}'\necho '{"Action":"kubelab-done","Dir":"/fake/bin","Seconds":1}'\n`);
    const seen: BuildProgress[] = [];
    const result = await buildControlPlane({ signal: new AbortController().signal, script, onProgress: (p) => seen.push(p) });
    expect(result.binDir).toBe('/fake/bin');
    expect(seen.some((p) => p.compiled === 33)).toBe(true);
    expect(seen.at(-1)?.phase).toBe('done');
  });

  it('given a stand-in build that fails, when built, then an environment error carries the compiler message', async () => {
    const script = join(dir, 'fake-build.sh');
    writeFileSync(script, `cat '${join(FIXTURES, 'go-build-v-json-type-error.jsonl')}'\nexit 1\n`);
    const error = await buildControlPlane({ signal: new AbortController().signal, script }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toContain('cannot use "one"');
  });

  it('given a running build with a child process, when aborted, then the whole process group is gone and it says interrupted', async () => {
    const script = join(dir, 'slow-build.sh');
    const childPidFile = join(dir, 'child.pid');
    // The grandchild stands in for go and its compilers.
    writeFileSync(script, `sleep 300 & echo $! > '${childPidFile}'\necho '{"Action":"kubelab-plan","Total":10,"All":10,"Cores":2}'\nwait\n`);
    chmodSync(script, 0o755);
    const controller = new AbortController();
    const building = buildControlPlane({
      signal: controller.signal,
      script,
      onProgress: (p) => {
        if (p.phase === 'compile') controller.abort();
      },
    });
    await expect(building).rejects.toBeInstanceOf(InterruptedError);
    const pid = Number(readFileSync(childPidFile, 'utf8'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return existsSync(`/proc/${pid}`) && !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
  });
});

describe('a recorded run of build-control-plane.sh --json', () => {
  // Recorded from a real cold build (empty Go build cache) on the shared 2-core machine, up to the
  // first binary it linked (kube-apiserver, after 2259 s at a load average near 20); the middle is
  // cut out to keep the file small: the first packages, those before the link, the script's events.
  const lines = fixture('build-script-json-cold.jsonl');

  it('given the recording, when replayed, then the plan and the linked binary come out as the script reported them', () => {
    expect(lines.map(parseBuildLine).find((l) => l?.kind === 'plan')).toEqual({ kind: 'plan', total: 2703, all: 2703, cores: 2 });
    const progress = replay(lines);
    expect(progress.compiled).toBe(lines.filter((l) => parseBuildLine(l)?.kind === 'compiled').length);
    expect(progress.linking).toContain('kube-apiserver');
    expect(progress.built).toEqual(['kube-apiserver']);
    expect(progress.phase).toBe('compile');
    expect(progress.output).toEqual([]);
  });

  it('given the recording, when shown, then the line says one binary is ready and how many packages are compiled', () => {
    const progress = replay(lines);
    expect(formatBuildProgress(progress, 2259, 2)).toMatch(/^building the local cluster: \d%, about \d+ min left \(1 of 6 binaries ready; \d+ of 2703 packages compiled, 37m39s elapsed\)$/);
  });
});
