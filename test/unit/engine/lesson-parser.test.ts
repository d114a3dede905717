import { describe, expect, it } from 'vitest';
import { commandText, parseLesson } from '../../../src/engine/loading/formats/kubelab/lesson-parser.js';
import { formatDiagnostic } from '../../../src/engine/diagnostics.js';

const FENCE = '```';
const lesson = (body: string, frontmatter = 'id: demo\ntitle: Demo\nminutes: 5') => `---\n${frontmatter}\n---\n\n# Demo\n\nIntro.\n\n${body}`;
const parse = (source: string) => parseLesson(source, '/w/lessons/demo/lesson.md', '/w/lessons/demo');
const errors = (source: string) => parse(source).diagnostics.items.map(formatDiagnostic);

describe('lesson parser', () => {
  it('given a lesson with two ## headings, when parsed, then each heading is a step with its prose and commands', () => {
    const { lesson: l } = parse(lesson(`## First step\n\nSay hi.\n\n${FENCE}bash\necho hi\n${FENCE}\n\n## Second step\n\nMore.\n`));
    expect(l?.steps.map((s) => [s.id, s.title])).toEqual([
      ['first-step', 'First step'],
      ['second-step', 'Second step'],
    ]);
    expect(l?.steps[0].blocks[0]).toMatchObject({ code: 'echo hi', run: true, expect: 'success', timeoutSeconds: 120 });
    expect(l?.steps[0].markdown).toContain('Say hi.');
    expect(l?.intro).toContain('Intro.');
  });

  it('given every block attribute, when parsed, then each lands on the block', () => {
    const source = lesson(
      `## S\n\n${FENCE}bash timeout=30 expect=fail provider=local,kind confirm="Costs money"\nfalse\n${FENCE}\n\n${FENCE}bash norun\nrm -rf /\n${FENCE}\n\n${FENCE}sh test=false\nx\n${FENCE}\n\n${FENCE}bash expectError=true\ny\n${FENCE}\n`,
    );
    const blocks = parse(source).lesson!.steps[0].blocks;
    expect(blocks[0]).toMatchObject({ timeoutSeconds: 30, expect: 'fail', providers: ['local', 'kind'], confirm: 'Costs money', run: true });
    expect(blocks[1].run).toBe(false);
    expect(blocks[2].run).toBe(false);
    expect(blocks[3].expect).toBe('fail');
  });

  it('given a yaml step block, when parsed, then checks, hints, challenge and hooks are read and it is not shown as prose', () => {
    const source = lesson(
      `## S\n\n${FENCE}bash\nkubectl apply -f x.yaml\n${FENCE}\n\n${FENCE}yaml step\nchallenge: true\nsetup: prepare.mjs\nchecks:\n  - check: deployment-ready\n    args: { name: web }\n  - check: deployment-ready\n    args: { name: api }\n    timeout: 5\nhints: [one, two]\n${FENCE}\n`,
    );
    const step = parse(source).lesson!.steps[0];
    expect(step.challenge).toBe(true);
    expect(step.setup).toBe('prepare.mjs');
    expect(step.hints).toEqual(['one', 'two']);
    expect(step.checks.map((c) => [c.id, c.checker, c.timeoutSeconds])).toEqual([
      ['deployment-ready', 'deployment-ready', 60],
      ['deployment-ready-2', 'deployment-ready', 5],
    ]);
    expect(step.markdown).not.toContain('challenge: true');
  });

  it('given hints tied to checks, when parsed, then each hint keeps its text and the check it answers', () => {
    const source = lesson(
      `## S\n\n${FENCE}yaml step\nchecks:\n  - check: api-reachable\n  - check: nodes-ready\n    id: nodes\nhints:\n  - plain\n  - { text: "nodes are slow", check: nodes }\n${FENCE}\n`,
    );
    const step = parse(source).lesson!.steps[0];
    expect(step.hints).toEqual(['plain', 'nodes are slow']);
    expect(step.hintChecks).toEqual([undefined, 'nodes']);
  });

  it('given a hint tied to a check the step does not have, when parsed, then the error names it and the checks there are', () => {
    const source = lesson(`## S\n\n${FENCE}yaml step\nchecks:\n  - check: api-reachable\nhints:\n  - { text: "x", check: nodes-ready }\n${FENCE}\n`);
    expect(errors(source)).toEqual([expect.stringMatching(/hints: no check "nodes-ready" in this step \(its checks: api-reachable\)/)]);
  });

  it('given an unknown block attribute, when parsed, then the error names it with its line and column', () => {
    const source = lesson(`## S\n\n${FENCE}bash timout=5\nls\n${FENCE}\n`);
    expect(errors(source)).toEqual([expect.stringMatching(/lesson\.md:13:\d+: unknown block attribute "timout"/)]);
  });

  it('given bad attribute values, when parsed, then each is an error on the fence line', () => {
    const source = lesson(`## S\n\n${FENCE}bash timeout=soon expect=maybe provider=docker\nls\n${FENCE}\n`);
    const found = errors(source);
    expect(found).toHaveLength(3);
    expect(found.every((e) => e.includes("lesson.md:13:"))).toBe(true);
    expect(found.join('\n')).toMatch(/timeout must be a positive number.*\n.*expect must be "fail" or "success".*\n.*unknown provider "docker"/);
  });

  it('given an unclosed fence, when parsed, then the error points at the opening fence', () => {
    expect(errors(lesson(`## S\n\n${FENCE}bash\nls\n`))).toEqual([expect.stringContaining('lesson.md:13:1: code fence is not closed')]);
  });

  it('given missing or broken frontmatter, when parsed, then the error says what to add', () => {
    expect(errors('# No frontmatter\n\n## S\n')).toEqual([expect.stringContaining('missing YAML frontmatter')]);
    expect(errors('---\nid: x\n\n## S\n')).toEqual([expect.stringContaining('frontmatter is not closed')]);
    expect(errors(lesson('## S\n', 'id: Bad Id\ntitle: T\nminutes: many'))).toEqual([
      expect.stringContaining('frontmatter id: must be lowercase'),
      expect.stringContaining('frontmatter minutes: Expected number'),
    ]);
  });

  it('given a step block with invalid YAML, when parsed, then the error has the line inside the block', () => {
    const source = lesson(`## S\n\n${FENCE}yaml step\nchecks:\n  - check: [unclosed\n${FENCE}\n`);
    expect(errors(source)[0]).toMatch(/lesson\.md:1[45]:\d+: step block:/);
  });

  it('given a step block with an unknown key, when parsed, then it is rejected', () => {
    expect(errors(lesson(`## S\n\n${FENCE}yaml step\nhint: [oops]\n${FENCE}\n`))[0]).toContain("Unrecognized key(s) in object: 'hint'");
  });

  it('given two steps with the same heading, when parsed, then the duplicate id is an error on the second heading', () => {
    expect(errors(lesson('## Same\n\n## Same\n'))).toEqual([expect.stringContaining('lesson.md:13:1: duplicate step id "same"')]);
  });

  it('given no step at all, when parsed, then the lesson is rejected', () => {
    expect(errors(lesson('Just prose.\n'))).toEqual([expect.stringContaining('needs at least one step')]);
  });

  it('given tools as names or objects, when parsed, then both become requirements', () => {
    const { lesson: l } = parse(lesson('## S\n', 'id: demo\ntitle: Demo\nminutes: 5\ntools: [kubectl, { name: eksctl, providers: [eks], install: "brew install eksctl" }]'));
    expect(l?.tools).toEqual([{ name: 'kubectl' }, { name: 'eksctl', providers: ['eks'], install: 'brew install eksctl' }]);
  });

  it('given "$ " prompts, when the command text is taken, then only prompted lines and continuations run', () => {
    expect(commandText('$ kubectl get pods \\\n  -A\nNAME READY\n$ echo done\ndone')).toBe('kubectl get pods \\\n  -A\necho done');
    expect(commandText('plain\nlines')).toBe('plain\nlines');
  });

  it('given a "$ cat <<EOF" heredoc, when the command text is taken, then its body runs verbatim, blank lines and "$ " lines included', () => {
    const code = '$ cat <<EOF > pod.yaml\nkind: Pod\n\n$ not-a-prompt\nEOF\n$ kubectl apply -f pod.yaml\npod/x created';
    expect(commandText(code)).toBe("cat <<EOF > pod.yaml\nkind: Pod\n\n$ not-a-prompt\nEOF\nkubectl apply -f pod.yaml");
    expect(commandText("$ cat <<-'END' > f\n\tbody\n\tEND\n$ echo ok")).toBe("cat <<-'END' > f\n\tbody\n\tEND\necho ok");
  });

  it('given a "$ " line after a blank line, when the command text is taken, then it still runs (kubelab format; eks-workshop-v2 pages differ)', () => {
    expect(commandText('$ echo one\n\n$ echo two')).toBe('echo one\necho two');
  });

  it('given a command block above the first "## " heading, when parsed, then it is an error (it belongs to no step); a norun block is fine', () => {
    const source = `---\nid: demo\ntitle: Demo\nminutes: 5\n---\n\n${FENCE}bash\nkubectl get pods\n${FENCE}\n\n${FENCE}bash norun\nshown only\n${FENCE}\n\n## S\n`;
    expect(errors(source)).toEqual([expect.stringContaining('lesson.md:7:1: this command block belongs to no step')]);
  });

  it('given wait, raw and a hook whose script is missing, when parsed, then wait and raw apply and the hook is an error naming the file', () => {
    const source = lesson(`## S\n\n${FENCE}bash wait=3 raw=true hook=ready hookTimeout=20\n$ echo kept as is\n${FENCE}\n`);
    const parsed = parse(source);
    const block = parsed.lesson!.steps[0].blocks[0];
    expect(block).toMatchObject({ code: '$ echo kept as is', waitSeconds: 3, hook: { name: 'ready', script: '/w/lessons/demo/tests/hook-ready.sh', timeoutSeconds: 20 } });
    expect(parsed.diagnostics.items.map(formatDiagnostic)).toEqual([expect.stringContaining('hook=ready: tests/hook-ready.sh is not in the lesson folder')]);
  });
});

describe('where a check is', () => {
  it('Given a step block with several checks, when parsed, then each check is placed at its own line, not the block’s first', () => {
    const source = [
      '---', 'id: demo', 'title: Demo', 'minutes: 5', '---', '', '# Demo', '', '## One step', '', '```bash', 'kubectl get pods', '```', '',
      '```yaml step', // line 15
      'checks:',
      '  - check: resource', // line 17
      '    args: { kind: ConfigMap, name: a }',
      '  - check: gone', // line 19
      '    id: cleaned',
      '    args: { resources: [{ kind: ConfigMap, name: a }] }',
      '```', '',
    ].join('\n');
    const { lesson, diagnostics } = parse(source);
    expect(diagnostics.items.filter((d) => d.severity === 'error')).toEqual([]);
    expect(lesson!.steps[0].checks.map((c) => [c.id, c.location.line])).toEqual([['resource', 17], ['cleaned', 19]]);
  });
});
