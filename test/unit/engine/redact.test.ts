import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toClassEvent } from '../../../src/class/client.js';
import { loadProgress, progressFile, saveProgress, updateStep } from '../../../src/engine/running/progress.js';
import { REDACTED, Redactor } from '../../../src/engine/running/redact.js';
import { runBlock } from '../../../src/engine/running/runner.js';
import type { EngineEvent } from '../../../src/engine/types.js';
import type { LessonsReport } from '../../../src/engine/running/run-lessons.js';
import { renderJson } from '../../../src/reporters/json.js';
import { renderJunit } from '../../../src/reporters/junit.js';
import { plain, prettyProgress, renderSummary } from '../../../src/reporters/pretty.js';
import { leaks, secretCorpus, type SecretCorpus } from '../../support/secret-corpus.js';

let corpus: SecretCorpus;
/** What each case prints, unredacted, line by line (as a step's output would be before any sink). */
let printed: Map<string, string[]>;
const redactorFor = (c: SecretCorpus) => Redactor.from({ env: c.env, kubeconfigs: [c.kubeconfig], workspaces: [c.workspace], rescanMs: 0 });
const shellEnv = () => ({ ...corpus.env, PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' });

beforeAll(() => {
  corpus = secretCorpus();
  printed = new Map(corpus.cases.map((c) => [c.label, execFileSync('bash', ['-c', c.print], { env: shellEnv(), encoding: 'utf8' }).split('\n')]));
  // The corpus is only a corpus if the raw output really holds every secret.
  for (const c of corpus.cases) expect(leaks({ ...corpus, cases: [c] }, printed.get(c.label)!.join('\n')), c.label).not.toEqual([]);
});

describe('redaction: every secret, every sink', () => {
  it('Given each secret printed by a step, when the runner streams it through the session redactor, then no line holds it', async () => {
    const redactor = redactorFor(corpus);
    for (const c of corpus.cases) {
      const lines: string[] = [];
      const result = await runBlock(c.print, { env: shellEnv(), cwd: corpus.workspace }, { timeoutMs: 30_000, expect: 'success', signal: new AbortController().signal, redactor, onLine: (_s, l) => lines.push(l) });
      expect(result.outcome, c.label).toBe('ok');
      expect(leaks(corpus, [...lines, ...result.tail].join('\n')), c.label).toEqual([]);
      expect(lines.join('\n'), c.label).toContain(REDACTED);
    }
  });

  it('Given reports whose errors, messages, expected and actual hold each secret, when rendered as JSON, JUnit and pretty, then none holds it', () => {
    const redactor = redactorFor(corpus);
    const steps = corpus.cases.map((c, i) => {
      const text = printed.get(c.label)!.join('\n');
      return {
        id: `s${i}`,
        title: c.label,
        status: 'failed' as const,
        durationMs: 1,
        error: `command failed with exit code 1 (lesson.md:3): ${text}`,
        checks: [{ id: 'c', checker: 'x', status: 'fail', message: text, expected: text, actual: text }],
      };
    });
    const report: LessonsReport = { lessons: [{ id: 'l', title: 'L', status: 'failed', durationMs: 1, steps, error: printed.get(corpus.cases[0].label)!.join('\n') }], summary: { passed: 0, failed: steps.length, skipped: 0, durationMs: 1 } };
    for (const rendered of [renderJson(report, redactor), renderJunit(report, redactor), renderSummary(report, plain, redactor)]) {
      expect(leaks(corpus, rendered)).toEqual([]);
    }
    // Without the session's redactor (its kubeconfig and workspace), the shapes alone still hide some — not all.
    expect(leaks(corpus, renderJson(report)).length).toBeGreaterThan(0);
  });

  it('Given events carrying each secret, when the pretty progress writes them, then no line holds it', () => {
    const out: string[] = [];
    const write = prettyProgress((l) => out.push(l), plain, true, redactorFor(corpus));
    for (const c of corpus.cases) {
      const at = { lessonId: 'l', stepId: 's' };
      for (const line of printed.get(c.label)!) write({ type: 'output', ...at, blockIndex: 0, stream: 'stdout', line });
      const text = printed.get(c.label)!.join('\n');
      write({ type: 'check-end', ...at, checkId: 'c', durationMs: 1, result: { status: 'fail', message: text, expected: text, actual: text, hint: text } });
    }
    expect(leaks(corpus, out.join('\n'))).toEqual([]);
  });

  it('Given check results and step titles holding each secret, when mapped to class events, then none holds it', () => {
    const redactor = redactorFor(corpus);
    const sent: unknown[] = [];
    const at = { lessonId: 'l', stepId: 's' };
    for (const c of corpus.cases) {
      for (const line of printed.get(c.label)!.filter(Boolean)) {
        const events: EngineEvent[] = [
          { type: 'check-end', ...at, checkId: 'c', durationMs: 1, result: { status: 'fail', message: line } },
          { type: 'step-start', ...at, title: line },
          { type: 'lesson-start', lessonId: 'l', title: line },
        ];
        for (const e of events) sent.push(toClassEvent(e, redactor));
      }
    }
    expect(leaks(corpus, JSON.stringify(sent))).toEqual([]);
  });

  it('Given progress naming a secret (a step title pasted as an id), when saved, then the file does not hold it', async () => {
    const env = { KUBELAB_STATE_DIR: mkdtempSync(join(tmpdir(), 'kubelab-progress-')), ...corpus.env };
    const { progress } = await loadProgress('w', env);
    const leaky = updateStep({ ...progress, provider: `eks ${corpus.env.AWS_SECRET_ACCESS_KEY}` }, 'l', `token=${corpus.env.AWS_SESSION_TOKEN}`, { status: 'passed' });
    await saveProgress(leaky, env);
    const text = readFileSync(progressFile('w', env), 'utf8');
    expect(text).not.toContain(corpus.env.AWS_SECRET_ACCESS_KEY);
    expect(text).not.toContain(corpus.env.AWS_SESSION_TOKEN);
  });
});

describe('redaction: values learned as they appear', () => {
  it('Given a key file written into the workspace after the session started, when its lines are printed, then they are hidden', () => {
    const root = mkdtempSync(join(tmpdir(), 'kubelab-late-'));
    const late = secretCorpus(root);
    const redactor = Redactor.from({ workspaces: [join(root, 'empty-at-first')], rescanMs: 0 });
    const token = 'late-token-4f1a9c2e7b';
    expect(redactor.line(token)).toBe(token);
    const dir = join(root, 'empty-at-first');
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'ci.token'), `${token}\n`);
    expect(redactor.line(`using ${token}`)).toBe(`using ${REDACTED}`);
    expect(late.all.length).toBeGreaterThan(0);
  });

  it('Given a block that exports a secret-named variable, when the session remembers it, then its value is hidden anywhere later', () => {
    const redactor = new Redactor();
    redactor.rememberEnv({ DEPLOY_TOKEN: 'a9f8e7d6c5b4', KUBECONFIG: '/home/x/.kube/config', AWS_SHARED_CREDENTIALS_FILE: '/home/x/.aws/credentials', SECRET_NAME: 'db-credentials' });
    expect(redactor.line('secret/db-credentials created')).toBe('secret/db-credentials created');
    expect(redactor.line('curl -H "X-Auth: a9f8e7d6c5b4"')).not.toContain('a9f8e7d6c5b4');
    expect(redactor.line('reading /home/x/.aws/credentials')).toBe('reading /home/x/.aws/credentials');
  });
});

