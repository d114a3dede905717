import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { kubelab, ROOT } from '../support/cli.js';
import { leaks, secretCorpus } from '../support/secret-corpus.js';
import { traversalCorpus } from '../support/traversal-corpus.js';

const freshState = () => mkdtempSync(join(tmpdir(), 'kubelab-safety-'));

/** Runs a shell pipeline with the built CLI as `kubelab`; resolves with bash's PIPESTATUS and stderr. */
function pipeline(command: string, env: Record<string, string>): Promise<{ statuses: number[]; stderr: string }> {
  const script = `kubelab() { node ${JSON.stringify(join(ROOT, 'bin', 'kubelab.js'))} "$@"; }\n${command}\necho "PIPESTATUS \${PIPESTATUS[*]}" >&2`;
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 }, (_error, _stdout, stderr) => {
      const statuses = /PIPESTATUS ([\d ]+)/.exec(stderr)?.[1].trim().split(' ').map(Number) ?? [];
      resolve({ statuses, stderr: stderr.replace(/PIPESTATUS.*\n?/, '') });
    });
  });
}

describe('clean ends', () => {
  it.each(['kubelab list | head -1', 'kubelab list | true', 'kubelab lint | true', 'kubelab --help | true'])('Given "%s", when the reader stops early, then kubelab ends quietly: exit 0, no stack trace', async (command) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { statuses, stderr } = await pipeline(command, { KUBELAB_STATE_DIR: freshState() });
      expect(stderr).not.toMatch(/EPIPE|node:events|Unhandled|at .*\(node:/);
      expect(statuses[0]).toBe(0);
    }
  });

  it('Given a progress path that is a directory, when kubelab list runs, then it exits 3 naming the path, not as a bug', async () => {
    const state = freshState();
    const file = join(state, 'progress', 'eks-workshop.json');
    mkdirSync(file, { recursive: true });
    const result = await kubelab(['list'], { KUBELAB_STATE_DIR: state });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`The progress file ${file} is a directory.`);
    expect(result.stderr).not.toContain('Unexpected error');
  });
});

describe('a workshop is confined to its folder (built CLI)', () => {
  it('Given a workshop reaching outside by paths and symlinks, when linted, then each escape is reported as path:line:col and lint exits 2', async () => {
    const corpus = traversalCorpus();
    const result = await kubelab(['lint', '--workshop', corpus.workshop], { KUBELAB_STATE_DIR: freshState() });
    expect(result.code).toBe(2);
    const lines = result.stdout.split('\n').filter(Boolean);
    const manifest = join(corpus.workshop, 'workshop.yaml');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${manifest}:6:1: lesson folder "../../../outside/evil" is outside`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${manifest}:7:1: lesson folder "linked-lesson" leads outside`)));
    for (const what of ['lesson setup script', 'step "apply" setup script', 'step "apply" cleanup script "linked-hook.mjs"', 'command file "../../../../../etc/passwd"', 'command file "linked.yaml"', 'command file "../../../../outside"', 'cd target "../../../.."', 'command file "outside/secret.yaml"', 'hook=../../../../../../../outside/evil: script', 'hook=linked: script']) {
      expect(lines.filter((l) => l.startsWith(`${corpus.lessonFile}:`) && l.includes(what)), what).toHaveLength(1);
    }
  });

  it('Given the same workshop, when validated, then it is refused before anything runs: exit 2, and the outside script never ran', async () => {
    const corpus = traversalCorpus();
    const result = await kubelab(['validate', '--workshop', corpus.workshop, '--provider', 'local'], { KUBELAB_STATE_DIR: inject('stateDir') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has errors');
    expect(existsSync(corpus.marker)).toBe(false);
  });
});

describe('secrets never leave kubelab (built CLI, real local cluster)', () => {
  it('Given a lesson printing each secret, when validated with the JSON and JUnit reporters, then neither the terminal nor the reports hold any of them', async () => {
    const state = freshState();
    const root = mkdtempSync(join(tmpdir(), 'kubelab-leaky-'));
    // The workspace the session will use: the corpus writes its key, token and kubeconfig there.
    const corpus = secretCorpus(root, join(state, 'workspace', 'leaky'));
    const kubeconfigKey = readFileSync(inject('kubeconfig'), 'utf8');
    const cases = [
      ...corpus.cases,
      // Issue 25, item 4: secrets that exist only once the block runs.
      ...corpus.liveCases,
      // The cluster's own credentials, printed the way a lesson would print them.
      { label: 'the cluster kubeconfig, --raw', print: 'kubectl config view --raw', secrets: secretsOf(kubeconfigKey) },
    ];
    const workshop = join(root, 'workshop');
    mkdirSync(join(workshop, 'lessons'), { recursive: true });
    writeFileSync(join(workshop, 'workshop.yaml'), `id: leaky\ntitle: Leaky\ndescription: prints secrets\nlessons:\n${cases.map((_, i) => `  - c${i}`).join('\n')}\nproviders: [local, existing]\n`);
    for (const [i, c] of cases.entries()) {
      mkdirSync(join(workshop, 'lessons', `c${i}`));
      // The step fails right after printing, so the report's error carries the last line printed.
      writeFileSync(join(workshop, 'lessons', `c${i}`, 'lesson.md'), `---\nid: c${i}\ntitle: "${c.label.replace(/"/g, '')}"\nminutes: 1\n---\n\n## Print\n\n\`\`\`bash\n${c.print}\nfalse\n\`\`\`\n`);
    }
    const env = { KUBELAB_STATE_DIR: state, ...corpus.env };
    const args = ['validate', '--workshop', workshop, '--kubeconfig', inject('kubeconfig'), '--verbose'];
    const json = await kubelab([...args, '--reporter', 'json'], env, { timeoutMs: 300_000 });
    const junitFile = join(root, 'report.xml');
    const junit = await kubelab([...args, '--reporter', 'junit', '--output', junitFile], env, { timeoutMs: 300_000 });
    expect(json.code, json.stderr).toBe(1);
    expect(junit.code, junit.stderr).toBe(1);
    const report = JSON.parse(json.stdout) as { lessons: { steps: { error?: string }[] }[] };
    expect(report.lessons).toHaveLength(cases.length);
    expect(report.lessons.every((l) => /^`.*` failed with exit code 1 /.test(l.steps[0]?.error ?? ''))).toBe(true);
    const all = { ...corpus, cases };
    for (const [sink, text] of [['terminal (json run)', json.stderr], ['report.json', json.stdout], ['terminal (junit run)', junit.stderr], ['report.xml', readFileSync(junitFile, 'utf8')]] as const) {
      expect(leaks(all, text), sink).toEqual([]);
    }
    expect(json.stderr).toContain('[REDACTED]');
  });
});

/** The credential values in a kubeconfig's text (inline data and tokens). */
function secretsOf(kubeconfig: string): string[] {
  return [...kubeconfig.matchAll(/(?:client-key-data|token|password):\s*(\S+)/g)].map((m) => m[1]).filter((v) => v.length >= 8);
}
