import { isAbsolute, relative, sep } from 'node:path';
import type { Diagnostic } from '../engine/diagnostics.js';
import type { LessonsReport } from '../engine/running/run-lessons.js';
import type { SourceLocation, Workshop } from '../engine/types.js';

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which the runner
 * turns into annotations on the pull request's lines. They are read from stdout, one per line.
 *
 * Escaping follows GitHub's documented workflow-command syntax: in the message, `%`, CR and LF
 * become `%25`, `%0D`, `%0A` (a raw newline would end the command and start a new one); in a
 * property value `:` and `,` also become `%3A` and `%2C`, because they delimit the properties.
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  /** Relative to the repository root, with forward slashes, as GitHub matches it against the diff. */
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

export function formatAnnotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.col !== undefined) props.push(`col=${a.col}`);
  if (a.title !== undefined) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(a.message)}`;
}

/**
 * A lesson file's path as GitHub wants it: relative to the checkout (GITHUB_WORKSPACE, else the
 * current directory). A file outside it keeps its absolute path; GitHub then shows the annotation
 * on the run, not on a line.
 */
export function repoPath(file: string, root: string): string {
  const rel = relative(root, file);
  const path = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  return path.split(sep).join('/');
}

const at = (location: SourceLocation, root: string) => ({ file: repoPath(location.file, root), line: location.line, col: location.column });

export function lintAnnotations(diagnostics: readonly Diagnostic[], root: string): Annotation[] {
  return diagnostics.map((d) => ({ level: d.severity, ...at(d.location, root), title: 'kubelab lint', message: d.message }));
}

/**
 * One annotation per failed step, placed on the check that failed (its `yaml step` entry) or, when no
 * check is to blame (a command failed, a check passed too early under --prove), on the step's heading.
 * Skipped steps get none: they only follow from an earlier failure, which is already annotated.
 */
export function validateAnnotations(report: LessonsReport, workshop: Workshop, root: string): Annotation[] {
  const out: Annotation[] = [];
  for (const lessonReport of report.lessons) {
    const lesson = workshop.lessons.find((l) => l.id === lessonReport.id);
    for (const stepReport of lessonReport.steps) {
      if (stepReport.status !== 'failed') continue;
      const step = lesson?.steps.find((s) => s.id === stepReport.id);
      const title = `kubelab validate: ${lessonReport.id}/${stepReport.id}`;
      const badChecks = stepReport.checks.filter((c) => c.status === 'fail' || c.status === 'error');
      for (const check of badChecks) {
        const spec = step?.checks.find((c) => c.id === check.id);
        const detail = check.expected !== undefined ? `\nexpected: ${check.expected}\nactual:   ${check.actual ?? ''}` : '';
        const location = spec?.location ?? step?.location;
        out.push({ level: 'error', ...(location && at(location, root)), title: `${title} (${check.id})`, message: `${check.message}${detail}` });
      }
      if (!badChecks.length) {
        const early = (stepReport.passedEarly ?? []).map((id) => step?.checks.find((c) => c.id === id)).find(Boolean);
        const location = early?.location ?? step?.location;
        out.push({ level: 'error', ...(location && at(location, root)), title, message: stepReport.error ?? 'step failed' });
      }
    }
    if (lessonReport.status === 'failed' && !lessonReport.steps.some((s) => s.status === 'failed')) {
      out.push({ level: 'error', ...(lesson && { file: repoPath(lesson.file, root), line: 1 }), title: `kubelab validate: ${lessonReport.id}`, message: lessonReport.error ?? lessonReport.steps[0]?.error ?? 'lesson failed' });
    }
  }
  return out;
}

export function renderAnnotations(annotations: readonly Annotation[]): string {
  return annotations.map((a) => `${formatAnnotation(a)}\n`).join('');
}
