import { ExitCode } from '../errors.js';
import { checkSatisfied } from '../engine/running/session.js';
import { hintsForFailedChecks } from '../engine/running/hints.js';
import { colors, plain, statusMark } from '../reporters/pretty.js';
import { renderTable } from '../reporters/table.js';
import { unusableCluster, watchCluster } from '../services/health.js';
import { requireReachable, resolveConnection } from '../services/connection.js';
import { openSession } from '../services/session.js';
import { openWorkshop, requireLesson, requireSteps } from '../services/workshop.js';
import { CHECK } from './catalog.js';
import { declaredCommand } from './declare.js';
import { chooseLanguage } from '../engine/i18n/language.js';
import { createTranslator } from '../engine/i18n/translate.js';

export const checkCommand = declaredCommand(CHECK, async ({ values, positionals }, context) => {
  const [lessonId, stepId] = positionals[0].split('/');
  const { language } = chooseLanguage({ flag: values.lang, env: context.env });
  const workshop = await openWorkshop(values.workshop, context, language);
  const { t } = createTranslator(language);
  const lesson = requireLesson(workshop, lessonId);
  const steps = requireSteps(lesson, stepId);
  const connection = await resolveConnection(values, context);
  await requireReachable(connection, context.signal);

  const session = await openSession({ workshop, connection, env: context.env, clusterName: values.name });
  const p = context.color ? colors : plain;
  const results = [];
  let allPassed = true;
  // A component dying while checks wait ends the wait at once with exit 3, naming it.
  const watch = watchCluster(connection, { signal: context.signal, env: context.env });
  for (const step of steps) {
    const outcomes = await session.runChecks(lesson, step, watch.signal, values.wait * 1000, { nothingYet: true, confirmWrong: true });
    const failed = outcomes.filter((o) => !checkSatisfied(o.result)).map((o) => o.spec.id);
    const down = watch.down() ?? (outcomes.some((o) => o.result.status === 'error') && !context.signal.aborted ? await unusableCluster(connection, { signal: context.signal, env: context.env }) : undefined);
    if (down) {
      watch.stop();
      throw down;
    }
    for (const o of outcomes) {
      allPassed &&= checkSatisfied(o.result);
      // The lesson's hints tied to this check, as the app would show them when it fails.
      const hints = failed.includes(o.spec.id) ? hintsForFailedChecks(step, connection.provider, [o.spec.id]) : [];
      results.push({ step: step.id, id: o.spec.id, ...o.result, durationMs: o.durationMs, ...(hints.length && { hints }) });
      if (!values.json) {
        context.stdout.write(`${statusMark(o.result.status, p)} ${step.id}/${o.spec.id}: ${o.result.message}\n`);
        if (o.result.expected && o.result.status !== 'pass') context.stdout.write(`    ${t('check.expected')}${o.result.expected}\n    ${t('check.actual')}${o.result.actual ?? ''}\n`);
        if (o.result.hint && o.result.status !== 'pass') context.stdout.write(`    ${t('check.hint')}${o.result.hint}\n`);
        if (o.result.table) context.stdout.write(renderTable(o.result.table, '    '));
        for (const hint of hints) context.stdout.write(`    ${t('check.hint')}${hint}\n`);
      }
    }
  }
  watch.stop();
  if (values.json) context.stdout.write(`${JSON.stringify({ lesson: lesson.id, checks: results }, null, 2)}\n`);
  return allPassed ? ExitCode.ok : ExitCode.failed;
});
