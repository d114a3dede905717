import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubelab, ROOT } from '../support/cli.js';
import type { LessonReport } from '../support/report.js';
import { adminKubeConfig } from '../support/kube.js';

// kubelab's own pages in eks-workshop-v2's layout (website/docs/demo + manifests/), run as they are.
const MODULE = join(ROOT, 'test', 'fixtures', 'eksv2-repo', 'website', 'docs', 'demo');
const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir') });


describe('eks-workshop-v2 pages through the built CLI (real local cluster)', () => {
  const core = adminKubeConfig().makeApiClient(k8s.CoreV1Api);
  afterAll(async () => {
    await core.deleteNamespace({ name: 'shop' }).catch(() => undefined);
  });

  it('given the fixture module, when linted, then it has no error and warns about the "$ " line after a blank line', async () => {
    const result = await kubelab(['lint', '--workshop', MODULE], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/headings\.md:43:1: warning: this "\$ " line comes after a blank line, so it is never run/);
    expect(result.stdout).toMatch(/nested\/index\.md:\d+:1: warning: a ```sh block is never run/);
  });

  it('given the fixture module, when validated with --prove, then every block runs and passes or is reported with why not, and hooks are checks', async () => {
    const result = await kubelab(['validate', '--workshop', MODULE, '--prove', '--verbose', '--reporter', 'json'], env(), { timeoutMs: 300_000 });
    const report = JSON.parse(result.stdout) as { lessons: LessonReport[]; summary: Record<string, number> };
    const lessons = Object.fromEntries(report.lessons.map((l) => [l.id, l]));
    expect(report.lessons.map((l) => `${l.id}:${l.status}`)).toEqual(['demo:passed', 'headings:passed', 'nested:passed', 'website-syntax:passed', 'cloud:skipped']);
    expect(result.code).toBe(0);

    // The module's suite hook wraps it: before on its first page, after on its last.
    expect(lessons.demo.steps[0].checks).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'hook:suite:before', status: 'pass', message: 'hook-suite.sh before: fixture module starts' })]));
    // The hook pair: before saw no ConfigMap, after read the command's output from TEST_OUTPUT.
    const heredoc = lessons.headings.steps.find((s) => s.id === 'a-configmap-from-a-heredoc')!;
    expect(heredoc.checks).toEqual([
      expect.objectContaining({ id: 'hook:greeting:before', status: 'pass', message: 'hook-greeting.sh before: no greeting yet' }),
      expect.objectContaining({ id: 'hook:greeting:after', status: 'pass', message: 'hook-greeting.sh after: greeting created and says hello' }),
    ]);
    // Blocks not run are counted with their reason, never dropped.
    const shown = lessons.headings.steps.find((s) => s.id === 'shown-not-run')!;
    expect(shown.notRun?.map((n) => n.reason)).toEqual(['test=false: shown, not run', 'no "$ " line: sample output or a file, not a command']);
    const container = lessons['website-syntax'].steps.find((s) => s.id === 'inside-a-container')!;
    expect(container.notRun?.map((n) => n.reason)).toEqual(['needs a real node (a running container): kubectl exec', 'needs a real node (a running container): kubectl logs']);
    expect(lessons.cloud.error).toContain('needs AWS: prepare-environment demo/cloud creates AWS resources with terraform');
    expect(lessons.cloud.steps[0].checks).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'hook:suite:after', status: 'pass' })]));
    // headings: test=false and output-only; nested: the sh block; website-syntax: exec and logs (cloud is skipped whole).
    expect(report.summary.blocksNotRun).toBe(5);
    // prepare-environment said what it skipped.
    expect(result.stderr).toContain('skipped (needs AWS): terraform destroy');
  });

  it('given the ConfigMap already there, when the page runs again, then its before-hook fails with the hook’s words and the block does not run', async () => {
    const result = await kubelab(['validate', 'headings', '--workshop', MODULE, '--reporter', 'json'], env(), { timeoutMs: 120_000 });
    expect(result.code).toBe(1);
    const step = (JSON.parse(result.stdout).lessons[0] as LessonReport).steps.find((s) => s.id === 'a-configmap-from-a-heredoc')!;
    expect(step.status).toBe('failed');
    expect(step.checks).toEqual([expect.objectContaining({ id: 'hook:greeting:before', status: 'fail', message: 'hook-greeting.sh before: exit code 1: configmap greeting already exists before the step' })]);
  });
});
