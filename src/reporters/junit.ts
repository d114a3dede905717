import { Redactor } from '../engine/running/redact.js';
import type { LessonsReport } from '../engine/running/run-lessons.js';

function escapeXml(text: string): string {
  return text
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** JUnit XML as Jenkins, GitLab and GitHub test reporters read it: a suite per lesson, a case per step. */
export function renderJunit(unredacted: LessonsReport, redactor: Redactor = new Redactor()): string {
  // CI publishes this file: every string in it passes the session's redactor first.
  const report = redactor.value(unredacted);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const { passed, failed, skipped, durationMs } = report.summary;
  out.push(`<testsuites name="kubelab" tests="${passed + failed + skipped}" failures="${failed}" skipped="${skipped}" time="${seconds(durationMs)}">`);
  for (const lesson of report.lessons) {
    const f = lesson.steps.filter((s) => s.status === 'failed').length;
    const s = lesson.steps.filter((st) => st.status === 'skipped').length;
    out.push(`  <testsuite name="${escapeXml(lesson.id)}" tests="${lesson.steps.length}" failures="${f}" skipped="${s}" errors="0" time="${seconds(lesson.durationMs)}">`);
    for (const step of lesson.steps) {
      const name = `${escapeXml(step.id)}: ${escapeXml(step.title)}`;
      out.push(`    <testcase classname="${escapeXml(lesson.id)}" name="${name}" time="${seconds(step.durationMs)}">`);
      if (step.status === 'failed') {
        const detail = step.checks.map((c) => `${c.status.toUpperCase()} ${c.id}: ${c.message}${c.expected ? `\n  expected: ${c.expected}\n  actual:   ${c.actual ?? ''}` : ''}`).join('\n');
        out.push(`      <failure message="${escapeXml(step.error ?? 'step failed')}">${escapeXml(detail || step.error || '')}</failure>`);
      } else if (step.status === 'skipped') {
        out.push(`      <skipped message="${escapeXml(step.error ?? 'skipped')}"/>`);
      }
      const lines = step.checks.map((c) => `${c.status} ${c.id}: ${c.message}${c.unprovable ? ` [unprovable before its step: ${c.unprovable}]` : ''}`).join('\n');
      if (lines) out.push(`      <system-out>${escapeXml(lines)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
