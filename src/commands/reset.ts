import { ExitCode, UsageError } from '../errors.js';
import { findLesson } from '../engine/workshop.js';
import { loadProgress, resetLesson, saveProgress } from '../engine/progress.js';
import { WorkshopSession } from '../engine/session.js';
import { loadCheckers } from '../../checkers/index.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';
import { openWorkshop, resolveConnection } from './shared.js';
import { connectionOptions } from './validate.js';

export const resetCommand: Command = async (argv, context) => {
  const { values, positionals } = parseFlags(argv, { ...connectionOptions, cleanup: { type: 'boolean', default: false } }, 'Usage: kubelab reset LESSON [--cleanup]');
  if (positionals.length !== 1) throw new UsageError('Usage: kubelab reset LESSON [--cleanup]');
  const workshop = await openWorkshop(values.workshop, context);
  const lesson = findLesson(workshop, positionals[0]);
  if (!lesson) throw new UsageError(`No lesson "${positionals[0]}". Lessons: ${workshop.lessons.map((l) => l.id).join(', ')}.`);
  if (values.cleanup) {
    if (!lesson.cleanup) {
      context.stderr.write(`Lesson ${lesson.id} has nothing to clean up.\n`);
    } else {
      const connection = await resolveConnection(values, context);
      const session = new WorkshopSession({
        workshop,
        connection,
        checkers: await loadCheckers(workshop),
        env: context.env,
        emit: (e) => {
          if (e.type === 'output') context.stderr.write(`  ${e.line}\n`);
        },
      });
      context.stderr.write(`Deleting what lesson ${lesson.id} created on ${connection.provider} cluster "${connection.name}"…\n`);
      const result = await session.runScript(lesson, undefined, lesson.cleanup, context.signal);
      if (!result.ok) {
        context.stderr.write(`Cleanup failed: ${result.error}\nYour progress is kept; fix the problem and run the reset again.\n`);
        return ExitCode.failed;
      }
    }
  }
  const { progress } = await loadProgress(workshop.id, context.env);
  await saveProgress(resetLesson(progress, lesson.id), context.env);
  context.stderr.write(`Progress for ${lesson.id} is reset.\n`);
  return ExitCode.ok;
};
