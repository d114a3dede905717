import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { emptyProgress, lessonState, loadProgress, progressFile, resetLesson, saveProgress, updateStep } from '../../../src/engine/running/progress.js';

const freshEnv = () => ({ KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-progress-')) });

describe('progress', () => {
  it('given no file, when loaded, then progress starts empty and schema-versioned', async () => {
    const { progress, warning } = await loadProgress('w', freshEnv());
    expect(progress).toEqual({ schemaVersion: 1, workshop: 'w', steps: {} });
    expect(warning).toBeUndefined();
  });

  it('given a step update, when saved and loaded again, then the step and the current position come back', async () => {
    const env = freshEnv();
    const { progress } = await loadProgress('w', env);
    await saveProgress(updateStep(progress, 'rbac', 'create-user', { status: 'passed', hintsRevealed: 2 }), env);
    const again = (await loadProgress('w', env)).progress;
    expect(again.current).toEqual({ lessonId: 'rbac', stepId: 'create-user' });
    expect(again.steps.rbac['create-user']).toMatchObject({ status: 'passed', hintsRevealed: 2, solutionShown: false });
  });

  it('given a save, when it finishes, then no temp file is left beside the progress file', async () => {
    const env = freshEnv();
    const { progress } = await loadProgress('w', env);
    await Promise.all([1, 2, 3].map((n) => saveProgress(updateStep(progress, 'l', `s${n}`, { status: 'passed' }), env)));
    const dir = dirname(progressFile('w', env));
    expect(readdirSync(dir)).toEqual(['w.json']);
    expect(() => JSON.parse(readFileSync(progressFile('w', env), 'utf8'))).not.toThrow();
  });

  it('given a corrupt file, when loaded, then it is moved aside with a warning and progress starts fresh', async () => {
    const env = freshEnv();
    const file = progressFile('w', env);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{"schemaVersion": 1, "workshop": "w", "steps": {');
    const { progress, warning } = await loadProgress('w', env);
    expect(progress.steps).toEqual({});
    expect(warning).toMatch(/unreadable .* moved to .*corrupt/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dirname(file)).some((f) => f.startsWith('w.json.corrupt-'))).toBe(true);
  });

  it('given a file written by a newer kubelab, when loaded and saved, then it says so and the file is left exactly as it was', async () => {
    const env = freshEnv();
    const file = progressFile('w', env);
    mkdirSync(dirname(file), { recursive: true });
    const newer = JSON.stringify({ schemaVersion: 99, workshop: 'w', steps: { l: { s: { status: 'passed', extra: 'from the future' } } } });
    writeFileSync(file, newer);
    const { progress, warning } = await loadProgress('w', env);
    expect(warning).toMatch(/written by a newer kubelab/);
    expect(warning).toMatch(/not saved/);
    expect(warning).not.toMatch(/corrupt|unreadable/);
    await saveProgress(updateStep(progress, 'l', 's2', { status: 'passed' }), env);
    expect(readFileSync(file, 'utf8')).toBe(newer);
    expect(readdirSync(dirname(file))).toEqual(['w.json']);
  });

  it('given a progress path that is a directory, when loaded or saved, then it is an environment problem (exit 3) naming the path', async () => {
    const env = freshEnv();
    const file = progressFile('w', env);
    mkdirSync(file, { recursive: true });
    const loading = loadProgress('w', env);
    await expect(loading).rejects.toBeInstanceOf(EnvironmentError);
    await expect(loading).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining(`${file} is a directory`) });
    await expect(saveProgress(emptyProgress('w'), env)).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining(file) });
  });

  it('given temp files of interrupted writes, when progress is loaded, then stale ones are removed and a live writer’s is kept', async () => {
    const env = freshEnv();
    const file = progressFile('w', env);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(emptyProgress('w')));
    // A pid that cannot be running (above pid_max), and this process (alive, writing right now).
    const dead = `w.json.4194399.deadbeef.tmp`;
    const live = `w.json.${process.pid}.cafe0123.tmp`;
    const old = `w.json.${process.pid}.0badf00d.tmp`;
    for (const name of [dead, live, old]) writeFileSync(join(dirname(file), name), '{"half');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(dirname(file), old), hourAgo, hourAgo);
    writeFileSync(join(dirname(file), 'other.json.4194399.deadbeef.tmp'), 'another workshop’s');
    await loadProgress('w', env);
    expect(readdirSync(dirname(file)).sort()).toEqual(['other.json.4194399.deadbeef.tmp', live, 'w.json'].sort());
  });

  it('given passed and skipped steps, when the lesson state is asked, then done / in progress / not started follow', () => {
    let p = { schemaVersion: 1 as const, workshop: 'w', steps: {} };
    expect(lessonState(p, 'l', ['a', 'b'])).toBe('not-started');
    p = updateStep(p, 'l', 'a', { status: 'passed' });
    expect(lessonState(p, 'l', ['a', 'b'])).toBe('in-progress');
    p = updateStep(p, 'l', 'b', { status: 'skipped' });
    expect(lessonState(p, 'l', ['a', 'b'])).toBe('done');
    expect(lessonState(resetLesson(p, 'l'), 'l', ['a', 'b'])).toBe('not-started');
  });
});
