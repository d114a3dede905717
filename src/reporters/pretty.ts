import { Redactor } from '../engine/running/redact.js';
import { notEvaluated, type EngineEvent, type CheckStatus } from '../engine/types.js';
import type { LessonsReport } from '../engine/running/run-lessons.js';
import { renderTable } from './table.js';

export interface Palette {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const colors: Palette = { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
export const plain: Palette = { green: (s) => s, red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

export function statusMark(status: CheckStatus | 'passed' | 'failed' | 'skipped' | 'caught-up', p: Palette): string {
  switch (status) {
    case 'pass':
    case 'passed':
      return p.green('✔');
    case 'caught-up':
      return p.green('↻');
    case 'fail':
    case 'failed':
      return p.red('✘');
    case 'error':
      return p.red('!');
    case 'pending':
      return p.yellow('…');
    default:
      return p.dim('–');
  }
}

/** --prove: a check the lesson marks as unable to fail before its step. */
export const UNPROVABLE_MARK = '?';

/** Progress for a person on stderr while `validate` runs: one line per thing that happened. */
export function prettyProgress(write: (line: string) => void, p: Palette, verbose: boolean, redactor: Redactor = new Redactor()): (e: EngineEvent) => void {
  return (event) => {
    const e = redactor.value(event);
    switch (e.type) {
      case 'lesson-start':
        write(p.bold(`▶ ${e.title} (${e.lessonId})`));
        break;
      case 'step-start':
        write(`  ${p.bold('•')} ${e.title}`);
        break;
      case 'block-start':
        write(p.dim(`    $ ${e.code.split('\n').join('\n      ')}${e.expect === 'fail' ? '   # expected to fail' : ''}`));
        break;
      case 'block-skipped':
        write(p.dim(`    – not run (line ${e.line}): ${e.reason}`));
        break;
      case 'output':
        if (verbose) write(p.dim(`      ${e.line}`));
        break;
      case 'block-end':
        if (e.outcome === 'expected-failure') write(`    ${p.green('✔')} failed as expected (exit ${e.exitCode}) — that is the point of this step`);
        else if (e.outcome !== 'ok') write(`    ${p.red('✘')} ${e.outcome} (exit ${e.exitCode ?? '-'})`);
        break;
      case 'check-end':
        if (e.probe) {
          const early = e.result.status === 'pass';
          // Unprovable is the lesson's own word, with its reason: not a problem, so not the `!` of one.
          if (e.unprovable) write(`    ${p.yellow(UNPROVABLE_MARK)} before the step, ${e.checkId}: ${p.dim(`unprovable (${e.unprovable})${early ? ', already passes' : ''}`)}`);
          else write(`    ${early ? p.red('!') : p.dim('·')} before the step, ${e.checkId}: ${early ? p.red('already passes') : p.dim(`not yet (${e.result.message})`)}`);
          break;
        }
        write(`    ${statusMark(e.result.status, p)} ${e.checkId}: ${e.result.message}${e.result.status === 'skip' && !notEvaluated(e.result) && !/not applicable/i.test(e.result.message) ? p.dim(' (not applicable)') : ''}`);
        if (e.result.status === 'fail' && e.result.expected) {
          write(p.dim(`        expected: ${e.result.expected}`));
          write(p.dim(`        actual:   ${e.result.actual ?? ''}`));
        }
        if (e.result.status === 'fail' && e.result.hint) write(p.yellow(`        hint: ${e.result.hint}`));
        if (e.result.table && verbose) write(renderTable(e.result.table, '        ').trimEnd());
        break;
      case 'lesson-end':
        write(`  ${statusMark(e.status, p)} ${e.lessonId} ${e.status} in ${(e.durationMs / 1000).toFixed(1)} s`);
        break;
      default:
        break;
    }
  };
}

export function renderSummary(unredacted: LessonsReport, p: Palette, redactor: Redactor = new Redactor()): string {
  const report = redactor.value(unredacted);
  const lines: string[] = [];
  for (const lesson of report.lessons) {
    lines.push(`${statusMark(lesson.status, p)} ${lesson.id}: ${lesson.status}${lesson.error ? ` — ${lesson.error}` : ''}`);
    for (const step of lesson.steps) {
      if (step.status === 'failed') lines.push(`    ${statusMark('failed', p)} ${step.id}: ${step.error ?? 'failed'}`);
      else if (step.unverified) lines.push(p.dim(`    – ${step.id}: ${step.unverified}`));
      // The lesson's own hint for the check that failed: what a learner would be shown.
      for (const hint of step.status === 'failed' ? (step.hints ?? []) : []) lines.push(`      hint: ${hint}`);
    }
  }
  const { passed, failed, skipped, blocksNotRun, verified, read, durationMs } = report.summary;
  const notRun = blocksNotRun ? `; ${blocksNotRun} command block(s) shown but not run (reasons above)` : '';
  // Passed is split by what proved it: a step whose commands ran with nothing checking them is not "verified".
  const proof = verified !== undefined && verified !== passed ? ` (${verified} verified by a check)` : '';
  const reading = read ? ` (${read} with nothing run or checked here: read, or not provable here)` : '';
  lines.push(`${passed} passed${proof}, ${failed} failed, ${skipped} skipped${reading} (steps)${notRun} in ${(durationMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}
