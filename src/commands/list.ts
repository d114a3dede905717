import { ExitCode } from '../errors.js';
import { probeCluster as probeApiServer } from '../services/health.js';
import { updateStep } from '../engine/running/progress.js';
import { flagsFor, openProgress, writeProgress } from '../services/progress.js';
import { listWorkshop } from '../services/listing.js';
import { firstUnmetStep } from '../engine/running/session.js';
import { resolveConnection } from '../services/connection.js';
import { openSession } from '../services/session.js';
import { openWorkshop } from '../services/workshop.js';
import { LIST } from './catalog.js';
import { declaredCommand } from './declare.js';
import { chooseLanguage } from '../engine/i18n/language.js';
import { createTranslator } from '../engine/i18n/translate.js';

export const listCommand = declaredCommand(LIST, async ({ values }, context) => {
  const { language } = chooseLanguage({ flag: values.lang, env: context.env });
  const workshop = await openWorkshop(values.workshop, context, language);
  const { t } = createTranslator(language);
  const loaded = await openProgress(workshop.id, values, context.env);
  if (loaded.warning) context.stderr.write(`warning: ${loaded.warning}\n`);
  let progress = loaded.progress;
  // --probe: ask the cluster where each lesson really stands, and resume from there.
  const resumeAt = new Map<string, string>();
  let unreachable: string | undefined;
  if (values.probe) {
    const connection = await resolveConnection(flagsFor(values, loaded.key), context);
    const probe = await probeApiServer(connection, context.signal);
    // Without the cluster there is nothing to probe: say so, list progress as recorded, exit 3.
    if (!probe.reachable) unreachable = `cannot probe: the ${connection.provider} cluster "${connection.name}" is not reachable (${probe.detail}); showing recorded progress.`;
    else {
      const session = await openSession({ workshop, connection, env: context.env });
      for (const lesson of workshop.lessons) {
        const step = await firstUnmetStep(session, lesson, context.signal);
        resumeAt.set(lesson.id, step?.id ?? '(all checks pass)');
        for (const earlier of lesson.steps.slice(0, step ? step.index : lesson.steps.length)) {
          progress = updateStep(progress, lesson.id, earlier.id, { status: 'passed' });
        }
      }
      const next = workshop.lessons.find((l) => !resumeAt.get(l.id)?.startsWith('('));
      if (next) progress = { ...progress, current: { lessonId: next.id, stepId: resumeAt.get(next.id)! } };
      await writeProgress(progress, loaded.key, context.env);
    }
  }
  const listing = listWorkshop(workshop, progress, resumeAt);
  if (values.json) {
    context.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
  } else {
    context.stdout.write(`${workshop.title}\n`);
    const further = listing.lessons.some((l) => l.optional);
    if (further) context.stdout.write(`${t('list.core')}\n`);
    for (const [index, l] of listing.lessons.entries()) {
      if (l.optional && !listing.lessons[index - 1]?.optional) context.stdout.write(`${t('list.further')}\n`);
      const resume = l.resumeAt ? `  → ${l.resumeAt}` : '';
      const caughtUp = l.steps.filter((st) => st.status === 'caught-up').length;
      context.stdout.write(`  ${l.id.padEnd(20)} ${l.title.padEnd(38)} ${String(l.minutes).padStart(3)} min  ${t(`list.state.${l.status}`)}${caughtUp ? t('list.caughtUp', { count: caughtUp }) : ''}${resume}\n`);
    }
  }
  if (unreachable) {
    context.stderr.write(`warning: ${unreachable}\n  Next: kubelab cluster status\n`);
    return ExitCode.environment;
  }
  return ExitCode.ok;
});
