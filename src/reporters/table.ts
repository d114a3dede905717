import type { CheckTable } from '../engine/types.js';

/** A check's small grid (e.g. the access matrix) as aligned text. */
export function renderTable(table: CheckTable, indent = ''): string {
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => (r.cells[i] ?? '').length)));
  const labelWidth = Math.max(0, ...table.rows.map((r) => r.label.length));
  const line = (label: string, cells: string[]) => `${indent}${label.padEnd(labelWidth)}  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return `${[line('', table.columns), ...table.rows.map((r) => line(r.label, r.cells))].join('\n')}\n`;
}
