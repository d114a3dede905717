import { describe, expect, it } from 'vitest';
import type { ProviderName, Workshop } from '../../../src/engine/types.js';
import { CONNECTION, REACHABLE, testApp, until } from '../../support/ui-app.js';

const DOWN = { cluster: { state: 'down' as const, provider: 'local' as const, detail: 'No local cluster named "kubelab" is up', next: 'Start one with: kubelab cluster up' }, connection: CONNECTION };
const SLOW = { timeout: 60_000 };

/** A stand-in for building and starting the local cluster: it reports progress and ends when told. */
function startStandIn() {
  const calls: ProviderName[] = [];
  let report!: (line: string) => void;
  let finish!: (error?: Error) => void;
  let aborted = false;
  const startCluster = (provider: ProviderName, signal: AbortSignal, onProgress: (line: string) => void) => {
    calls.push(provider);
    report = onProgress;
    signal.addEventListener('abort', () => {
      aborted = true;
      finish(new Error('stopped'));
    });
    return new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
  };
  return { startCluster, calls, report: (line: string) => report(line), finish: (error?: Error) => finish(error), wasAborted: () => aborted };
}

describe('the app starts the default local cluster itself (issue 15)', () => {
  it('Given no cluster yet, when the app opens, then it starts one in the background, shows its progress, lets the learner read, holds steps, and connects once it is up', SLOW, async () => {
    const start = startStandIn();
    const app = await testApp({ clusters: [DOWN, { cluster: REACHABLE, connection: CONNECTION }], startCluster: start.startCluster });
    await app.controller.start();
    await until(() => start.calls.length === 1, 'the start began', 30_000);
    start.report('  building the local cluster: 30%, about 4 min left (812 of 2703 packages compiled, 2m00s elapsed)');
    expect(app.store.getState().clusterStart).toBe('building the local cluster: 30%, about 4 min left (812 of 2703 packages compiled, 2m00s elapsed)');

    // Reading works: the lesson opens. Running waits, and says why, instead of failing.
    app.controller.handle('open');
    expect(app.store.getState().screen).toBe('step');
    app.controller.handle('run');
    expect(app.store.getState().notice?.text).toBe('Needs the local cluster, being built: 30%, about 4 min left. Read on; press r when it is up.');
    expect(app.store.getState().activity.kind).toBe('idle');

    start.finish();
    await until(() => app.store.getState().cluster.state === 'reachable', 'reachable', 30_000);
    expect(app.store.getState().clusterStart).toBeUndefined();
    app.controller.handle('run');
    await until(() => app.store.getState().outcome?.status === 'passed', 'the step ran', 30_000);
    expect(start.calls).toEqual(['local']);
  });

  it('Given the cluster is being built, when a step whose checks all need no cluster is run, then it runs meanwhile; a step that needs the cluster waits', SLOW, async () => {
    const start = startStandIn();
    // Step 1's checks become one that declares needsCluster: false ("are the tools installed").
    const offline = (w: Workshop) => void (w.lessons[0].steps[0].checks = w.lessons[0].steps[0].checks.map((c) => ({ ...c, checker: 'tools-probe' })));
    const app = await testApp({ clusters: [DOWN], startCluster: start.startCluster, script: { offlineCheckers: ['tools-probe'] }, workshop: offline });
    await app.controller.start();
    await until(() => start.calls.length === 1, 'the start began', 30_000);
    start.report('building the local cluster: 5%, about 8 min left (136 of 2703 packages compiled, 25s elapsed)');
    app.controller.handle('open');
    app.controller.handle('run');
    if (app.store.getState().overlay.kind === 'confirm') app.controller.handle('confirm-yes');
    await until(() => app.store.getState().outcome?.status === 'passed', 'step 1 ran while the cluster was built', 30_000);
    app.controller.handle('next-step');
    app.controller.handle('run');
    expect(app.store.getState().notice?.text).toBe('Needs the local cluster, being built: 5%, about 8 min left. Read on; press r when it is up.');
    await app.controller.quit(0);
  });

  it('Given the start fails, when it ends, then the learner is told why and nothing is retried behind their back', SLOW, async () => {
    const start = startStandIn();
    const app = await testApp({ clusters: [DOWN], startCluster: start.startCluster });
    await app.controller.start();
    await until(() => start.calls.length === 1, 'the start began', 30_000);
    start.finish(new Error('Go is not installed'));
    await until(() => app.store.getState().notice?.tone === 'error', 'an error notice', 30_000);
    expect(app.store.getState().notice?.text).toBe('The local cluster did not start: Go is not installed');
    expect(app.store.getState().clusterStart).toBeUndefined();
    await app.controller.connect('local');
    expect(start.calls).toHaveLength(1);
  });

  it('Given the cluster is being built, when the learner quits, then the build is stopped', SLOW, async () => {
    const start = startStandIn();
    const app = await testApp({ clusters: [DOWN], startCluster: start.startCluster });
    await app.controller.start();
    await until(() => start.calls.length === 1, 'the start began', 30_000);
    await app.controller.quit(0);
    expect(start.wasAborted()).toBe(true);
    expect(app.exitCodes).toEqual([0]);
  });
});
