/**
 * A workshop that tries every way out of its folder: a lesson path, lesson and step hooks, manifest
 * paths and `cd` in commands, and symlinks that point outside. Next to it, an `outside/` folder whose
 * script leaves a marker if it is ever run.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TraversalCorpus {
  root: string;
  workshop: string;
  lessonFile: string;
  /** Created if any outside script runs. */
  marker: string;
}

const lesson = (id: string, frontmatter: string, body: string) => `---\nid: ${id}\ntitle: ${id}\nminutes: 1\n${frontmatter}---\n\n${body}`;

export function traversalCorpus(): TraversalCorpus {
  const root = mkdtempSync(join(tmpdir(), 'kubelab-traversal-'));
  const outside = join(root, 'outside');
  const marker = join(root, 'OUTSIDE-SCRIPT-RAN');
  mkdirSync(join(outside, 'evil'), { recursive: true });
  const evilScript = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\n`;
  writeFileSync(join(outside, 'evil.mjs'), evilScript);
  // A hook script (bash) that leaves the same marker.
  writeFileSync(join(outside, 'evil.sh'), `echo ran > ${JSON.stringify(marker)}\n`);
  writeFileSync(join(outside, 'secret.yaml'), 'kind: ConfigMap\n');
  writeFileSync(join(outside, 'evil', 'lesson.md'), lesson('evil', '', '## Steal\n\n```bash\necho stolen\n```\n'));

  const workshop = join(root, 'parent', 'ws');
  const lessons = join(workshop, 'lessons');
  mkdirSync(join(lessons, 'good'), { recursive: true });
  mkdirSync(join(workshop, 'shared'), { recursive: true });
  writeFileSync(join(workshop, 'shared', 'common.yaml'), 'kind: ConfigMap\n');
  writeFileSync(join(lessons, 'good', 'app.yaml'), 'kind: ConfigMap\n');
  writeFileSync(join(lessons, 'good', 'ok.mjs'), '// a setup that stays home\n');
  symlinkSync(join(outside, 'evil.mjs'), join(lessons, 'good', 'linked-hook.mjs'));
  symlinkSync(join(outside, 'secret.yaml'), join(lessons, 'good', 'linked.yaml'));
  symlinkSync(join(outside, 'evil'), join(lessons, 'linked-lesson'));
  mkdirSync(join(lessons, 'good', 'tests'));
  symlinkSync(join(outside, 'evil.sh'), join(lessons, 'good', 'tests', 'hook-linked.sh'));

  writeFileSync(
    join(workshop, 'workshop.yaml'),
    ['id: traversal', 'title: Traversal', 'description: tries to leave its folder', 'lessons:', '  - good', '  - ../../../outside/evil', '  - linked-lesson', 'providers: [local]', ''].join('\n'),
  );
  const lessonFile = join(lessons, 'good', 'lesson.md');
  writeFileSync(
    lessonFile,
    lesson(
      'good',
      'setup: ../../../../outside/evil.mjs\ncleanup: ok.mjs\n',
      [
        '## Apply',
        '',
        '```bash',
        'kubectl apply -f app.yaml',
        'kubectl apply -f ../../shared/common.yaml',
        'kubectl apply -f "$KUBELAB_WORKSPACE/generated.yaml"',
        'kubectl apply -f ../../../../../etc/passwd',
        '```',
        '',
        '```yaml step',
        'setup: ../../../../outside/evil.mjs',
        'cleanup: linked-hook.mjs',
        '```',
        '',
        '## Wander',
        '',
        '```bash',
        'kubectl apply --filename=linked.yaml',
        'kubectl apply -k ../../../../outside',
        'cd ../../../..',
        '```',
        '',
        '```bash',
        'kubectl apply -f outside/secret.yaml',
        'kubectl apply -f /etc/kubernetes/admin.yaml',
        'tail -f ../../../../outside/secret.yaml',
        'curl -k https://example.com',
        '```',
        '',
        '```bash hook=../../../../../../../outside/evil',
        'echo climbing hook',
        '```',
        '',
        '```bash hook=linked',
        'echo linked hook',
        '```',
        '',
        '```bash',
        'cd "$KUBELAB_WORKSPACE"',
        'kubectl apply -f generated-by-the-learner.yaml',
        '```',
        '',
      ].join('\n'),
    ),
  );
  return { root, workshop, lessonFile, marker };
}
