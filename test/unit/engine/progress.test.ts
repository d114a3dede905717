import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonState, loadProgress, progressFile, resetLesson, saveProgress, updateStep } from '../../../src/engine/progress.js';

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

  it('given a file from another schema version, when loaded, then it is treated as unreadable, not trusted', async () => {
    const env = freshEnv();
    const file = progressFile('w', env);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ schemaVersion: 99, workshop: 'w', steps: {} }));
    expect((await loadProgress('w', env)).warning).toBeDefined();
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
