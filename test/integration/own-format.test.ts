import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubelab, ROOT } from '../support/cli.js';
import { adminKubeConfig } from '../support/kube.js';

// The proof that a lesson format is one module and one registration: a format of its own
// (examples/lesson-format/recipe-source.mjs), run by the built CLI against the real local
// cluster, with its own kind of action run by its own runner.
const FORMATS = join(ROOT, 'examples', 'lesson-format');
const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir'), KUBELAB_LESSON_SOURCES: join(FORMATS, 'recipe-source.mjs') });

describe('a lesson format of its own through the built CLI (real local cluster)', () => {
  const core = adminKubeConfig().makeApiClient(k8s.CoreV1Api);
  const gone = async () => {
    await core.deleteNamespace({ name: 'recipe-demo' }).catch(() => undefined);
    // --prove needs the check to fail first: wait until the namespace is really gone.
    for (;;) {
      const found = await core.readNamespace({ name: 'recipe-demo' }).then(() => true, () => false);
      if (!found) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  beforeAll(gone, 120_000);
  afterAll(gone, 120_000);

  it('Given the registered module, when its folder is validated with --prove, then the check fails before the step, the format action prints through the session, and the step passes', async () => {
    const result = await kubelab(['validate', '--workshop', join(FORMATS, 'recipe-content'), '--prove', '--verbose'], env(), { timeoutMs: 300_000 });
    const said = result.stdout + result.stderr;
    expect(said).toContain('recipe says: a namespace is a room of its own');
    expect(said).toMatch(/1 passed, 0 failed/);
    expect(result.code).toBe(0);
    // Again, for the JSON report: the step creates the namespace, so it goes first.
    await gone();
    const json = await kubelab(['validate', '--workshop', join(FORMATS, 'recipe-content'), '--reporter', 'json'], env(), { timeoutMs: 300_000 });
    const report = JSON.parse(json.stdout) as { lessons: { id: string; status: string; steps: { checks: { id: string; status: string }[] }[] }[] };
    expect(report.lessons[0]).toMatchObject({ id: 'make-room', status: 'passed' });
    expect(report.lessons[0].steps[0].checks).toEqual([expect.objectContaining({ id: 'namespace-recipe-demo', status: 'pass' })]);
  }, 600_000);

  it('Given the module is not registered, when the folder is validated, then it is refused as content kubelab does not recognise (exit 2)', async () => {
    const result = await kubelab(['validate', '--workshop', join(FORMATS, 'recipe-content')], { ...env(), KUBELAB_LESSON_SOURCES: '' });
    expect(result.stdout + result.stderr).toContain('kubelab does not recognise this content');
    expect(result.code).toBe(2);
  });
});
