import { Redactor } from '../engine/running/redact.js';
import type { LessonsReport } from '../engine/running/run-lessons.js';

/** The report as JSON; every string in it passes the session's redactor (a report is often published by CI). */
export function renderJson(report: LessonsReport, redactor: Redactor = new Redactor()): string {
  return `${JSON.stringify(redactor.value(report), null, 2)}\n`;
}
