/**
 * `kubelab bundle` (issue 24, item 13): one archive with what a maintainer needs, every secret of
 * the hardening tests' corpus redacted wherever it hid (step output, check results, component
 * logs, the environment, the kubeconfig, the workspace).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProgress, updateStep } from '../../../src/engine/running/progress.js';
import { tarGz } from '../../../src/engine/running/tar.js';
import type { Workshop } from '../../../src/engine/types.js';
import { localPaths } from '../../../src/providers/local.js';
import { writeBundle } from '../../../src/services/bundle.js';
import { leaks, secretCorpus } from '../../support/secret-corpus.js';

const unpack = (file: string): Record<string, string> => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-unpacked-'));
  execFileSync('tar', ['-xzf', file, '-C', dir]);
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(d, name.name), `${prefix}${name.name}/`);
      else out[`${prefix}${name.name}`] = readFileSync(join(d, name.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
};

describe('the tar writer', () => {
  it('Given two files, one in a folder, then the system tar lists and extracts them as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-tar-'));
    const file = join(dir, 'x.tar.gz');
    writeFileSync(file, tarGz([{ name: 'b/a.txt', content: 'hello\n' }, { name: 'b/logs/empty.log', content: '' }]));
    expect(execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(['b/a.txt', 'b/logs/empty.log']);
    expect(unpack(file)).toEqual({ 'b/a.txt': 'hello\n', 'b/logs/empty.log': '' });
  });
});

describe('kubelab bundle', () => {
  it('Given every secret of the corpus in the step output, the check results, a component log, the environment and the workspace, then the unpacked bundle holds none of them and holds what a maintainer needs', async () => {
    const state = mkdtempSync(join(tmpdir(), 'kubelab-bundle-'));
    const workshop = { id: 'leaky', title: 'Leaky', description: '', dir: state, variables: {}, providers: ['local'], lessons: [] } as unknown as Workshop;
    const corpus = secretCorpus(state, join(state, 'workspace', workshop.id));
    const env = { ...corpus.env, KUBELAB_STATE_DIR: state, PATH: process.env.PATH };
    // What each case prints, as a step's commands would have shown it.
    const printed = corpus.cases.map((c) => execFileSync('bash', ['-c', c.print], { encoding: 'utf8', env: { ...process.env, ...corpus.env } }));
    const logs = join(localPaths('kubelab', env).clusterDir, 'logs');
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, 'kube-apiserver.log'), `I1203 started\n${printed.join('')}E1203 the end\n`);
    const lastStep = {
      at: '2026-12-03T17:00:00Z',
      lessonId: 'rbac',
      stepId: 'create-user',
      title: 'Create a user',
      status: 'failed',
      message: `command failed: ${printed[0]}`,
      blocks: [{ code: corpus.cases.map((c) => c.print).join('\n'), output: printed.join('').split('\n') }],
      checks: [{ id: 'can-i', status: 'fail' as const, message: printed[4], expected: printed[5], actual: printed[9], hint: printed[12], durationMs: 42 }],
    };
    const file = await writeBundle(
      {
        workshop,
        progress: updateStep(emptyProgress(workshop.id), 'rbac', 'create-user', { status: 'failed' }),
        key: { provider: 'local', name: 'kubelab', isDefault: true },
        connection: { provider: 'local', name: 'kubelab', kubeconfig: corpus.kubeconfig, context: 'c', simulated: true, variables: {} },
        lastStep,
        env,
        signal: new AbortController().signal,
      },
      join(state, 'bundle.tar.gz'),
      state,
    );
    const files = unpack(file);
    expect(Object.keys(files).sort()).toEqual(
      ['README.txt', 'cluster-status.json', 'doctor.txt', 'last-step.txt', 'logs/kube-apiserver.log', 'progress.json', 'versions.txt', 'workshop.json'].map((f) => `kubelab-bundle/${f}`),
    );
    const all = Object.values(files).join('\n');
    expect(leaks(corpus, all)).toEqual([]);
    // What it is for is still there.
    expect(files['kubelab-bundle/versions.txt']).toMatch(/^kubelab \d/);
    expect(files['kubelab-bundle/last-step.txt']).toContain('rbac/create-user: Create a user');
    expect(files['kubelab-bundle/last-step.txt']).toContain('fail can-i (42 ms)');
    expect(files['kubelab-bundle/logs/kube-apiserver.log']).toContain('E1203 the end');
    expect(files['kubelab-bundle/doctor.txt']).toContain('kubectl');
    expect(files['kubelab-bundle/progress.json']).toContain('"create-user"');
    expect(all).toContain('[REDACTED]');
  }, 60_000);
});
