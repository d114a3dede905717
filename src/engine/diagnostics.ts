import type { SourceLocation } from './types.js';

export interface Diagnostic {
  location: SourceLocation;
  message: string;
  severity: 'error' | 'warning';
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.location.file}:${d.location.line}:${d.location.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

/** Collects problems while parsing so one run reports all of them, each with its place. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  error(location: SourceLocation, message: string): void {
    this.items.push({ location, message, severity: 'error' });
  }
  warning(location: SourceLocation, message: string): void {
    this.items.push({ location, message, severity: 'warning' });
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Lint's closing line. Warnings are counted like errors: "No problems" after five warnings would
 * tell the author to ignore them.
 */
export function lintSummary(lessons: number, items: readonly Diagnostic[]): string {
  const errors = items.filter((d) => d.severity === 'error').length;
  const warnings = items.length - errors;
  if (errors + warnings === 0) return `No problems found in ${count(lessons, 'lesson')}.`;
  return `${count(lessons, 'lesson')}: ${count(errors, 'error')}, ${count(warnings, 'warning')}.`;
}
