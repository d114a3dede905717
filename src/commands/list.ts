import { ExitCode } from '../errors.js';
import { loadProgress, saveProgress, updateStep } from '../engine/progress.js';
import { listWorkshop } from '../services/listing.js';
import { firstUnmetStep, WorkshopSession } from '../engine/session.js';
import { loadBuiltinCheckers } from '../../checkers/index.js';
import { awsServices } from '../aws/eks-service.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';
import { openWorkshop, resolveConnection } from './shared.js';
import { connectionOptions } from './validate.js';

export const listCommand: Command = async (argv, context) => {
  const { values } = parseFlags(argv, { ...connectionOptions, json: { type: 'boolean', default: false }, probe: { type: 'boolean', default: false } }, 'Usage: kubelab list [--json] [--probe]', 0);
  const workshop = await openWorkshop(values.workshop, context);
  let { progress, warning } = await loadProgress(workshop.id, context.env);
  if (warning) context.stderr.write(`warning: ${warning}\n`);
  // --probe: ask the cluster where each lesson really stands, and resume from there.
  const resumeAt = new Map<string, string>();
  if (values.probe) {
    const connection = await resolveConnection(values, context);
    const session = new WorkshopSession({ workshop, connection, checkers: await loadBuiltinCheckers(), env: context.env, emit: () => undefined, services: awsServices(context.env) });
    for (const lesson of workshop.lessons) {
      const step = await firstUnmetStep(session, lesson, context.signal);
      resumeAt.set(lesson.id, step?.id ?? '(all checks pass)');
      for (const earlier of lesson.steps.slice(0, step ? step.index : lesson.steps.length)) {
        progress = updateStep(progress, lesson.id, earlier.id, { status: 'passed' });
      }
    }
    const next = workshop.lessons.find((l) => !resumeAt.get(l.id)?.startsWith('('));
    if (next) progress = { ...progress, current: { lessonId: next.id, stepId: resumeAt.get(next.id)! } };
    await saveProgress(progress, context.env);
  }
  const listing = listWorkshop(workshop, progress, resumeAt);
  if (values.json) {
    context.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
  } else {
    context.stdout.write(`${workshop.title}\n`);
    for (const l of listing.lessons) {
      const resume = l.resumeAt ? `  → ${l.resumeAt}` : '';
      context.stdout.write(`  ${l.id.padEnd(20)} ${l.title.padEnd(38)} ${String(l.minutes).padStart(3)} min  ${l.status}${resume}\n`);
    }
  }
  return ExitCode.ok;
};
