/**
 * A newcomer's clone before its first build (issue 24, item 7), and --name reaching the commands a
 * session runs (item 3).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/types.js';
import { WorkshopSession } from '../../../src/engine/running/session.js';
import { CONNECTION, fixtureWorkshop } from '../../support/ui-app.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('node bin/kubelab.js before a build', () => {
  it('Given a clone without dist/, then it says to build first and exits 3, with no stack trace', () => {
    const clone = mkdtempSync(join(tmpdir(), 'kubelab-clone-'));
    mkdirSync(join(clone, 'bin'));
    copyFileSync(join(ROOT, 'bin', 'kubelab.js'), join(clone, 'bin', 'kubelab.js'));
    const run = spawnSync(process.execPath, [join(clone, 'bin', 'kubelab.js'), '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('npm run build');
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|at .*\(/);
  });

  it('Given the built CLI, then it still runs', () => {
    expect(execFileSync(process.execPath, [join(ROOT, 'bin', 'kubelab.js'), '--version'], { encoding: 'utf8' })).toMatch(/\d+\.\d+\.\d+/);
  });
});

describe('--name in the commands a session runs', () => {
  it('Given a session on cluster walk2, when a block runs kubelab cluster up, then the command run and shown names walk2', async () => {
    const workshop = await fixtureWorkshop();
    const lesson = workshop.lessons[0];
    const step = { ...lesson.steps[0], blocks: [{ ...lesson.steps[0].blocks[0], code: 'kubelab cluster up --provider local --nodes 3' }], checks: [] };
    const ran: string[] = [];
    const events: EngineEvent[] = [];
    const session = new WorkshopSession({
      workshop,
      connection: { ...CONNECTION, name: 'walk2' },
      clusterName: 'walk2',
      checkers: new Map(),
      env: { PATH: process.env.PATH, KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-walk2-')) },
      emit: (e) => events.push(e),
      ports: {
        runBlock: async (code) => {
          ran.push(code);
          return { exitCode: 0, outcome: 'ok', durationMs: 1, tail: [] };
        },
      },
    });
    await session.runCommands(lesson, step, new AbortController().signal);
    expect(ran).toEqual(['kubelab cluster up --name walk2 --provider local --nodes 3']);
    expect(events.find((e) => e.type === 'block-start')).toMatchObject({ code: 'kubelab cluster up --name walk2 --provider local --nodes 3' });
  });
});
