import type { RunResult } from './runner.js';
import type { CommandBlock, Lesson } from '../types.js';
import { translatorFor } from '../i18n/lesson-translation.js';

/**
 * What a step says when one of its commands did not end as the lesson expects: the command that
 * failed, its exit code, where it is, and its last lines of output — enough to act on without
 * scrolling back.
 */

/** Lines of a failed command's output its failure message quotes. */
const FAILURE_LINES = 3;

/** A command as a message quotes it: its first line, not too long. */
function shortCommand(code: string): string {
  const lines = code.trim().split('\n');
  const first = lines[0].length > 100 ? `${lines[0].slice(0, 99)}…` : lines[0];
  return lines.length > 1 ? `${first} …` : first;
}

/** One line saying why the block did not succeed (not yet redacted: the caller does it). */
export function blockFailure(lesson: Lesson, block: CommandBlock, result: RunResult): string | undefined {
  const where = `${lesson.file}:${block.location.line}`;
  const last = result.tail.filter(Boolean).slice(-1)[0];
  const said = result.tail.filter((l) => l.trim()).slice(-FAILURE_LINES);
  // bash says which command of the block failed (set -e stopped right after it); else the block.
  const command = shortCommand(result.failedCommand ?? block.code);
  // In the learner's language: the lesson read for them says which (English when none was chosen).
  const { t } = translatorFor(lesson);
  switch (result.outcome) {
    case 'failed':
      return `${t('failure.failed', { command, code: String(result.exitCode), where })}${said.length ? t('failure.lastOutput', { output: said.join(' ⏎ ') }) : t('failure.printedNothing')}${leftoverAdvice(lesson, result.tail)}`;
    case 'unexpected-success':
      return t('failure.unexpectedSuccess', { where });
    case 'wrong-failure':
      return `${t('failure.wrongFailure', { code: String(result.exitCode), expected: block.expectOutput ?? '', where })}${last ? t('failure.itSaid', { last }) : ''}`;
    case 'timeout':
      return t('failure.timeout', { seconds: String(block.timeoutSeconds), where });
    case 'aborted':
      return t('failure.interrupted');
    default:
      return undefined;
  }
}

/**
 * A command that failed because what it creates is already there was most likely run before (a
 * learner doing the lesson again): say how to start the lesson over instead of leaving them at
 * "AlreadyExists".
 */
function leftoverAdvice(lesson: Lesson, tail: string[]): string {
  if (!tail.some((line) => /\(AlreadyExists\)|already exists/.test(line))) return '';
  const { t } = translatorFor(lesson);
  return lesson.cleanup ? t('failure.leftoverReset', { lesson: lesson.id }) : t('failure.leftoverDelete');
}
