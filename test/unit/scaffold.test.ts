import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCheckers } from '../../checkers/index.js';
import { DiagnosticBag } from '../../src/engine/diagnostics.js';
import { lintWorkshop } from '../../src/engine/loading/lint.js';
import { loadWorkshop } from '../../src/engine/loading/sources.js';
import { UsageError } from '../../src/errors.js';
import { controlPlaneBuildScript } from '../../src/install-root.js';
import { kubelabHome } from '../../src/paths.js';
import { addLesson, controlPlaneVersions, initWorkshop, toId, workflowFile } from '../../src/services/scaffold.js';
import { ensureCheckerEntry } from '../support/checker-entry.js';

const versions = controlPlaneVersions(readFileSync(controlPlaneBuildScript(), 'utf8'));
const options = { kubelabVersion: '0.1.0', versions };

/** As `kubelab lint` does it: the built-in checkers and the workshop's own checkers/ modules. */
async function lint(dir: string) {
  const { workshop, diagnostics } = await loadWorkshop(dir);
  const checkers = workshop ? await loadCheckers(workshop, diagnostics) : undefined;
  if (workshop && checkers) lintWorkshop(workshop, checkers, diagnostics);
  return { workshop, checkers, diagnostics: diagnostics.items as DiagnosticBag['items'] };
}

// The scaffold's checker imports `kubelab/checker`, which is dist/checker.js.
beforeAll(ensureCheckerEntry);

const tempDir = () => mkdtempSync(join(tmpdir(), 'kubelab-scaffold-'));

describe('kubelab init', () => {
  it('given an empty folder, when a workshop is scaffolded, then it has the lesson, web.yaml, a checker of its own, workflow and README, and lints with no problem', async () => {
    const dir = join(tempDir(), 'My Workshop');
    const result = await initWorkshop(dir, options);
    expect(result.id).toBe('my-workshop');
    expect(result.files).toContain('checkers/replicas-at-least.ts');
    expect(result.files.every((f) => existsSync(join(dir, f)))).toBe(true);
    expect(readFileSync(join(dir, 'checkers', 'replicas-at-least.ts'), 'utf8')).toContain("from 'kubelab/checker'");
    const { workshop, checkers, diagnostics } = await lint(dir);
    expect(diagnostics).toEqual([]);
    // The workshop's own checker is loaded next to the built-ins, and the first step uses it.
    expect(checkers!.get('replicas-at-least')).toMatchObject({ id: 'replicas-at-least', description: expect.stringContaining('ready replicas') });
    expect(workshop!.lessons.map((l) => [l.id, l.steps.map((s) => s.checks.map((c) => c.checker))])).toEqual([['hello', [['deployment-ready', 'replicas-at-least'], ['gone']]]]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('checkers/replicas-at-least.ts');
    // The namespace in web.yaml is the one the checks look in.
    expect(readFileSync(join(dir, 'lessons', '01-hello', 'web.yaml'), 'utf8')).toContain('namespace: my-workshop');
    expect(workshop!.variables.NS).toBe('my-workshop');
  });

  it('given the scaffold with a wrong argument for its own checker, when linted, then the checker\'s schema reports it like a built-in\'s', async () => {
    const dir = join(tempDir(), 'ws');
    await initWorkshop(dir, options);
    const lessonFile = join(dir, 'lessons', '01-hello', 'lesson.md');
    writeFileSync(lessonFile, readFileSync(lessonFile, 'utf8').replace('min: 2 }', 'min: 0 }'));
    const { diagnostics } = await lint(dir);
    expect(diagnostics.map((d) => `${d.severity} ${d.message}`)).toEqual([expect.stringMatching(/^error .*replicas-at-least.*args\.min/)]);
  });

  it('given a folder with files, when init runs there, then it refuses and changes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.md'), 'mine');
    await expect(initWorkshop(dir, options)).rejects.toThrow(UsageError);
    expect(existsSync(join(dir, 'workshop.yaml'))).toBe(false);
  });

  it('given a folder with only a .git, when init runs there, then it scaffolds', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.git'));
    await expect(initWorkshop(dir, options)).resolves.toMatchObject({ files: expect.arrayContaining(['workshop.yaml']) });
  });

  it('given names people type, when made into ids, then they are lowercase dashed ids, and nonsense is a usage error', () => {
    expect(toId('My Cool_Workshop!')).toBe('my-cool-workshop');
    expect(() => toId('---')).toThrow(UsageError);
  });
});

