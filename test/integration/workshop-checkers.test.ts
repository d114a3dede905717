import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { kubelab, ROOT } from '../support/cli.js';
import { adminKubeConfig } from '../support/kube.js';

const NS = 'fx-own-checker';
const FENCE = '```';
const env = () => ({ KUBELAB_STATE_DIR: inject('stateDir') });

/**
 * A workshop as an author would write it, in a temp folder outside kubelab's: no package.json,
 * no node_modules. Its TypeScript checker imports kubelab/checker; its hooks use zx.
 */
function authorWorkshop(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-author-'));
  const lesson = join(dir, 'lessons', 'hello');
  mkdirSync(lesson, { recursive: true });
  mkdirSync(join(dir, 'checkers'));
  writeFileSync(join(dir, 'workshop.yaml'), 'id: author-demo\ntitle: An author’s workshop\nlessons: [hello]\nproviders: [local]\n');
  writeFileSync(
    join(dir, 'checkers', 'configmap.ts'),
    `import { defineChecker, getJson, pass, pending, z, type CheckResult } from 'kubelab/checker';

interface ConfigMap { data?: Record<string, string> }

export const configmapHas = defineChecker({
  id: 'configmap-has',
  description: 'A ConfigMap holds a key with a value.',
  args: z.object({ name: z.string().min(1), namespace: z.string().min(1), key: z.string().min(1), value: z.string() }).strict(),
  watch: (a) => [{ path: \`/api/v1/namespaces/\${a.namespace}/configmaps\`, query: { fieldSelector: \`metadata.name=\${a.name}\` } }],
  async run(ctx, a): Promise<CheckResult> {
    const cm = await getJson<ConfigMap>(ctx.kubeConfig, \`/api/v1/namespaces/\${a.namespace}/configmaps/\${a.name}\`, {}, ctx.signal);
    if (!cm) return pending(\`no ConfigMap \${a.name} in \${a.namespace}\`);
    const found = cm.data?.[a.key];
    return found === a.value ? pass(\`\${a.name}: \${a.key}=\${found}\`) : pending(\`\${a.name}: \${a.key} is \${found ?? 'missing'}, expected \${a.value}\`);
  },
});
`,
  );
  // The lesson's setup imports zx by name; the step's setup uses the $ global: both from kubelab's install.
  writeFileSync(join(lesson, 'setup.mjs'), `import { $ } from 'zx';\nawait $\`kubectl delete namespace ${NS} --ignore-not-found --wait=true\`;\n`);
  writeFileSync(join(lesson, 'prepare.mjs'), `await $\`kubectl create namespace ${NS}\`;\n`);
  writeFileSync(join(lesson, 'cleanup.mjs'), `await $\`kubectl delete namespace ${NS} --ignore-not-found --wait=false\`;\nconsole.log('cleanup ran with', typeof $);\n`);
  writeFileSync(
    join(lesson, 'lesson.md'),
    `---\nid: hello\ntitle: Hello\nminutes: 5\nsetup: setup.mjs\ncleanup: cleanup.mjs\n---\n\n# Hello\n\n## Store a greeting\n\n${FENCE}bash\nkubectl create configmap greeting -n ${NS} --from-literal=GREETING=bonjour\n${FENCE}\n\n${FENCE}yaml step\nsetup: prepare.mjs\nchecks:\n  - check: configmap-has\n    args: { name: greeting, namespace: ${NS}, key: GREETING, value: bonjour }\n  - check: resource\n    args: { kind: ConfigMap, name: greeting, namespace: ${NS}, match: { data: { GREETING: bonjour } } }\n${FENCE}\n`,
  );
  return dir;
}

