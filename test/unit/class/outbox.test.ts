import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../src/class/outbox.js';
import type { ClassEvent } from '../../../src/class/protocol.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelab-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const event = (n: number): ClassEvent => ({ type: 'solution-shown', id: `event-${String(n).padStart(6, '0')}`, at: n, lessonId: 'l', stepId: 's' });

/** A pid that surely belongs to no running process: one that just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('outbox', () => {
  it('Given a full queue, when more events come, then the oldest are dropped and counted', async () => {
    const outbox = Outbox.open(dir, 'me', 3);
    for (let i = 1; i <= 5; i++) outbox.push(event(i));
    expect(outbox.peek(10).map((e) => e.at)).toEqual([3, 4, 5]);
    expect(outbox.dropped).toBe(2);
    await outbox.close();
  });

  it('Given a queue closed while the server was down, when the next app opens the outbox, then it has the events, once', async () => {
    const first = Outbox.open(dir, 'me');
    first.push(event(1));
    first.push(event(2));
    await first.close();

    const second = Outbox.open(dir, 'me');
    const third = Outbox.open(dir, 'me');
    expect(second.peek(10).map((e) => e.id)).toEqual([event(1).id, event(2).id]);
    expect(third.size).toBe(0);
  });

  it('Given queue files of a dead process, a live process and another learner, when opened, then only the dead one for this learner is adopted', async () => {
    await writeFile(join(dir, `${deadPid()}-aaaa.json`), JSON.stringify({ learnerId: 'me', events: [event(7)] }));
    await writeFile(join(dir, `${process.ppid}-bbbb.json`), JSON.stringify({ learnerId: 'me', events: [event(8)] }));
    await writeFile(join(dir, `orphan-cccc.json`), JSON.stringify({ learnerId: 'someone-before', events: [event(9)] }));

    const outbox = Outbox.open(dir, 'me');
    expect(outbox.peek(10).map((e) => e.at)).toEqual([7]);
    const left = await readdir(dir);
    expect(left).toContain(`${process.ppid}-bbbb.json`);
    expect(left.some((f) => f.startsWith('orphan-'))).toBe(false);
  });

  it('Given events removed after the server took them, when the queue is closed empty, then no file is left', async () => {
    const outbox = Outbox.open(dir, 'me');
    outbox.push(event(1));
    outbox.remove(new Set([event(1).id]));
    await outbox.close();
    expect(await readdir(dir)).toEqual([]);
  });
});
