/**
 * Progress belongs to a cluster (provider and name) and is shared with other terminals: issue 24,
 * items 2 and 3.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProgress, lastUsedCluster, loadProgress, progressFile, resetLesson, saveProgress, updateStep, type ClusterKey } from '../../../src/engine/running/progress.js';
import { mergeProgress, ProgressSync } from '../../../src/engine/running/progress-sync.js';
import { clusterKey } from '../../../src/services/connection.js';

const freshEnv = () => ({ KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-progress-')) });
const LOCAL: ClusterKey = { provider: 'local', name: 'kubelab', isDefault: true };
const WALK2: ClusterKey = { provider: 'local', name: 'walk2', isDefault: false };

describe('progress per cluster', () => {
  it('Given lesson 1 done on the usual cluster, when a cluster named walk2 is opened, then its progress is empty', async () => {
    const env = freshEnv();
    await saveProgress(updateStep(emptyProgress('w'), 'cluster', 'create', { status: 'passed' }), env, LOCAL);
    expect((await loadProgress('w', env, LOCAL)).progress.steps.cluster?.create?.status).toBe('passed');
    expect((await loadProgress('w', env, WALK2)).progress.steps).toEqual({});
  });

  it('Given a progress file of an older kubelab, when the usual cluster is opened, then its steps are there and the old file is left in place', async () => {
    const env = freshEnv();
    const legacy = progressFile('w', env);
    mkdirSync(dirname(legacy), { recursive: true });
    const old = JSON.stringify(updateStep({ ...emptyProgress('w'), provider: 'local' }, 'rbac', 'grant', { status: 'passed' }));
    writeFileSync(legacy, old);
    const { progress } = await loadProgress('w', env, LOCAL);
    expect(progress.steps.rbac.grant.status).toBe('passed');
    // Not for another name, nor another provider.
    expect((await loadProgress('w', env, WALK2)).progress.steps).toEqual({});
    expect((await loadProgress('w', env, { provider: 'kind', name: 'kubelab', isDefault: true })).progress.steps).toEqual({});
    await saveProgress(updateStep(progress, 'rbac', 'see', { status: 'passed' }), env, LOCAL);
    expect(readFileSync(legacy, 'utf8')).toBe(old);
    expect(existsSync(progressFile('w', env, LOCAL))).toBe(true);
  });

  it('Given the learner last used kind, then that is the provider remembered', async () => {
    const env = freshEnv();
    await saveProgress({ ...emptyProgress('w'), provider: 'kind' }, env, { provider: 'kind', name: 'kubelab', isDefault: true });
    expect((await lastUsedCluster('w', env)).provider).toBe('kind');
  });

  it('Given --name walk2, then the key is the provider and that name, not the usual one', () => {
    expect(clusterKey({ name: 'walk2' }, 'local')).toEqual(WALK2);
    expect(clusterKey({}, 'eks')).toEqual({ provider: 'eks', name: 'eks-workshop', isDefault: true });
  });
});

describe('progress shared with other terminals', () => {
  it('Given the app has lesson 3 done, when another terminal resets it and the app then saves a hint, then lesson 3 stays reset on disk and in the app', async () => {
    const env = freshEnv();
    let mine = updateStep(updateStep(emptyProgress('w'), 'rbac', 'a', { status: 'passed' }), 'rbac', 'b', { status: 'passed' });
    await saveProgress(mine, env, LOCAL);
    const sync = new ProgressSync((await loadProgress('w', env, LOCAL)).progress, env, LOCAL);
    mine = (await loadProgress('w', env, LOCAL)).progress;

    // Another terminal: kubelab reset rbac.
    const other = (await loadProgress('w', env, LOCAL)).progress;
    await saveProgress(resetLesson(other, 'rbac'), env, LOCAL);

    const written = await sync.save(updateStep(mine, 'cluster', 'create', { hintsRevealed: 1 }));
    expect(written.steps.rbac).toBeUndefined();
    expect(written.steps.cluster.create.hintsRevealed).toBe(1);
    const onDisk = JSON.parse(readFileSync(progressFile('w', env, LOCAL), 'utf8'));
    expect(onDisk.steps.rbac).toBeUndefined();
  });

  it('Given another terminal wrote the file, when the app looks again, then it gets the merged progress; when nobody did, nothing', async () => {
    const env = freshEnv();
    await saveProgress(updateStep(emptyProgress('w'), 'rbac', 'a', { status: 'passed' }), env, LOCAL);
    const mine = (await loadProgress('w', env, LOCAL)).progress;
    const sync = new ProgressSync(mine, env, LOCAL);
    expect(await sync.reload(mine)).toBeUndefined();
    await saveProgress(resetLesson(mine, 'rbac'), env, LOCAL);
    const merged = await sync.reload(mine);
    expect(merged?.steps.rbac).toBeUndefined();
  });

  it('Given a step the app changed and another the file changed, then the merge keeps both changes', () => {
    const base = updateStep(updateStep(emptyProgress('w'), 'l', 'a', { status: 'failed' }), 'l', 'b', { status: 'passed' });
    const mine = updateStep(base, 'l', 'a', { status: 'passed' });
    const theirs = { ...base, steps: { l: { a: base.steps.l.a } } };
    const merged = mergeProgress(base, mine, theirs);
    expect(merged.steps.l.a.status).toBe('passed');
    expect(merged.steps.l.b).toBeUndefined();
  });
});