describe('a workshop of its own, outside kubelab’s folder, with its own TypeScript checker and zx hooks (built CLI, real local cluster)', () => {
  const core = adminKubeConfig().makeApiClient(k8s.CoreV1Api);
  afterAll(async () => {
    for (const name of [NS, 'config-demo', 'quota-demo']) await core.deleteNamespace({ name }).catch(() => undefined);
  });

  it('lints clean: its checker loads and its args are checked like a built-in’s', async () => {
    const dir = authorWorkshop();
    const result = await kubelab(['lint', '--workshop', dir], env(), { cwd: dir });
    expect(result.stderr).toContain('No problems found in 1 lesson.');
    expect(result.code).toBe(0);
  });

  it('refuses wrong args to its own checker before running anything, with exit 2 (lint, which never runs the module, accepts the id)', async () => {
    const dir = authorWorkshop();
    const file = join(dir, 'lessons', 'hello', 'lesson.md');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('value: bonjour }', 'value: 3 }'));
    // Issue 25, item 2: checking these args means running the workshop's code, which lint must not do.
    const lint = await kubelab(['lint', '--workshop', dir], env(), { cwd: dir });
    expect(lint.code, lint.stdout).toBe(0);
    const result = await kubelab(['validate', '--workshop', dir], env(), { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('check "configmap-has" args.value: Expected string, received number');
    expect(result.stderr).not.toContain('Validating');
  });

  it('validates with --prove: each check fails before its step and passes after; the zx hooks ran', async () => {
    const dir = authorWorkshop();
    const result = await kubelab(['validate', '--workshop', dir, '--prove', '--reporter', 'json'], env(), { cwd: dir });
    expect(result.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
    expect(result.code).toBe(0);
    const step = JSON.parse(result.stdout).lessons[0].steps[0];
    expect(step).toMatchObject({ id: 'store-a-greeting', status: 'passed' });
    expect(step.passedEarly ?? []).toEqual([]);
    expect(step.checks).toEqual([
      { id: 'configmap-has', checker: 'configmap-has', status: 'pass', message: 'greeting: GREETING=bonjour', durationMs: expect.any(Number) },
      { id: 'resource', checker: 'resource', status: 'pass', message: `ConfigMap greeting in ${NS} matches data`, durationMs: expect.any(Number) },
    ]);
    const cleanup = await kubelab(['reset', 'hello', '--cleanup', '--workshop', dir], env(), { cwd: dir });
    expect(cleanup.stderr).toContain('cleanup ran with function');
    expect(cleanup.code).toBe(0);
  });

  it('reports a checker module with a syntax error and one with a bad schema as lint errors with their path, exit 2; validate refuses to start', async () => {
    const dir = authorWorkshop();
    writeFileSync(join(dir, 'checkers', 'typo.ts'), "import { defineChecker, z } from 'kubelab/checker';\nexport const typo = defineChecker({\n  id: 'typo',,\n});\n");
    writeFileSync(join(dir, 'checkers', 'schema.mjs'), "export const loose = { id: 'loose', description: 'args is not zod', args: { name: 'string' }, async run() { return { status: 'pass', message: '' }; } };\n");
    const lint = await kubelab(['lint', '--workshop', dir], env(), { cwd: dir });
    expect(lint.code).toBe(2);
    expect(lint.stdout).toMatch(new RegExp(`${join(dir, 'checkers', 'typo.ts')}:3:\\d+: checker module does not build: `));
    expect(lint.stdout).toContain(`${join(dir, 'checkers', 'schema.mjs')}:1:1: export "loose": checker "loose": args is not a zod schema`);
    const validate = await kubelab(['validate', '--workshop', dir], env(), { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('typo.ts');
  });

  it('the example workshop in examples/ validates with --prove, every step checked', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'kubelab-examples-'));
    cpSync(join(ROOT, 'examples', 'config-and-quotas'), copy, { recursive: true });
    const lint = await kubelab(['lint', '--workshop', copy], env(), { cwd: copy });
    expect(lint.stdout).toBe('');
    expect(lint.code).toBe(0);
    const result = await kubelab(['validate', '--workshop', copy, '--prove', '--reporter', 'json'], env(), { cwd: copy, timeoutMs: 600_000 });
    const report = JSON.parse(result.stdout);
    const failures = report.lessons.flatMap((l: { steps: { id: string; status: string; error?: string }[] }) => l.steps.filter((s) => s.status !== 'passed').map((s) => `${s.id}: ${s.error}`));
    expect(failures).toEqual([]);
    expect(result.code).toBe(0);
    expect(report.summary).toMatchObject({ passed: 12, failed: 0, skipped: 0 });
  }, 600_000);
});
