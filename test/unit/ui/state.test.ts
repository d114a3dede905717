import { beforeAll, describe, expect, it } from 'vitest';
import { emptyProgress, updateStep } from '../../../src/engine/running/progress.js';
import type { Workshop } from '../../../src/engine/types.js';
import { entryStep, initialState, lessonRows, OUTPUT_RING, reduce, resumePoint, scopeOf, type AppAction, type AppState } from '../../../src/ui/state.js';
import { fixtureWorkshop } from '../../support/ui-app.js';

let workshop: Workshop;
beforeAll(async () => {
  workshop = await fixtureWorkshop();
});

const at = () => ({ lessonId: 'deploy', stepId: workshop.lessons[0].steps[0].id });
const fresh = (progress = emptyProgress('kubelab-tui-e2e')) => initialState({ workshop, progress, provider: 'local', size: { columns: 100, rows: 30 }, color: true });
const run = (s: AppState, ...actions: AppAction[]) => actions.reduce(reduce, s);

describe('UI reducer', () => {
  it('Given the home screen, when the cursor moves past the end, then it wraps', () => {
    const s = run(fresh(), { type: 'move-cursor', delta: -1 });
    expect(s.homeCursor).toBe(0);
    expect(scopeOf(s)).toBe('home');
  });

  it('Given a step is opened, then the step view shows and its prose goes to the transcript once', () => {
    const s = run(fresh(), { type: 'open-step', lessonIndex: 0, stepIndex: 0 });
    expect(s.screen).toBe('step');
    expect(s.transcript).toHaveLength(1);
    expect(s.transcript[0]).toMatchObject({ kind: 'step', id: 1, heading: 'Lesson 1 · Deploy a web app › Step 1/3: Create the web deployment' });
  });

  it('Given a challenge step, when opened before and after the solution is shown, then commands are hidden only before', () => {
    const before = run(fresh(), { type: 'open-step', lessonIndex: 0, stepIndex: 1 });
    const kinds = (s: AppState) => (s.transcript.at(-1) as { blocks: { kind: string }[] }).blocks.map((b) => b.kind);
    expect(kinds(before)).toContain('hidden-commands');
    const shown = updateStep(emptyProgress(workshop.id), 'deploy', workshop.lessons[0].steps[1].id, { solutionShown: true });
    const after = run(fresh(shown), { type: 'open-step', lessonIndex: 0, stepIndex: 1 });
    expect(kinds(after)).not.toContain('hidden-commands');
  });

  it('Given a command prints more than the ring holds, then the newest lines stay and every line is counted', () => {
    let s = run(fresh(), { type: 'open-step', lessonIndex: 0, stepIndex: 0 }, { type: 'engine', event: { type: 'block-start', ...at(), blockIndex: 0, code: 'seq 1000', expect: 'success' } });
    const lines = Array.from({ length: 150 }, (_, i) => ({ stream: 'stdout' as const, text: `line ${i}` }));
    s = run(s, { type: 'output', lines, total: 150 }, { type: 'output', lines, total: 150 });
    expect(s.output.lines).toHaveLength(OUTPUT_RING);
    expect(s.output.total).toBe(300);
    expect(s.output.lines.at(-1)?.text).toBe('line 149');
  });

  it('Given a block ends, then its tail and the count of dropped lines move to the transcript and live output clears', () => {
    let s = run(fresh(), { type: 'open-step', lessonIndex: 0, stepIndex: 0 }, { type: 'engine', event: { type: 'block-start', ...at(), blockIndex: 0, code: 'kubectl get pods', expect: 'fail' } });
    s = run(s, { type: 'output', lines: Array.from({ length: 10 }, (_, i) => ({ stream: 'stderr' as const, text: `Forbidden ${i}` })), total: 10 });
    s = run(s, { type: 'engine', event: { type: 'block-end', ...at(), blockIndex: 0, exitCode: 1, outcome: 'expected-failure', durationMs: 40 } });
    expect(s.output.lines).toEqual([]);
    expect(s.transcript.at(-1)).toMatchObject({ kind: 'block', outcome: 'expected-failure', exitCode: 1, dropped: 4, code: 'kubectl get pods' });
    expect(s.blocks[0]).toMatchObject({ state: 'expected-failure' });
  });

  it('Given a check is waiting, when progress comes, then the live check shows it; when finished, results move to the transcript', () => {
    let s = run(fresh(), { type: 'open-step', lessonIndex: 0, stepIndex: 0 }, { type: 'busy', task: 'checks' });
    s = run(s, { type: 'engine', event: { type: 'check-start', ...at(), checkId: 'deployment-ready', checker: 'deployment-ready' } });
    s = run(s, { type: 'engine', event: { type: 'check-progress', ...at(), checkId: 'deployment-ready', result: { status: 'pending', message: 'web: 1/2 replicas ready' }, remainingMs: 41_000 } });
    expect(s.checks[0]).toMatchObject({ done: false, remainingMs: 41_000, result: { message: 'web: 1/2 replicas ready' } });
    s = run(s, { type: 'engine', event: { type: 'check-end', ...at(), checkId: 'deployment-ready', result: { status: 'pass', message: 'web: 2/2 replicas ready' }, durationMs: 900 } });
    s = run(s, { type: 'finished', outcome: { status: 'passed' } });
    expect(s.checks).toEqual([]);
    expect(s.activity).toEqual({ kind: 'idle' });
    expect(s.outcome).toEqual({ status: 'passed' });
    expect(s.transcript.at(-1)).toMatchObject({ kind: 'checks', checks: [{ id: 'deployment-ready', result: { status: 'pass' } }] });
  });

  it('Given Ctrl-C is armed, then the notice says how to quit; disarming clears it', () => {
    const armed = run(fresh(), { type: 'interrupt-armed', armed: true });
    expect(armed.notice?.text).toMatch(/Ctrl-C again/);
    expect(run(armed, { type: 'interrupt-armed', armed: false }).notice).toBeUndefined();
  });

  it('Given an overlay is open, then keys are read in its scope', () => {
    expect(scopeOf(run(fresh(), { type: 'overlay', overlay: { kind: 'help' } }))).toBe('help');
    expect(scopeOf(run(fresh(), { type: 'overlay', overlay: { kind: 'confirm', items: [] } }))).toBe('confirm');
  });

  it('Given saved progress, then lessons show their state, and the resume point and entry step follow it', () => {
    const steps = workshop.lessons[0].steps;
    let progress = updateStep(emptyProgress(workshop.id), 'deploy', steps[0].id, { status: 'passed' });
    progress = updateStep(progress, 'deploy', steps[1].id, { status: 'failed' });
    const s = fresh(progress);
    expect(lessonRows(s)[0]).toMatchObject({ state: 'in-progress', finished: 1, steps: 3, minutes: 5 });
    expect(resumePoint(s)).toEqual({ lessonIndex: 0, stepIndex: 1 });
    expect(entryStep(s, 0)).toBe(1);
    expect(entryStep(fresh(), 0)).toBe(0);
  });

  it('Given a step is reset, then its results clear and its prose is shown again', () => {
    let s = run(fresh(), { type: 'open-step', lessonIndex: 0, stepIndex: 0 }, { type: 'finished', outcome: { status: 'failed', message: 'x' } });
    s = run(s, { type: 'reset-step' });
    expect(s.outcome).toBeUndefined();
    expect(s.transcript.filter((t) => t.kind === 'step')).toHaveLength(2);
  });
});

describe('a lesson that builds on another', () => {
  const withTwoLessons = (): Workshop => ({
    ...workshop,
    lessons: [workshop.lessons[0], { ...workshop.lessons[0], id: 'later', title: 'Later', requires: [workshop.lessons[0].id] }],
  });
  const open = (progress = emptyProgress('kubelab-tui-e2e')) =>
    reduce(initialState({ workshop: withTwoLessons(), progress, provider: 'local', size: { columns: 100, rows: 30 }, color: false }), { type: 'open-step', lessonIndex: 1, stepIndex: 0 });

  it('Given its required lesson is not done, when opened, then a notice names it; once done, no notice', () => {
    expect(open().notice).toEqual({ tone: 'warn', text: 'This lesson builds on "Deploy a web app", not done yet.' });
    let progress = emptyProgress('kubelab-tui-e2e');
    for (const step of workshop.lessons[0].steps) progress = updateStep(progress, workshop.lessons[0].id, step.id, { status: 'passed' });
    expect(open(progress).notice).toBeUndefined();
  });
});
