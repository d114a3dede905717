import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinCheckers } from '../../../checkers/index.js';
import { formatDiagnostic } from '../../../src/engine/diagnostics.js';
import { lintWorkshop } from '../../../src/engine/lint.js';
import { loadWorkshop } from '../../../src/engine/workshop.js';
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

  it('Given commands reading manifests outside the folder (../, symlink, -k, after a cd out), when linted, then each is an error; absolute paths are a warning', () => {
    const errors = lines.filter((l) => !l.includes(': warning: ') && /: (command file|cd target) "/.test(l));
    const paths = errors.map((l) => /(?:file|target) "([^"]+)"/.exec(l)?.[1]);
    expect(paths).toEqual(['../../../../../etc/passwd', 'linked.yaml', '../../../../outside', '../../../..', 'outside/secret.yaml']);
    expect(lines).toContainEqual(expect.stringMatching(/: warning: command file "\/etc\/kubernetes\/admin.yaml" is outside the workshop folder .*learner's permissions/));
    for (const fine of ['app.yaml', 'common.yaml', 'generated.yaml', 'example.com']) expect(lines.join('\n')).not.toContain(fine);
    // Each at its block's line: path:line:col.
    for (const l of errors) expect(l).toMatch(new RegExp(`^${corpus.lessonFile}:\\d+:\\d+: `));
  });
});
