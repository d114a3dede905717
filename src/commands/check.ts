import { EnvironmentError, ExitCode, UsageError } from '../errors.js';
import { findLesson } from '../engine/workshop.js';
import { checkSatisfied, WorkshopSession } from '../engine/session.js';
import { probeApiServer } from '../providers/probe.js';
import { colors, plain, statusMark } from '../reporters/pretty.js';
import { loadBuiltinCheckers } from '../../checkers/index.js';
import { awsServices } from '../aws/eks-service.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';
import { openWorkshop, resolveConnection } from './shared.js';
import { connectionOptions } from './validate.js';
import { renderTable } from '../reporters/table.js';

const CHECK_USAGE = 'Usage: kubelab check LESSON[/STEP] [--json] [--wait SECONDS]';

export const checkCommand: Command = async (argv, context) => {
  const { values, positionals } = parseFlags(argv, { ...connectionOptions, json: { type: 'boolean', default: false }, wait: { type: 'string', default: '0' } }, CHECK_USAGE);
  if (positionals.length !== 1) throw new UsageError('Name one lesson, or one step as LESSON/STEP.', CHECK_USAGE);
  const [lessonId, stepId] = positionals[0].split('/');
  const waitSeconds = Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError(`--wait must be a number of seconds, got "${values.wait}".`);
  const workshop = await openWorkshop(values.workshop, context);
  const lesson = findLesson(workshop, lessonId);
  if (!lesson) throw new UsageError(`No lesson "${lessonId}". Lessons: ${workshop.lessons.map((l) => l.id).join(', ')}.`);
  const steps = stepId ? lesson.steps.filter((s) => s.id === stepId) : lesson.steps;
  if (steps.length === 0) throw new UsageError(`Lesson ${lesson.id} has no step "${stepId}". Steps: ${lesson.steps.map((s) => s.id).join(', ')}.`);
  const connection = await resolveConnection(values, context);
  const probe = await probeApiServer(connection, context.signal);
  if (!probe.reachable) throw new EnvironmentError(`The cluster is not reachable: ${probe.detail}`, 'Check it with: kubelab cluster status');

  const session = new WorkshopSession({ workshop, connection, checkers: await loadBuiltinCheckers(), env: context.env, emit: () => undefined, services: awsServices(context.env) });
  const p = context.color ? colors : plain;
  const results = [];
  let allPassed = true;
  for (const step of steps) {
    const outcomes = await session.runChecks(lesson, step, context.signal, waitSeconds * 1000);
    for (const o of outcomes) {
      allPassed &&= checkSatisfied(o.result);
      results.push({ step: step.id, id: o.spec.id, ...o.result });
      if (!values.json) {
        context.stdout.write(`${statusMark(o.result.status, p)} ${step.id}/${o.spec.id}: ${o.result.message}\n`);
        if (o.result.expected && o.result.status !== 'pass') context.stdout.write(`    expected: ${o.result.expected}\n    actual:   ${o.result.actual ?? ''}\n`);
        if (o.result.hint && o.result.status !== 'pass') context.stdout.write(`    hint: ${o.result.hint}\n`);
        if (o.result.table) context.stdout.write(renderTable(o.result.table, '    '));
      }
    }
  }
  if (values.json) context.stdout.write(`${JSON.stringify({ lesson: lesson.id, checks: results }, null, 2)}\n`);
  return allPassed ? ExitCode.ok : ExitCode.failed;
};
