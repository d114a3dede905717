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
