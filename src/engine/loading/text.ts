/**
 * Reading a lesson source's text, whatever its format: where an offset is (file:line:col for
 * diagnostics), where the YAML frontmatter ends, and the id a title gives.
 */
import type { SourceLocation } from '../types.js';

/** Line and column (1-based) of offsets in one source, by binary search over line starts. */
export function locator(source: string, file: string): (offset: number) => SourceLocation {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { file, line: low + 1, column: offset - starts[low] + 1 };
  };
}

/** Splits the YAML frontmatter off the top; the body keeps its offset for line numbers. */
export function splitFrontmatter(source: string): { yaml?: string; yamlOffset: number; bodyOffset: number } {
  const lines = source.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { yamlOffset: 0, bodyOffset: 0 };
  let offset = lines[0].length + 1;
  const yamlOffset = offset;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trimEnd() === '---') {
      return { yaml: source.slice(yamlOffset, offset), yamlOffset, bodyOffset: offset + lines[i].length + 1 };
    }
    offset += lines[i].length + 1;
  }
  return { yaml: undefined, yamlOffset: -1, bodyOffset: 0 };
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_~]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
