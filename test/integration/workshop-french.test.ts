import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { kubelab, ROOT } from '../support/cli.js';

describe('the bundled workshop in French, end to end on the local cluster', () => {
  it('given every lesson’s lesson.fr.md, when validated with --lang fr --prove, then the French text’s commands run, every step passes and every check failed before its step', { timeout: 600_000 }, async () => {
    const reports = join(ROOT, 'reports');
    mkdirSync(reports, { recursive: true });
    const junit = join(reports, 'workshop-fr-junit.xml');
    const started = Date.now();
    const result = await kubelab(['validate', '--provider', 'local', '--lang', 'fr', '--prove', '--reporter', 'junit', '--output', junit], { KUBELAB_STATE_DIR: inject('stateDir') }, { timeoutMs: 540_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    // The same 37 steps as in English: a translation shares its steps and checks with its source.
    // 36 steps verified; the cluster lesson's last ("when you are done": commands shown only, no
    // check) is read, and a step nothing verified is never counted as passed.
    expect(xml).toMatch(/<testsuites name="kubelab" tests="37" failures="0" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="cluster" tests="\d+" failures="0" skipped="1"/);
    for (const lesson of ['cluster', 'microservices', 'rbac', 'labels', 'daemonsets', 'loadbalancer', 'pod-security', 'identities']) expect(xml).toContain(`<testsuite name="${lesson}"`);
    // What ran is the French text: its step titles, and the built-in checkers answering in French.
    expect(result.stderr).toContain('Déployer le backend Node.js');
    expect(result.stderr).toMatch(/ecsdemo-nodejs\u00a0: \d+\/\d+ répliques prêtes/);
    console.log(`bundled workshop validated in French with --prove in ${seconds.toFixed(1)} s`);
  });
});
