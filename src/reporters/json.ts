import type { LessonsReport } from '../engine/run-lessons.js';

export function renderJson(report: LessonsReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
