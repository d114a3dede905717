import { ExitCode } from '../errors.js';
import { resetLesson } from '../engine/progress.js';
import { flagsFor, openProgress, writeProgress } from '../services/progress.js';
import { resolveConnection } from '../services/connection.js';
import { openSession } from '../services/session.js';
import { openWorkshop, requireLesson } from '../services/workshop.js';
import { RESET } from './catalog.js';
import { declaredCommand } from './declare.js';
import { chooseLanguage } from '../engine/i18n/language.js';

export const resetCommand = declaredCommand(RESET, async ({ values, positionals }, context) => {
  const workshop = await openWorkshop(values.workshop, context, chooseLanguage({ flag: values.lang, env: context.env }).language);
  const lesson = requireLesson(workshop, positionals[0]);
  const { progress, key } = await openProgress(workshop.id, values, context.env);
  if (values.cleanup) {
    if (!lesson.cleanup) {
      context.stderr.write(`Lesson ${lesson.id} has nothing to clean up.\n`);
    } else {
      const connection = await resolveConnection(flagsFor(values, key), context);
      const session = await openSession({
        workshop,
        connection,
        env: context.env,
        clusterName: values.name,
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
  await writeProgress(resetLesson(progress, lesson.id), key, context.env);
  context.stderr.write(`Progress for ${lesson.id} is reset.\n`);
  return ExitCode.ok;
});
