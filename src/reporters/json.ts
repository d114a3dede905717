import type { ValidateReport } from '../engine/validate.js';

export function renderJson(report: ValidateReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
