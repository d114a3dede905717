import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/engine/diagnostics.js';
import { DiagnosticBag } from '../../../src/engine/diagnostics.js';
import { inSourceTitles, lessonIn, sourceHash } from '../../../src/engine/i18n/lesson-translation.js';
import { lintTranslations } from '../../../src/engine/loading/translation-drift.js';
import { loadWorkshop } from '../../../src/engine/loading/sources.js';

const SOURCE = `---
id: hello
title: Hello
minutes: 5
---

# Hello

## Create a namespace

Namespaces group objects.

\`\`\`bash
kubectl create namespace demo
\`\`\`

\`\`\`yaml step
checks:
  - check: resource
    args: { kind: Namespace, name: demo }
hints:
  - "Run the command above."
\`\`\`

## Clean up

\`\`\`bash
kubectl delete namespace demo
\`\`\`

\`\`\`yaml step
unchecked: "cleanup"
\`\`\`
`;

const french = (hash: string, body = FRENCH_BODY) => `---
id: hello
title: Bonjour
minutes: 5
translatedFrom: ${hash}
---
${body}`;

const FRENCH_BODY = `
# Bonjour

## Créer un espace de noms

Un espace de noms regroupe des objets.

\`\`\`bash
kubectl create namespace demo
\`\`\`

\`\`\`yaml step
checks:
  - check: resource
    args: { kind: Namespace, name: demo }
hints:
  - "Lancez la commande ci-dessus."
\`\`\`

## Nettoyer

\`\`\`bash
kubectl delete namespace demo
\`\`\`

\`\`\`yaml step
unchecked: "nettoyage"
\`\`\`
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function lint(source: string, translation?: string) {
  const root = mkdtempSync(join(tmpdir(), 'kubelab-i18n-'));
  dirs.push(root);
  mkdirSync(join(root, 'lessons', 'hello'), { recursive: true });
  writeFileSync(join(root, 'workshop.yaml'), 'id: ws\ntitle: WS\ndescription: d\nlessons: [hello]\nproviders: [local]\n');
  writeFileSync(join(root, 'lessons', 'hello', 'lesson.md'), source);
  if (translation !== undefined) writeFileSync(join(root, 'lessons', 'hello', 'lesson.fr.md'), translation);
  const { workshop, diagnostics } = await loadWorkshop(root);
  const bag = new DiagnosticBag();
  const states = lintTranslations(workshop!.lessons, bag);
  return { workshop: workshop!, load: diagnostics, states, lines: bag.items.map(formatDiagnostic), root };
}

describe('translations and their source', () => {
  it('given a translation reviewed against lesson.md as it is, when linted, then it is current and lint says nothing', async () => {
    const { states, lines, load } = await lint(SOURCE, french(sourceHash(SOURCE)));
    expect(load.items).toEqual([]);
    expect(lines).toEqual([]);
    expect(states).toEqual([expect.objectContaining({ lesson: 'hello', language: 'fr', state: 'current', problems: 0 })]);
  });

  it('given a translation with a step missing, when linted, then lint names the untranslated step with its file and line', async () => {
    const body = FRENCH_BODY.slice(0, FRENCH_BODY.indexOf('## Nettoyer'));
    const { states, lines } = await lint(SOURCE, french(sourceHash(SOURCE), body));
    expect(states[0].state).toBe('drifted');
    expect(lines).toContainEqual(expect.stringMatching(/lesson\.fr\.md:\d+:1: 1 step\(s\) here, 2 in lesson\.md: not translated: "Clean up" \(lesson\.md:25\)/));
  });

  it('given a translation whose command changed, when linted, then lint points at the block and quotes both commands', async () => {
    const changed = french(sourceHash(SOURCE), FRENCH_BODY.replace('kubectl create namespace demo', 'kubectl create namespace demo-fr'));
    const { states, lines } = await lint(SOURCE, changed);
    expect(states[0].state).toBe('drifted');
    const line = changed.split('\n').findIndex((l) => l.startsWith('```bash')) + 1;
    expect(lines).toContainEqual(expect.stringContaining(`lesson.fr.md:${line}:1: command differs from lesson.md:13: \`kubectl create namespace demo\` there, \`kubectl create namespace demo-fr\` here`));
  });

  it('given a translation whose checks changed, when linted, then lint says the step block differs', async () => {
    const { lines } = await lint(SOURCE, french(sourceHash(SOURCE), FRENCH_BODY.replace('name: demo }', 'name: autre }')));
    expect(lines).toContainEqual(expect.stringMatching(/lesson\.fr\.md:\d+:1: step 1 \("create-a-namespace"\): its checks differ/));
  });

  it('given lesson.md edited after the translation was reviewed, when linted, then lint says which translation needs review, at its translatedFrom line', async () => {
    const translation = french(sourceHash(SOURCE));
    const edited = SOURCE.replace('Namespaces group objects.', 'Namespaces group objects, and quotas apply per namespace.');
    const { states, lines } = await lint(edited, translation);
    expect(states[0]).toMatchObject({ state: 'needs-review', translatedFrom: sourceHash(SOURCE), sourceHash: sourceHash(edited) });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`lesson\\.fr\\.md:5:1: warning: lesson\\.md changed since this translation was reviewed .*set translatedFrom: ${sourceHash(edited)}`))]);
  });

  it('given a translation, when the lesson is read in French, then prose and hints are French and step ids and checks are the source’s', async () => {
    const { workshop } = await lint(SOURCE, french(sourceHash(SOURCE)));
    const english = workshop.lessons[0];
    const inFrench = lessonIn(english, 'fr');
    expect(inFrench.title).toBe('Bonjour');
    expect(inFrench.steps.map((s) => s.id)).toEqual(english.steps.map((s) => s.id));
    expect(inFrench.steps[0].title).toBe('Créer un espace de noms');
    expect(inFrench.steps[0].hints).toEqual(['Lancez la commande ci-dessus.']);
    expect(inFrench.steps[0].checks).toBe(english.steps[0].checks);
    expect(inFrench.untranslated).toBeUndefined();
  });

  it('given no translation, when the lesson is read in French, then it stays in English and says it is untranslated', async () => {
    const { workshop, states } = await lint(SOURCE);
    expect(states).toEqual([]);
    const shown = lessonIn(workshop.lessons[0], 'fr');
    expect(shown.title).toBe('Hello');
    expect(shown.untranslated).toBe('fr');
    expect(lessonIn(workshop.lessons[0], 'en')).toBe(workshop.lessons[0]);
  });
});

