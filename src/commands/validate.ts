import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EnvironmentError, ExitCode, UsageError } from '../errors.js';
import { findLesson } from '../engine/workshop.js';
import { WorkshopSession } from '../engine/session.js';
import { runLessons } from '../engine/run-lessons.js';
import { awsServices } from '../aws/eks-service.js';
import type { EngineEvent, Lesson } from '../engine/types.js';
import { probeApiServer } from '../providers/probe.js';
import { renderJson } from '../reporters/json.js';
import { renderJunit } from '../reporters/junit.js';
import { renderAnnotations, validateAnnotations } from '../reporters/github.js';
import { annotationRoot, chooseReporters } from '../services/reporters.js';
import { colors, plain, prettyProgress, renderSummary } from '../reporters/pretty.js';
import { loadBuiltinCheckers } from '../../checkers/index.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';
import { openWorkshop, resolveConnection } from './shared.js';

export const connectionOptions = {
  workshop: { type: 'string' },
  provider: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  name: { type: 'string' },
} as const;

const VALIDATE_USAGE = 'Usage: kubelab validate [LESSON...] [--provider NAME] [--reporter pretty|json|junit] [--reporter github] [--output FILE] [--bail] [--prove] [--verbose]';

export const validateCommand: Command = async (argv, context) => {
  const { values, positionals } = parseFlags(argv, {
    ...connectionOptions,
    reporter: { type: 'string', multiple: true, default: ['pretty'] },
    output: { type: 'string' },
    bail: { type: 'boolean', default: false },
    prove: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  }, VALIDATE_USAGE);
  const reporters = chooseReporters(values.reporter, { output: values.output });
  const workshop = await openWorkshop(values.workshop, context);
  const lessons: Lesson[] = positionals.length
    ? positionals.map((id) => {
        const lesson = findLesson(workshop, id);
        if (!lesson) throw new UsageError(`No lesson "${id}". Lessons: ${workshop.lessons.map((l) => l.id).join(', ')}.`);
        return lesson;
      })
    : workshop.lessons;
  const connection = await resolveConnection(values, context);
  const probe = await probeApiServer(connection, context.signal);
  if (!probe.reachable) {
    throw new EnvironmentError(`The ${connection.provider} cluster "${connection.name}" is not reachable: ${probe.detail}`, 'Check it with: kubelab cluster status');
  }

  const palette = context.color ? colors : plain;
  const progress = prettyProgress((line) => context.stderr.write(`${line}\n`), palette, values.verbose);
  const listeners: ((e: EngineEvent) => void)[] = [progress];
  const { createClassReporter } = await import('../class/client.js').catch(() => ({ createClassReporter: undefined }));
  const classReporter = createClassReporter?.({ env: context.env });
  if (classReporter) listeners.push(classReporter.listener);

  const emit = (event: EngineEvent) => listeners.forEach((l) => l(event));
  const session = new WorkshopSession({ workshop, connection, checkers: await loadBuiltinCheckers(), env: context.env, emit, services: awsServices(context.env) });
  context.stderr.write(`Validating ${lessons.length} lesson(s) on ${connection.provider} cluster "${connection.name}" (${probe.detail})${values.prove ? ', proving every check can fail' : ''}\n`);
  const report = await runLessons(session, lessons, { bail: values.bail, prove: values.prove, signal: context.signal });
  await classReporter?.close();

  if (reporters.github) context.stdout.write(renderAnnotations(validateAnnotations(report, workshop, annotationRoot(context.env, context.cwd))));
  const rendered = reporters.report === 'json' ? renderJson(report) : reporters.report === 'junit' ? renderJunit(report) : renderSummary(report, palette);
  if (values.output) {
    await writeFile(resolve(context.cwd, values.output), reporters.report === 'pretty' ? renderSummary(report, plain) : rendered);
    context.stderr.write(renderSummary(report, palette));
    context.stderr.write(`Report written to ${values.output}\n`);
  } else if (reporters.report === 'pretty') {
    context.stderr.write(rendered);
  } else {
    context.stdout.write(rendered);
  }
  if (context.signal.aborted) return ExitCode.interrupted;
  return report.summary.failed > 0 || report.lessons.some((l) => l.status === 'failed') ? ExitCode.failed : ExitCode.ok;
};
