import { ExitCode } from '../errors.js';
import { resetLesson } from '../engine/running/progress.js';
import { flagsFor, openProgress, writeProgress } from '../services/progress.js';
import { resolveConnection } from '../services/connection.js';
import { openSession } from '../services/session.js';
import { openWorkshop, requireLesson } from '../services/workshop.js';
import { RESET } from './catalog.js';
import { declaredCommand } from './declare.js';
import { chooseLanguage } from '../engine/i18n/language.js';
import { createTranslator } from '../engine/i18n/translate.js';

export const resetCommand = declaredCommand(RESET, async ({ values, positionals }, context) => {
  const { language } = chooseLanguage({ flag: values.lang, env: context.env });
  const workshop = await openWorkshop(values.workshop, context, language);
  const { t } = createTranslator(language);
  const lesson = requireLesson(workshop, positionals[0]);
  const { progress, key } = await openProgress(workshop.id, values, context.env);
  if (values.cleanup) {
    if (!lesson.cleanup) {
      context.stderr.write(`${t('reset.nothing', { lesson: lesson.id })}\n`);
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
      context.stderr.write(`${t('reset.deleting', { lesson: lesson.id, provider: connection.provider, name: connection.name })}\n`);
      const result = await session.runScript(lesson, undefined, lesson.cleanup, context.signal);
      if (!result.ok) {
        context.stderr.write(`${t('reset.failed', { error: result.error ?? '' })}\n${t('reset.kept')}\n`);
        return ExitCode.failed;
      }
    }
  }
  await writeProgress(resetLesson(progress, lesson.id), key, context.env);
  context.stderr.write(`${t('reset.done', { lesson: lesson.id })}\n`);
  return ExitCode.ok;
});
