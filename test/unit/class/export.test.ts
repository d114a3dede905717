import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classCommand } from '../../../src/commands/class.js';
import { buildSessionRecord, sessionCsvFiles, toCsv } from '../../../src/class/export.js';
import { ClassStore, classDatabasePath } from '../../../src/class/store.js';
import { storeEvents } from '../../support/class-events.js';
import { runCommand } from '../../support/command.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelab-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const send = storeEvents;

/** Ada does both steps with a hint and two failed checks; the hostile one catches up over step 1. */
function room(): ClassStore {
  const store = ClassStore.open(classDatabasePath('room', { KUBELAB_STATE_DIR: dir }), 'room');
  const ada = store.addLearner('Ada', 1000).learnerId;
  const eve = store.addLearner('=HYPERLINK("http://evil.example","x"),"', 2000).learnerId;
  send(store, ada, 10_000, { type: 'step-started', lessonId: 'micro', stepId: 'nodejs', title: 'Deploy the Node.js backend' });
  send(store, ada, 20_000, { type: 'check', lessonId: 'micro', stepId: 'nodejs', checkId: 'ready', outcome: 'failed', message: 'deployment ecsdemo-nodejs: 0/1 ready' });
  send(store, ada, 25_000, { type: 'hint-revealed', lessonId: 'micro', stepId: 'nodejs', index: 0 });
  send(store, ada, 30_000, { type: 'check', lessonId: 'micro', stepId: 'nodejs', checkId: 'ready', outcome: 'failed', message: 'deployment ecsdemo-nodejs: 0/1 ready' });
  send(store, ada, 40_000, { type: 'step-finished', lessonId: 'micro', stepId: 'nodejs', status: 'passed', durationMs: 30_000 }, { type: 'hand-raised' });
  send(store, ada, 41_000, { type: 'step-started', lessonId: 'micro', stepId: 'crystal', title: 'Deploy the Crystal backend' });
  send(store, eve, 12_000, { type: 'step-finished', lessonId: 'micro', stepId: 'nodejs', status: 'caught-up', durationMs: 0 });
  send(store, eve, 13_000, { type: 'step-started', lessonId: 'micro', stepId: 'crystal', title: 'Deploy the Crystal backend' });
  send(store, eve, 14_000, { type: 'check', lessonId: 'micro', stepId: 'crystal', checkId: 'svc', outcome: 'failed', message: 'no endpoints' });
  return store;
}

describe('the session record', () => {
  it('Given a class, when its record is built, then it has steps reached, time per step, checks failed most, hints, hands and caught-up steps', () => {
    const store = room();
    const record = buildSessionRecord('room', store.logs(), { now: 100_000, openedAt: 500 });
    store.close();

    expect(record.learners.map((l) => [l.seat, l.name, l.stepsReached, l.stepsPassed, l.stepsCaughtUp, l.hintsUsed, l.handsRaised, l.checksFailed, l.lastStep])).toEqual([
      [1, 'Ada', 2, 1, 0, 1, 1, 2, 'micro/crystal'],
      [2, '=HYPERLINK("http://evil.example","x"),"', 2, 0, 1, 0, 0, 1, 'micro/crystal'],
    ]);
    expect(record.learnerSteps.find((s) => s.seat === 1 && s.stepId === 'nodejs')).toMatchObject({ status: 'passed', seconds: 30, checksFailed: 2, hints: 1 });
    expect(record.learnerSteps.find((s) => s.seat === 1 && s.stepId === 'crystal')).toMatchObject({ status: 'in progress' });
    expect(record.steps.find((s) => s.stepId === 'nodejs')).toMatchObject({ title: 'Deploy the Node.js backend', reached: 2, passed: 1, caughtUp: 1, medianPassSeconds: 30 });
    expect(record.checksFailedMost.map((c) => [c.checkId, c.failures, c.learners])).toEqual([
      ['ready', 2, 1],
      ['svc', 1, 1],
    ]);
  });

  it('Given a learner named like a spreadsheet formula, when written as CSV, then the cell is quoted text that cannot run', () => {
    const store = room();
    const csv = sessionCsvFiles(buildSessionRecord('room', store.logs(), { now: 100_000, openedAt: 500 }));
    store.close();
    expect(csv['learners.csv']).toContain(`2,"'=HYPERLINK(""http://evil.example"",""x""),""",`);
    expect(csv['steps.csv'].split('\r\n')[0]).toBe('seat,name,lesson,step,title,status,started_at,seconds,checks_failed,hints,solution_shown');
    expect(csv['steps.csv']).toContain(',micro,nodejs,Deploy the Node.js backend,caught-up,');
    expect(toCsv(['a'], [['-1+1'], ['@SUM(A1)'], ['plain']])).toBe("a\r\n'-1+1\r\n'@SUM(A1)\r\nplain\r\n");
  });

  it('Given a class on disk, when kubelab class export runs, then it writes the JSON and three CSVs, readable by the instructor only', async () => {
    room().close();
    const out = join(dir, 'out');
    const { code, stdout, stderr } = await runCommand(classCommand, ['export', '--name', 'room', '--output', out], { env: { KUBELAB_STATE_DIR: dir }, cwd: dir });
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n').sort()).toEqual(['checks.csv', 'learners.csv', 'record.json', 'steps.csv'].map((f) => join(out, `room-${f}`)));
    const record = JSON.parse(await readFile(join(out, 'room-record.json'), 'utf8'));
    expect(record).toMatchObject({ className: 'room', learners: [{ name: 'Ada' }, { seat: 2 }] });
    expect((await stat(join(out, 'room-learners.csv'))).mode & 0o077).toBe(0);
  });

  it('Given no such class, when exported, then it exits 2 saying which name to use', async () => {
    const { code, stderr } = await runCommand(classCommand, ['export', '--name', 'nope'], { env: { KUBELAB_STATE_DIR: dir }, cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/no class named "nope"/);
  });
});
