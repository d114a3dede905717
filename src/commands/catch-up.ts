import { ExitCode } from '../errors.js';
import type { EngineEvent } from '../engine/types.js';
import { colors, plain, prettyProgress } from '../reporters/pretty.js';
import { catchUpTo } from '../services/catch-up.js';
import { startClassReporter } from '../services/class.js';
import { requireReachable, resolveConnection } from '../services/connection.js';
import { flagsFor, openProgress, writeProgress } from '../services/progress.js';
import { openSession } from '../services/session.js';
import { openWorkshop, requireLesson, requireSteps } from '../services/workshop.js';
import { CATCH_UP } from './catalog.js';
import { declaredCommand } from './declare.js';
import { chooseLanguage } from '../engine/i18n/language.js';

export const catchUpCommand = declaredCommand(CATCH_UP, async ({ values, positionals }, context) => {
  const [lessonId, stepId] = positionals[0].split('/');
  const workshop = await openWorkshop(values.workshop, context, chooseLanguage({ flag: values.lang, env: context.env }).language);
  const lesson = requireLesson(workshop, lessonId);
  const [target] = requireSteps(lesson, stepId);
  const { progress, key } = await openProgress(workshop.id, values, context.env);
  const connection = await resolveConnection(flagsFor(values, key), context);
  await requireReachable(connection, context.signal);

  const palette = context.color ? colors : plain;
  const listeners: ((e: EngineEvent) => void)[] = [prettyProgress((line) => context.stderr.write(`${line}\n`), palette, false)];
  // The instructor's view shows these steps as caught up, not passed.
  const classReporter = await startClassReporter(context.env);
  if (classReporter) listeners.push(classReporter.listener);
  const session = await openSession({ workshop, connection, env: context.env, clusterName: values.name, emit: (e) => listeners.forEach((l) => l(e)) });

  context.stderr.write(`Catching up to ${lesson.id}/${target.id} on ${connection.provider} cluster "${connection.name}": kubelab runs the steps before it for you.\n`);
  const result = await catchUpTo(session, workshop, lesson, target, progress, {
    signal: context.signal,
    onStep: ({ lesson: l, step }, i, total) => context.stderr.write(`↻ [${i + 1}/${total}] ${l.id}/${step.id}: ${step.title}\n`),
  });
  await writeProgress(result.progress, key, context.env);
  await classReporter?.close();

  const ran = result.entries.filter((e) => e.outcome === 'ran').length;
  const already = result.entries.length - ran;
  if (values.json) {
    context.stdout.write(`${JSON.stringify({ target: `${lesson.id}/${target.id}`, ok: result.ok, steps: result.entries.map((e) => ({ step: `${e.lesson.id}/${e.step.id}`, outcome: e.outcome === 'ran' ? (e.result.status === 'passed' ? 'caught-up' : e.result.status) : 'already-there' })), ...(result.failed && { failed: { step: `${result.failed.step.lesson.id}/${result.failed.step.step.id}`, error: session.redactor.text(result.failed.error) } }) }, null, 2)}\n`);
  }
  if (result.interrupted) {
    context.stderr.write('Stopped. The steps that finished are recorded as caught up.\n');
    return ExitCode.interrupted;
  }
  if (!result.ok) {
    const f = result.failed!;
    context.stderr.write(`✘ Catch-up stopped at ${f.step.lesson.id}/${f.step.step.id}: ${session.redactor.text(f.error)}\nFix it (kubelab check ${f.step.lesson.id}/${f.step.step.id} says what is wrong), then run the same catch-up again.\n`);
    return ExitCode.failed;
  }
  context.stderr.write(`↻ Ready for ${lesson.id}/${target.id}: ${ran} step(s) caught up${already ? `, ${already} already in place` : ''}. Open the app (kubelab) to continue there.\n`);
  return ExitCode.ok;
});
