import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinCheckers } from '../../../checkers/index.js';
import { formatDiagnostic } from '../../../src/engine/diagnostics.js';
import { lintWorkshop } from '../../../src/engine/loading/lint.js';
import { loadWorkshop } from '../../../src/engine/loading/sources.js';
import { traversalCorpus, type TraversalCorpus } from '../../support/traversal-corpus.js';

let corpus: TraversalCorpus;
let lines: string[];
let loadErrors: string[];

/** The 1-based line of the lesson file that holds `text`. */
const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

beforeAll(async () => {
  corpus = traversalCorpus();
  const { workshop, diagnostics } = await loadWorkshop(corpus.workshop);
  loadErrors = diagnostics.items.filter((d) => d.severity === 'error').map(formatDiagnostic);
  if (workshop) lintWorkshop(workshop, await loadBuiltinCheckers(), diagnostics);
  lines = diagnostics.items.map(formatDiagnostic);
});

describe('a workshop is confined to its folder', () => {
  const manifest = () => join(corpus.workshop, 'workshop.yaml');

  it('Given a lesson path climbing out of the workshop, when loaded, then it is refused at its line in workshop.yaml', () => {
    expect(loadErrors).toContainEqual(expect.stringMatching(new RegExp(`^${manifest()}:6:1: lesson folder "../../../outside/evil" is outside the workshop folder`)));
  });

  it('Given a lesson folder that is a symlink to outside, when loaded, then it is refused (symlinks are followed)', () => {
    expect(loadErrors).toContainEqual(expect.stringMatching(new RegExp(`^${manifest()}:7:1: lesson folder "linked-lesson" leads outside the workshop folder .*\\(through a symlink`)));
  });

  it('Given lesson and step setup/cleanup scripts outside the folder (by path or by symlink), when loaded, then each is an error at its line', () => {
    const file = corpus.lessonFile;
    expect(loadErrors).toContainEqual(expect.stringMatching(new RegExp(`^${file}:5:1: lesson setup script "../../../../outside/evil.mjs" is outside the workshop folder`)));
    // The step's own setup line (the lesson's is line 5, in the front matter).
    const stepSetup = readFileSync(file, 'utf8').split('\n').findIndex((l, i) => i > 5 && l.includes('setup: ../../../../outside/evil.mjs')) + 1;
    expect(loadErrors).toContainEqual(expect.stringMatching(new RegExp(`^${file}:${stepSetup}:1: step "apply" setup script "../../../../outside/evil.mjs" is outside`)));
    expect(loadErrors).toContainEqual(expect.stringMatching(new RegExp(`^${file}:${lineOf(file, 'cleanup: linked-hook.mjs')}:1: step "apply" cleanup script "linked-hook.mjs" leads outside .*\\(through a symlink`)));
    expect(loadErrors.join('\n')).not.toContain('"ok.mjs"');
  });

  it('Given hook= scripts leaving the folder, by ../ and by a symlinked tests/hook-linked.sh, when loaded, then each is an error at its block\'s line and no hook is kept to run (issue 25, item 3)', async () => {
    const file = corpus.lessonFile;
    expect(loadErrors).toContainEqual(expect.stringMatching(new RegExp(`^${file}:${lineOf(file, 'hook=../../../../../../../outside/evil')}:1: hook=../../../../../../../outside/evil: script ".*" is outside the workshop folder`)));
    expect(loadErrors).toContainEqual(expect.stringMatching(new RegExp(`^${file}:${lineOf(file, '```bash hook=linked')}:1: hook=linked: script "tests/hook-linked.sh" leads outside the workshop folder .*\\(through a symlink`)));
    const { workshop } = await loadWorkshop(corpus.workshop);
    expect(workshop!.lessons.flatMap((l) => l.steps.flatMap((s) => s.blocks.filter((b) => b.hook)))).toEqual([]);
  });

  it('Given commands reading manifests outside the folder (../, symlink, -k, after a cd out), when linted, then each is an error; absolute paths are a warning', () => {
    const errors = lines.filter((l) => !l.includes(': warning: ') && /: (command file|cd target) "/.test(l));
    const paths = errors.map((l) => /(?:file|target) "([^"]+)"/.exec(l)?.[1]);
    expect(paths).toEqual(['../../../../../etc/passwd', 'linked.yaml', '../../../../outside', '../../../..', 'outside/secret.yaml']);
    expect(lines).toContainEqual(expect.stringMatching(/: warning: command file "\/etc\/kubernetes\/admin.yaml" is outside the workshop folder .*learner's permissions/));
    for (const fine of ['app.yaml', 'common.yaml', 'generated.yaml', 'example.com', 'generated-by-the-learner.yaml']) expect(lines.join('\n')).not.toContain(fine);
    // Each at its command's own line, not the fence's (issue 25, item 8).
    for (const [command, path] of [['kubectl apply -f ../../../../../etc/passwd', '../../../../../etc/passwd'], ['kubectl apply -k ../../../../outside', '../../../../outside'], ['cd ../../../..', '../../../..']]) {
      expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^${corpus.lessonFile}:${lineOf(corpus.lessonFile, command)}:1: .*"${path}"`)));
    }
  });
});

describe('workshop checker modules are confined too', () => {
  it('Given a checker module that is a symlink out, and one importing a file outside, when loaded, then neither runs and each is an error naming its file', async () => {
    const { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { DiagnosticBag } = await import('../../../src/engine/diagnostics.js');
    const { loadWorkshopCheckers } = await import('../../../src/engine/loading/workshop-checkers.js');
    const root = mkdtempSync(join(tmpdir(), 'kubelab-wcheckers-out-'));
    const marker = join(root, 'OUTSIDE-CODE-RAN');
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside', 'evil.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport const helper = 1;\n`);
    const ws = join(root, 'ws');
    mkdirSync(join(ws, 'checkers'), { recursive: true });
    symlinkSync(join(root, 'outside', 'evil.mjs'), join(ws, 'checkers', 'linked.mjs'));
    writeFileSync(join(ws, 'checkers', 'importer.mjs'), "import { helper } from '../../outside/evil.mjs';\nexport const c = { id: 'c', args: { safeParse: () => ({ success: true }) }, async run() { return { status: 'pass', message: String(helper) }; } };\n");
    const bag = new DiagnosticBag();
    const loaded = await loadWorkshopCheckers(ws, bag, new Set());
    expect(loaded).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    const lines = bag.items.map(formatDiagnostic);
    expect(lines).toContainEqual(expect.stringMatching(/checkers\/linked\.mjs:1:1: checker module "linked\.mjs" leads outside the workshop folder/));
    expect(lines).toContainEqual(expect.stringMatching(/checkers\/importer\.mjs:1:\d+: checker module does not build: import "..\/..\/outside\/evil\.mjs" is outside the workshop folder/));
  });
});

describe('eks-workshop-v2 hooks are confined too', () => {
  it('Given hook=x/../../../evil and a tests/ hook that is a symlink out, when the pages load, then each is an error and neither becomes a hook', async () => {
    const { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { loadDocusaurusWorkshop } = await import('../../../src/engine/loading/formats/docusaurus/source.js');
    const root = mkdtempSync(join(tmpdir(), 'kubelab-hooks-out-'));
    writeFileSync(join(root, 'evil.sh'), 'touch /tmp/never\n');
    const docs = join(root, 'docs');
    mkdirSync(join(docs, 'tests'), { recursive: true });
    symlinkSync(join(root, 'evil.sh'), join(docs, 'tests', 'hook-linked.sh'));
    const fence = '```';
    writeFileSync(join(docs, 'p.md'), `---\ntitle: P\nsidebar_position: 1\n---\n\n${fence}bash hook=x/../../../evil\n$ echo a\n${fence}\n\n${fence}bash hook=linked\n$ echo b\n${fence}\n`);
    const { workshop, diagnostics } = await loadDocusaurusWorkshop(docs, { env: {} });
    const errors = diagnostics.items.filter((d) => d.severity === 'error').map(formatDiagnostic);
    expect(errors).toContainEqual(expect.stringMatching(/p\.md:6:1: hook=x\/\.\.\/\.\.\/\.\.\/evil: script .* is outside the workshop folder/));
    expect(errors).toContainEqual(expect.stringMatching(/p\.md:10:1: hook=linked: script .* leads outside the workshop folder .*\(through a symlink/));
    expect(workshop?.lessons.flatMap((l) => l.steps.flatMap((s) => s.blocks.map((b) => b.hook))).filter(Boolean)).toEqual([]);
  });
});
