import { writeFile } from 'node:fs/promises';
import { ExitCode, UsageError } from '../errors.js';
import { parseShard, shardOf } from '../engine/running/shard.js';
import { nothingExercised, runLessons } from '../engine/running/run-lessons.js';
import { sourceOf } from '../engine/loading/sources.js';
import { unusableCluster, watchCluster } from '../services/health.js';
import type { EngineEvent } from '../engine/types.js';
import { renderJson } from '../reporters/json.js';
import { renderJunit } from '../reporters/junit.js';
import { renderAnnotations, validateAnnotations } from '../reporters/github.js';
import { annotationRoot, chooseReporters, requireOutputFile } from '../services/reporters.js';
import { colors, plain, prettyProgress, renderSummary } from '../reporters/pretty.js';
import { startClassReporter } from '../services/class.js';
import { requireReachable, resolveConnection } from '../services/connection.js';
import { openSession } from '../services/session.js';
import { openWorkshop, requireLesson } from '../services/workshop.js';
import { VALIDATE } from './catalog.js';
import { declaredCommand } from './declare.js';

export const validateCommand = declaredCommand(VALIDATE, async ({ values, positionals }, context) => {
  const reporters = chooseReporters(values.reporter, { output: values.output });
  // Checked before anything runs: a report that cannot be written would be lost at the end.
  const output = values.output === undefined ? undefined : requireOutputFile(values.output, context.cwd);
  const workshop = await openWorkshop(values.workshop, context, values.lang);
  const chosen = positionals.length ? positionals.map((id) => requireLesson(workshop, id)) : workshop.lessons;
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values.shard !== undefined && !shard) throw new UsageError(`--shard takes I/N with 1 ≤ I ≤ N, not "${values.shard}"`, 'For example: kubelab validate --shard 2/4 (the second of four CI jobs)');
  const lessons = shard ? shardOf(chosen, shard) : chosen;
  const connection = await resolveConnection(values, context);
  const detail = await requireReachable(connection, context.signal);

  const palette = context.color ? colors : plain;
  const progress = prettyProgress((line) => context.stderr.write(`${line}\n`), palette, values.verbose);
  const listeners: ((e: EngineEvent) => void)[] = [progress];
  const classReporter = await startClassReporter(context.env);
  if (classReporter) listeners.push(classReporter.listener);

  const emit = (event: EngineEvent) => listeners.forEach((l) => l(event));
  if (values.watch) {
    const { watchLessons } = await import('../services/watch.js');
    await watchLessons({ root: workshop.dir, connection, env: context.env, signal: context.signal, prove: values.prove, emit, log: (line) => context.stderr.write(`${line}\n`), summarize: (r) => renderSummary(r, palette).trimEnd() });
    return ExitCode.interrupted;
  }
  const session = await openSession({ workshop, connection, env: context.env, emit, clusterName: values.name });
  if (shard) context.stderr.write(`Shard ${shard.index}/${shard.count}: ${lessons.length} of ${chosen.length} lesson(s)\n`);
  context.stderr.write(`Validating ${lessons.length} lesson(s) on ${connection.provider} cluster "${connection.name}" (${detail})${values.prove ? ', proving every check can fail' : ''}\n`);
  // A component that dies mid-run stops the run at once (exit 3, naming it), not after every
  // remaining check has waited out its timeout.
  const watch = watchCluster(connection, { signal: context.signal, env: context.env });
  const report = await runLessons(session, lessons, { bail: values.bail, prove: values.prove, signal: watch.signal });
  watch.stop();
  // A component that died between two looks of the watch shows first as a failed check ("cannot
  // reach the API server"): asked once more, so the run ends as check does, exit 3 naming it.
  const failed = report.summary.failed > 0 || report.lessons.some((l) => l.status === 'failed');
  const down = watch.down() ?? (failed && !context.signal.aborted ? await unusableCluster(connection, { signal: context.signal, env: context.env }) : undefined);
  await classReporter?.close();

  // Reports pass the session's redactor: it knows this session's credentials, not only their shapes.
  const { redactor } = session;
  if (reporters.github) context.stdout.write(redactor.text(renderAnnotations(validateAnnotations(report, workshop, annotationRoot(context.env, context.cwd)))));
  const rendered = reporters.report === 'json' ? renderJson(report, redactor) : reporters.report === 'junit' ? renderJunit(report, redactor) : renderSummary(report, palette, redactor);
  if (output) {
    await writeFile(output, reporters.report === 'pretty' ? renderSummary(report, plain, redactor) : rendered);
    context.stderr.write(renderSummary(report, palette, redactor));
    context.stderr.write(`Report written to ${values.output}\n`);
  } else if (reporters.report === 'pretty') {
    context.stderr.write(rendered);
  } else {
    context.stdout.write(rendered);
  }
  if (down) throw down;
  if (context.signal.aborted) return ExitCode.interrupted;
  const idle = failed ? undefined : nothingExercised(report, sourceOf(workshop.format)?.description ?? workshop.format ?? 'a workshop');
  if (idle) context.stderr.write(`${workshop.dir}: ${idle}\n`);
  return failed || idle ? ExitCode.failed : ExitCode.ok;
});
