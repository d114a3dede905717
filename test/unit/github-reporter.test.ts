import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatAnnotation, lintAnnotations, renderAnnotations, repoPath, validateAnnotations } from '../../src/reporters/github.js';
import { chooseReporters } from '../../src/services/reporters.js';
import { UsageError } from '../../src/errors.js';
import type { LessonsReport } from '../../src/engine/running/run-lessons.js';
import type { Lesson, Step, Workshop } from '../../src/engine/types.js';

const ROOT = '/repo';

function step(id: string, line: number, checks: { id: string; line: number }[] = []): Step {
  const file = '/repo/lessons/rbac/lesson.md';
  return {
    id, title: id, index: 0, markdown: '', blocks: [], hints: [], challenge: false,
    checks: checks.map((c) => ({ id: c.id, checker: c.id, args: {}, timeoutSeconds: 30, location: { file, line: c.line, column: 3 } })),
    location: { file, line, column: 1 },
  };
}

const lesson: Lesson = {
  id: 'rbac', title: 'RBAC', minutes: 5, requires: [], tools: [], providers: ['local'], dir: '/repo/lessons/rbac', file: '/repo/lessons/rbac/lesson.md', intro: '',
  steps: [step('create', 10), step('bind', 20, [{ id: 'role-allows', line: 31 }]), step('run', 40), step('later', 50)],
};
const workshop: Workshop = { id: 'w', title: 'W', description: '', dir: ROOT, variables: {}, providers: ['local'], lessons: [lesson] };

describe('GitHub workflow-command escaping (the documented syntax)', () => {
  it('given a message with %, CR and LF, when escaped as data, then they become %25, %0D and %0A and nothing else changes', () => {
    expect(escapeData('100%\r\nnext: a, b')).toBe('100%25%0D%0Anext: a, b');
  });

  it('given a property value with : and , as well, when escaped as a property, then those become %3A and %2C', () => {
    expect(escapeProperty('a: b, 5%\nc')).toBe('a%3A b%2C 5%25%0Ac');
  });

  it('given % already followed by hex, when escaped, then % is escaped first so the text round-trips', () => {
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('given a full annotation, when formatted, then it is one line: ::error file=…,line=…,col=…,title=…::message', () => {
    const line = formatAnnotation({ level: 'error', file: 'lessons/a, b.md', line: 3, col: 7, title: 'kubelab: x', message: 'bad\nthing' });
    expect(line).toBe('::error file=lessons/a%2C b.md,line=3,col=7,title=kubelab%3A x::bad%0Athing');
    expect(line).not.toContain('\n');
  });

  it('given no properties, when formatted, then the command has none (::warning::message)', () => {
    expect(formatAnnotation({ level: 'warning', message: 'careful' })).toBe('::warning::careful');
  });
});

describe('annotations for lint and validate', () => {
  it('given paths inside and outside the checkout, when made relative, then inside ones are repo-relative and outside ones stay absolute', () => {
    expect(repoPath('/repo/lessons/a/lesson.md', ROOT)).toBe('lessons/a/lesson.md');
    expect(repoPath('/elsewhere/lesson.md', ROOT)).toBe('/elsewhere/lesson.md');
  });

  it('given lint diagnostics, when annotated, then each is an error or warning at its file, line and column', () => {
    const text = renderAnnotations(lintAnnotations([
      { severity: 'error', message: 'unknown checker "nope"', location: { file: '/repo/lessons/a/lesson.md', line: 15, column: 1 } },
      { severity: 'warning', message: 'step has no check', location: { file: '/repo/lessons/a/lesson.md', line: 9, column: 1 } },
    ], ROOT));
    expect(text).toBe(
      '::error file=lessons/a/lesson.md,line=15,col=1,title=kubelab lint::unknown checker "nope"\n' +
      '::warning file=lessons/a/lesson.md,line=9,col=1,title=kubelab lint::step has no check\n',
    );
  });

  it('given a failed check, a failed command and a skipped step, when annotated, then the check and the step are marked and the skipped step is not', () => {
    const report: LessonsReport = {
      summary: { passed: 1, failed: 2, skipped: 1, durationMs: 10 },
      lessons: [{
        id: 'rbac', title: 'RBAC', status: 'failed', durationMs: 10,
        steps: [
          { id: 'create', title: 'create', status: 'passed', durationMs: 1, checks: [] },
          { id: 'bind', title: 'bind', status: 'failed', durationMs: 1, checks: [{ id: 'role-allows', checker: 'role-allows', status: 'fail', message: 'pod-reader cannot list pods', expected: 'list', actual: 'get' }] },
          { id: 'run', title: 'run', status: 'failed', durationMs: 1, checks: [], error: 'command exited 1' },
          { id: 'later', title: 'later', status: 'skipped', durationMs: 0, checks: [], error: 'skipped' },
        ],
      }],
    };
    const lines = renderAnnotations(validateAnnotations(report, workshop, ROOT)).trimEnd().split('\n');
    expect(lines).toEqual([
      '::error file=lessons/rbac/lesson.md,line=31,col=3,title=kubelab validate%3A rbac/bind (role-allows)::pod-reader cannot list pods%0Aexpected: list%0Aactual:   get',
      '::error file=lessons/rbac/lesson.md,line=40,col=1,title=kubelab validate%3A rbac/run::command exited 1',
    ]);
  });

  it('given a check that passed before its step (--prove), when annotated, then the annotation sits on that check', () => {
    const report: LessonsReport = {
      summary: { passed: 0, failed: 1, skipped: 0, durationMs: 1 },
      lessons: [{ id: 'rbac', title: 'RBAC', status: 'failed', durationMs: 1, steps: [
        { id: 'bind', title: 'bind', status: 'failed', durationMs: 1, checks: [{ id: 'role-allows', checker: 'role-allows', status: 'pass', message: 'ok' }], passedEarly: ['role-allows'], error: 'passed before the step ran, so it cannot fail: role-allows' },
      ] }],
    };
    expect(validateAnnotations(report, workshop, ROOT)).toEqual([
      { level: 'error', file: 'lessons/rbac/lesson.md', line: 31, col: 3, title: 'kubelab validate: rbac/bind', message: 'passed before the step ran, so it cannot fail: role-allows' },
    ]);
  });
});

describe('choosing reporters', () => {
  it('given --reporter junit and --reporter github with --output, when chosen, then JUnit goes to the file and annotations are on', () => {
    expect(chooseReporters(['junit', 'github'], { output: 'report.xml' })).toEqual({ report: 'junit', github: true });
    expect(chooseReporters(['github'])).toEqual({ report: 'pretty', github: true });
    expect(chooseReporters(['junit,github'], { output: 'r.xml' })).toEqual({ report: 'junit', github: true });
  });

  it('given two reports, an unknown name, or annotations and JSON both on stdout, when chosen, then it is a usage error that says what to do', () => {
    expect(() => chooseReporters(['json', 'junit'])).toThrow(UsageError);
    expect(() => chooseReporters(['tap'])).toThrow(/Unknown reporter "tap"/);
    expect(() => chooseReporters(['json', 'github'])).toThrow(/stdout/);
    expect(() => chooseReporters(['junit'], { formats: ['pretty', 'json'] })).toThrow(/Unknown reporter "junit"/);
  });
});
