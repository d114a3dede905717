import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocusaurusWorkshop } from '../../../src/engine/loading/formats/docusaurus/source.js';
import { runLessons } from '../../../src/engine/running/run-lessons.js';
import { WorkshopSession } from '../../../src/engine/running/session.js';
import type { EngineEvent } from '../../../src/engine/types.js';
import { CONNECTION } from '../../support/ui-app.js';

const FENCE = '```';
const HOOK = (before: string, after: string) => `set -Eeuo pipefail\nbefore() {\n${before}\n}\nafter() {\n${after}\n}\n"$@"\n`;

/** A module in eks-workshop-v2's format whose commands need only bash: the session's wiring, no cluster. */
function module(beforeHook: string): string {
  const root = mkdtempSync(join(tmpdir(), 'kubelab-eksv2-session-'));
  mkdirSync(join(root, 'tests'));
  writeFileSync(
    join(root, 'index.md'),
    [
      '---\ntitle: Hooked\nsidebar_position: 1\n---\n',
      `${FENCE}bash hook=pair hookTimeout=20\n$ echo "made $THING"\nmade it\n${FENCE}\n`,
      `${FENCE}bash\n$ kubectl exec web -- true\n${FENCE}\n`,
      `${FENCE}bash test=false\n$ echo never\n${FENCE}\n`,
      `${FENCE}bash wait=1\n$ echo after the pause\n${FENCE}\n`,
    ].join('\n'),
  );
  writeFileSync(join(root, 'tests', 'hook-pair.sh'), HOOK(beforeHook, 'grep -q "made widget" <<< "$TEST_OUTPUT" || { >&2 echo "output was: $TEST_OUTPUT"; exit 1; }\necho "saw the output"'));
  writeFileSync(join(root, 'tests', 'hook-suite.sh'), HOOK('echo "suite up"', 'echo "suite down"'));
  return root;
}

async function run(beforeHook: string) {
  const { workshop } = await loadDocusaurusWorkshop(module(beforeHook), { env: {} });
  const events: EngineEvent[] = [];
  const env = { PATH: process.env.PATH, THING: 'widget', KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-state-')) };
  const session = new WorkshopSession({ workshop: workshop!, connection: CONNECTION, checkers: new Map(), env, emit: (e) => events.push(e) });
  const report = await runLessons(session, workshop!.lessons, { bail: false, prove: true, signal: new AbortController().signal });
  return { report, events };
}

describe('eks-workshop-v2 hooks in the step protocol (real bash, no cluster)', () => {
  it('Given a hook pair, a block needing a real node and a test=false block, when the page runs on local, then hooks are checks around their block and the other two are reported not run', { timeout: 60_000 }, async () => {
    const { report, events } = await run('echo "nothing yet"');
    const [step] = report.lessons[0].steps;
    expect(step.status).toBe('passed');
    expect(step.checks.map((c) => [c.id, c.status, c.message])).toEqual([
      ['hook:suite:before', 'pass', 'hook-suite.sh before: suite up'],
      ['hook:pair:before', 'pass', 'hook-pair.sh before: nothing yet'],
      ['hook:pair:after', 'pass', 'hook-pair.sh after: saw the output'],
      ['hook:suite:after', 'pass', 'hook-suite.sh after: suite down'],
    ]);
    expect(step.notRun).toEqual([
      { line: 11, reason: 'needs a real node (a running container): kubectl exec' },
      { line: 15, reason: 'test=false: shown, not run' },
    ]);
    expect(report.summary.blocksNotRun).toBe(2);
    // before-hook, then the block, then the after-hook: in that order on the event stream.
    const order = events.filter((e) => e.type === 'check-end' || e.type === 'block-end' || e.type === 'block-skipped').map((e) => ('checkId' in e ? e.checkId : `${e.type}:${e.blockIndex}`));
    expect(order).toEqual(['hook:suite:before', 'hook:pair:before', 'block-end:0', 'hook:pair:after', 'block-skipped:1', 'block-skipped:2', 'block-end:3', 'hook:suite:after']);
  });

  it('Given a before-hook that fails, when the page runs, then the step fails with the hook’s words and its block never runs', { timeout: 60_000 }, async () => {
    const { report, events } = await run('>&2 echo "the thing is already there"; exit 1');
    const [step] = report.lessons[0].steps;
    expect(step.status).toBe('failed');
    expect(step.error).toBe('hook-pair.sh before: exit code 1: the thing is already there');
    expect(events.some((e) => e.type === 'block-start')).toBe(false);
  });
});