describe('redaction: secrets that appear mid-block (issue 25, item 4)', () => {
  it('Given a token exported then echoed, and a workspace file written then printed, in one block, when streamed with a session redactor as it throttles, then neither shows', async () => {
    const live = secretCorpus();
    const redactor = Redactor.from({ env: live.env, kubeconfigs: [live.kubeconfig], workspaces: [live.workspace] });
    for (const c of live.liveCases) {
      // A line just before: the throttled rescan has just run, as it has in a busy step.
      redactor.line('warming up');
      const lines: string[] = [];
      const result = await runBlock(c.print, { env: { ...live.env, PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: live.workspace }, { timeoutMs: 30_000, expect: 'success', signal: new AbortController().signal, redactor, onLine: (_s, l) => lines.push(l) });
      expect(result.outcome, c.label).toBe('ok');
      expect(lines.join('\n'), c.label).toContain(REDACTED);
      expect(leaks({ cases: [c] }, [...lines, ...result.tail].join('\n')), c.label).toEqual([]);
    }
  });

  it('Given a value a lesson exported, when it is printed through `echo $X | base64` (with its newline, wrapped or not), then the encoded forms are hidden too', () => {
    const value = `v-${'0123456789abcdef'.repeat(4)}`;
    const redactor = new Redactor();
    redactor.rememberEnv({ LONG_SECRET: value });
    const encoded = execFileSync('bash', ['-c', 'echo "$V" | base64'], { env: { V: value, PATH: process.env.PATH ?? '/usr/bin:/bin' }, encoding: 'utf8' });
    for (const line of encoded.split('\n').filter((l) => l.length >= 16)) expect(redactor.line(line), line).toBe(REDACTED);
  });
});

describe('redaction: ordinary output stays readable', () => {
  it.each([
    'deployment.apps/ecsdemo-nodejs created',
    'NAME             READY   UP-TO-DATE   AVAILABLE   AGE',
    '      secretName: db-credentials',
    'kind: Secret',
    'type: kubernetes.io/service-account-token',
    'Kubernetes control plane is running at https://127.0.0.1:6443',
    'publicExponent: 65537 (0x10001)',
    'pods is forbidden: User "rbac-user" cannot list resource "pods" in API group "" in the namespace "rbac-test"',
    '  client-certificate: /home/learner/.local/state/kubelab/workspace/eks/rbac-user.crt',
    'export TOKEN=$(kubectl create token deployer)',
    'secret/db-password created',
    'tokens: 3',
    'a Bearer token goes in the Authorization header',
    'image: nginx@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
    '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
    'apiGroup: rbac.authorization.k8s.io',
    '  "authorization": {',
    'Cloning into https://github.com/aws-samples/eks-workshop-v2.git',
    '  --token-file string   a file holding the token',
  ])('Given "%s", when redacted, then it is unchanged', (line) => {
    expect(new Redactor().line(line)).toBe(line);
  });
});
