import { describe, expect, it } from 'vitest';
import { emptyProgress, updateStep } from '../../../src/engine/running/progress.js';
import type { Workshop } from '../../../src/engine/types.js';
import { BUNDLED_DIR, CONNECTION, REACHABLE, testApp, until, type TestApp } from '../../support/ui-app.js';

const last = (app: TestApp) => app.saved.at(-1)!;
const stepIds = (app: TestApp) => app.store.getState().workshop.lessons[0].steps.map((s) => s.id);

async function openFirstStep(app: TestApp) {
  await app.controller.start();
  app.controller.handle('open');
}

describe('AppController', () => {
  it('Given a reachable cluster, when the step runs and its check passes, then progress records it as passed', async () => {
    const app = await testApp();
    await openFirstStep(app);
    app.controller.handle('run');
    await until(() => app.store.getState().outcome?.status === 'passed', 'passed');
    expect(last(app).steps.deploy[stepIds(app)[0]].status).toBe('passed');
    expect(last(app).current).toEqual({ lessonId: 'deploy', stepId: stepIds(app)[0] });
    const kinds = app.store.getState().transcript.map((t) => t.kind);
    expect(kinds).toEqual(['step', 'block', 'block', 'checks']);
  });

  it('Given a failing check, when the step is checked, then it fails with the message and the next hint follows the results', async () => {
    const app = await testApp({
      script: { checks: { 'deployment-ready': [{ result: { status: 'fail', message: 'web asks for 2 replicas, expected 3', expected: '3 replicas', actual: '2 replicas' } }] } },
    });
    await app.controller.start();
    app.controller.handle('open');
    app.controller.handle('next-step');
    app.controller.handle('check');
    await until(() => app.store.getState().outcome?.status === 'failed', 'failed');
    const s = app.store.getState();
    expect(s.outcome?.message).toBe('deployment-ready: web asks for 2 replicas, expected 3');
    expect(s.transcript.slice(-2).map((t) => t.kind)).toEqual(['checks', 'hint']);
    expect(last(app).steps.deploy[stepIds(app)[1]]).toMatchObject({ status: 'failed', hintsRevealed: 1 });
  });

  it('Given a failing check that gives its own hint, when the step is checked, then the lesson\'s next hint is not added after it', async () => {
    const app = await testApp({
      script: { checks: { 'deployment-ready': [{ result: { status: 'fail', message: 'web asks for 2 replicas, expected 3', hint: 'kubectl scale deployment web --replicas=3' } }] } },
    });
    await app.controller.start();
    app.controller.handle('open');
    app.controller.handle('next-step');
    app.controller.handle('check');
    await until(() => app.store.getState().outcome?.status === 'failed', 'failed');
    expect(app.store.getState().transcript.at(-1)?.kind).toBe('checks');
    expect(last(app).steps.deploy[stepIds(app)[1]].hintsRevealed ?? 0).toBe(0);
  });

  describe('Given a step whose first hint is tied to one of its two checks', () => {
    const twoChecks = (w: Workshop) => {
      const step = w.lessons[0].steps[1];
      step.checks.push({ ...step.checks[0], id: 'image' });
      step.hintChecks = ['image', undefined];
    };
    const failing = async (failed: string, status: 'fail' | 'error' = 'fail') => {
      const app = await testApp({ workshop: twoChecks, script: { checks: { [failed]: [{ result: { status, message: `${failed} is not right` } }] } } });
      await app.controller.start();
      app.controller.handle('open');
      app.controller.handle('next-step');
      app.controller.handle('check');
      await until(() => app.store.getState().outcome?.status === 'failed', 'failed');
      return app.store.getState().transcript.filter((t) => t.kind === 'hint');
    };

    it('when the other check fails, then that hint does not come by itself', async () => {
      expect(await failing('deployment-ready')).toEqual([]);
    });

    it('when its check fails, then it comes after the results', async () => {
      expect(await failing('image')).toMatchObject([{ kind: 'hint', index: 0, text: 'kubectl scale changes the replica count of a Deployment.' }]);
    });

    it('when its check breaks (error) rather than fails, then it does not come by itself', async () => {
      expect(await failing('image', 'error')).toEqual([]);
    });
  });

  it('Given the bundled lesson 1, when "Check your tools" fails for a reason other than a missing kubectl, then "kubectl is missing?" is not shown', async () => {
    const app = await testApp({
      workshopDir: BUNDLED_DIR,
      script: { checks: { 'tools-installed': [{ result: { status: 'error', message: 'no cluster yet: it starts when you run the next step' } }] } },
    });
    await app.controller.start();
    app.controller.handle('open');
    const tools = app.store.getState().workshop.lessons[0].steps[0];
    expect(tools).toMatchObject({ title: 'Check your tools', hintChecks: ['tools-installed', undefined] });
    app.controller.handle('check');
    await until(() => app.store.getState().outcome?.status === 'failed', 'failed');
    const shown = app.store.getState().transcript.filter((t) => t.kind === 'hint');
    expect(shown).toEqual([]);
  });

  it('Given no cluster yet but a planned connection, when the step that creates it runs, then the commands run and the cluster line turns reachable', async () => {
    const down = { cluster: { state: 'down' as const, provider: 'local' as const, detail: 'No local cluster named "kubelab" is up', next: 'Start one with: kubelab cluster up' }, connection: CONNECTION };
    const app = await testApp({ clusters: [down, { cluster: REACHABLE, connection: CONNECTION }] });
    await openFirstStep(app);
    expect(app.store.getState().cluster.state).toBe('down');
    app.controller.handle('run');
    await until(() => app.store.getState().outcome?.status === 'passed', 'passed');
    await until(() => app.store.getState().cluster.state === 'reachable', 'reachable');
  });

  it('Given saved progress on step 2, when the app starts, then it opens on step 2', async () => {
    const app = await testApp({ progress: updateStep(emptyProgress('kubelab-tui-e2e'), 'deploy', 'scale-web-to-three-replicas', { status: 'failed' }) });
    await app.controller.start();
    expect(app.store.getState()).toMatchObject({ screen: 'step', stepIndex: 1 });
  });

  it('Given a block that costs money, when run, then it asks first; "no" runs nothing and "yes" runs it', async () => {
    const app = await testApp({ workshop: (w) => void (w.lessons[0].steps[0].blocks[0].confirm = 'creates an EKS cluster (about $0.30/hour)') });
    await openFirstStep(app);
    app.controller.handle('run');
    expect(app.store.getState().overlay).toMatchObject({ kind: 'confirm', items: [{ reason: 'creates an EKS cluster (about $0.30/hour)' }] });
    app.controller.handle('confirm-no');
    expect(app.store.getState().overlay.kind).toBe('none');
    expect(app.store.getState().transcript.map((t) => t.kind)).toEqual(['step']);
    app.controller.handle('run');
    app.controller.handle('confirm-yes');
    await until(() => app.store.getState().outcome?.status === 'passed', 'passed');
  });

  it('Given a command is running, when Ctrl-C is pressed, then only the command stops; a second Ctrl-C quits with 130', async () => {
    const app = await testApp({ script: { hang: true, output: { 0: ['waiting…'] } } });
    await openFirstStep(app);
    app.controller.handle('run');
    await until(() => app.store.getState().output.total === 1, 'output');
    app.controller.handle('interrupt');
    await until(() => app.store.getState().activity.kind === 'idle', 'idle');
    expect(app.runner?.aborted).toBe(true);
    expect(app.store.getState().outcome?.status).toBe('stopped');
    expect(app.exitCodes).toEqual([]);
    app.controller.handle('interrupt');
    await until(() => app.exitCodes.length > 0, 'exit');
    expect(app.exitCodes).toEqual([130]);
  });

  it('Given nothing runs, when Ctrl-C is pressed once, then it only warns; q quits with 0', async () => {
    const app = await testApp();
    await openFirstStep(app);
    app.controller.handle('interrupt');
    expect(app.store.getState().interruptArmed).toBe(true);
    expect(app.exitCodes).toEqual([]);
    app.controller.handle('quit');
    await until(() => app.exitCodes.length > 0, 'exit');
    expect(app.exitCodes).toEqual([0]);
  });

  it('Given no cluster is up, when the step is run, then it says what to do instead', async () => {
    const app = await testApp({ cluster: { cluster: { state: 'down', provider: 'local', detail: 'No local cluster named "kubelab" is up', next: 'Start one with: kubelab cluster up --provider local' } } });
    await openFirstStep(app);
    app.controller.handle('run');
    expect(app.store.getState().notice?.text).toBe('No cluster to run against: No local cluster named "kubelab" is up. Start one with: kubelab cluster up --provider local');
  });

  it('Given a step, when skipped, then progress says skipped and the next step opens', async () => {
    const app = await testApp();
    await openFirstStep(app);
    app.controller.handle('skip');
    expect(app.store.getState().stepIndex).toBe(1);
    // Skipping is working on the step: resume moves to the next one (merely opening a step does not).
    await until(() => last(app)?.current?.stepId === stepIds(app)[1], 'saved');
    expect(last(app).steps.deploy[stepIds(app)[0]].status).toBe('skipped');
    expect(last(app).current?.stepId).toBe(stepIds(app)[1]);
  });

  it('Given a challenge step, when the solution is asked for, then the commands are shown and remembered', async () => {
    const app = await testApp();
    await openFirstStep(app);
    app.controller.handle('next-step');
    app.controller.handle('solution');
    expect(app.store.getState().transcript.at(-1)).toMatchObject({ kind: 'solution', commands: ['kubectl -n tui-e2e scale deployment web --replicas=3'] });
    await until(() => last(app)?.steps.deploy?.[stepIds(app)[1]]?.solutionShown === true, 'solution saved');
    app.controller.handle('reset-step');
    await until(() => last(app).steps.deploy[stepIds(app)[1]].solutionShown === false, 'reset');
  });

  it('Given the provider picker, when another provider is chosen, then the app reconnects and remembers it', async () => {
    const app = await testApp();
    await app.controller.start();
    app.controller.handle('pick-provider');
    app.controller.handle('cursor-down');
    app.controller.handle('open');
    await until(() => last(app)?.provider === 'existing', 'provider saved');
  });
});