describe('kubelab new lesson', () => {
  it('given a numbered workshop, when a lesson is added, then it takes the next number, is listed last, and the workshop still lints', async () => {
    const dir = join(tempDir(), 'ws');
    await initWorkshop(dir, options);
    const added = await addLesson(dir, 'Scale it up');
    expect(added).toMatchObject({ folder: '02-scale-it-up', id: 'scale-it-up' });
    const manifest = readFileSync(join(dir, 'workshop.yaml'), 'utf8');
    expect(parse(manifest).lessons).toEqual(['01-hello', '02-scale-it-up']);
    // The author's comments in workshop.yaml survive the edit.
    expect(manifest).toContain('# Commands see it as $NS');
    const { workshop, diagnostics } = await lint(dir);
    expect(diagnostics).toEqual([]);
    expect(workshop!.lessons[1].steps[0].checks[0]).toMatchObject({ checker: 'api-reachable', unprovable: expect.stringContaining('placeholder') });
  });

  it('given a lesson name already listed, or a folder without workshop.yaml, when added, then it is a usage error', async () => {
    const dir = join(tempDir(), 'ws');
    await initWorkshop(dir, options);
    await expect(addLesson(dir, '01-hello')).rejects.toThrow(/already lists/);
    await expect(addLesson(tempDir(), 'x')).rejects.toThrow(/no workshop.yaml/);
  });
});

describe('the scaffold templates', () => {
  it('given templates/, when the package and the type check are set up, then the templates ship with kubelab and tsc sees their TypeScript', () => {
    const pkg = JSON.parse(readFileSync(join(kubelabHome(), 'package.json'), 'utf8')) as { files: string[] };
    const tsconfig = JSON.parse(readFileSync(join(kubelabHome(), 'tsconfig.json'), 'utf8')) as { include: string[] };
    expect(pkg.files).toContain('templates/');
    expect(tsconfig.include).toContain('templates');
    expect(existsSync(join(kubelabHome(), 'templates', 'workshop', 'checkers', 'replicas-at-least.ts'))).toBe(true);
  });
});

describe('the CI workflow', () => {
  it('given the build script, when its versions are read, then they are the pinned defaults', () => {
    expect(versions).toEqual({ kubernetes: expect.stringMatching(/^v1\.\d+\.\d+$/), etcd: expect.stringMatching(/^v3\.\d+\.\d+$/), kwok: expect.stringMatching(/^v0\.\d+\.\d+$/) });
  });

  it('given the versions, when the workflow is written, then the cache key names them and validate runs with both reporters', async () => {
    const workflow = parse(await workflowFile(options));
    const steps = workflow.jobs.validate.steps as { uses?: string; run?: string; with?: Record<string, unknown> }[];
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with).toMatchObject({ 'node-version': 20 });
    expect(steps.some((s) => s.uses?.startsWith('actions/setup-go'))).toBe(true);
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache'))!;
    expect(cache.with).toMatchObject({ path: '~/.cache/kubelab' });
    expect(cache.with!.key).toContain(`k8s-${versions.kubernetes}-etcd-${versions.etcd}-kwok-${versions.kwok}`);
    expect(steps.map((s) => s.run).filter(Boolean)).toContain('kubelab validate --workshop . --prove --reporter junit --output report.xml --reporter github');
  });

  it('given docs/authoring.md, when compared with the scaffold, then the workflow it shows is the one init writes', async () => {
    const doc = readFileSync(join(kubelabHome(), 'docs', 'authoring.md'), 'utf8');
    const block = /```yaml\n(# Lints and validates this workshop[\s\S]*?)```/.exec(doc);
    expect(block?.[1]).toBe(await workflowFile({ ...options, kubelabVersion: options.kubelabVersion }));
  });
});