describe('lint --json translation states', () => {
  it('given two lessons and a French translation of one, when linted, then the other is listed as missing in French', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kubelab-i18n-'));
    dirs.push(root);
    for (const folder of ['hello', 'bye']) {
      mkdirSync(join(root, 'lessons', folder), { recursive: true });
      writeFileSync(join(root, 'lessons', folder, 'lesson.md'), SOURCE.replace('id: hello', `id: ${folder}`));
    }
    writeFileSync(join(root, 'lessons', 'hello', 'lesson.fr.md'), french(sourceHash(SOURCE)));
    writeFileSync(join(root, 'workshop.yaml'), 'id: ws\ntitle: WS\ndescription: d\nlessons: [hello, bye]\nproviders: [local]\n');
    const { workshop } = await loadWorkshop(root);
    const states = lintTranslations(workshop!.lessons, new DiagnosticBag());
    expect(states.map((s) => [s.lesson, s.language, s.state])).toEqual([
      ['hello', 'fr', 'current'],
      ['bye', 'fr', 'missing'],
    ]);
    expect(states[1].file).toBe(join(root, 'lessons', 'bye', 'lesson.fr.md'));
  });
});

describe('the class view and translations', () => {
  it('given a French learner’s step-start, when it goes to the class, then it carries the source title and the shared ids', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kubelab-i18n-'));
    dirs.push(root);
    mkdirSync(join(root, 'lessons', 'hello'), { recursive: true });
    writeFileSync(join(root, 'workshop.yaml'), 'id: ws\ntitle: WS\nlessons: [hello]\nproviders: [local]\n');
    writeFileSync(join(root, 'lessons', 'hello', 'lesson.md'), SOURCE);
    writeFileSync(join(root, 'lessons', 'hello', 'lesson.fr.md'), french(sourceHash(SOURCE)));
    const { workshop } = await loadWorkshop(root);
    const step = lessonIn(workshop!.lessons[0], 'fr').steps[0];
    const toSource = inSourceTitles(workshop!);
    expect(toSource({ type: 'step-start', lessonId: 'hello', stepId: step.id, title: step.title })).toEqual({ type: 'step-start', lessonId: 'hello', stepId: 'create-a-namespace', title: 'Create a namespace' });
    expect(toSource({ type: 'lesson-start', lessonId: 'hello', title: 'Bonjour' })).toEqual({ type: 'lesson-start', lessonId: 'hello', title: 'Hello' });
  });
});
