import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/reporters/junit.js';
import { renderJson } from '../../src/reporters/json.js';
import type { LessonsReport } from '../../src/engine/running/run-lessons.js';

const report: LessonsReport = {
  lessons: [
    {
      id: 'rbac',
      title: 'Test RBAC',
      status: 'failed',
      durationMs: 1500,
      steps: [
        { id: 'create', title: 'Create <things> & "more"', status: 'passed', durationMs: 1000, checks: [{ id: 'c1', checker: 'gone', status: 'pass', message: 'ok' }] },
        {
          id: 'bind',
          title: 'Bind',
          status: 'failed',
          durationMs: 500,
          error: 'Role pod-reader does not allow `list` on `pods`',
          checks: [{ id: 'role-allows', checker: 'role-allows', status: 'fail', message: 'Role pod-reader does not allow `list` on `pods`', expected: 'list on pods', actual: 'get on pods' }],
        },
        { id: 'later', title: 'Later', status: 'skipped', durationMs: 0, checks: [], error: 'skipped: step "bind" failed' },
      ],
    },
  ],
  summary: { passed: 1, failed: 1, skipped: 1, blocksNotRun: 0, durationMs: 1500 },
};

describe('reporters', () => {
  it('given a report, when rendered as JUnit, then suites, cases, failures and skips carry the counts and escaped text', () => {
    const xml = renderJunit(report);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('<testsuites name="kubelab" tests="3" failures="1" skipped="1" time="1.500">');
    expect(xml).toContain('<testsuite name="rbac" tests="3" failures="1" skipped="1" errors="0" time="1.500">');
    expect(xml).toContain('name="create: Create &lt;things&gt; &amp; &quot;more&quot;"');
    expect(xml).toContain('<failure message="Role pod-reader does not allow `list` on `pods`">');
    expect(xml).toContain('expected: list on pods');
    expect(xml).toContain('<skipped message="skipped: step &quot;bind&quot; failed"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
  });

  it('given a report, when rendered as JSON, then it has the documented shape', () => {
    const json = JSON.parse(renderJson(report));
    expect(Object.keys(json)).toEqual(['lessons', 'summary']);
    expect(Object.keys(json.lessons[0])).toEqual(expect.arrayContaining(['id', 'status', 'durationMs', 'steps']));
    expect(json.lessons[0].steps[1].checks[0]).toMatchObject({ id: 'role-allows', status: 'fail', message: expect.any(String) });
    expect(json.summary).toEqual({ passed: 1, failed: 1, skipped: 1, blocksNotRun: 0, durationMs: 1500 });
  });
});
