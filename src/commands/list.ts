import { parseArgs } from 'node:util';
import { ExitCode } from '../errors.js';
import { lessonState, loadProgress } from '../engine/progress.js';
import type { Command } from './context.js';
import { openWorkshop } from './shared.js';

export const listCommand: Command = async (argv, context) => {
  const { values } = parseArgs({ args: argv, options: { workshop: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const workshop = await openWorkshop(values.workshop, context);
  const { progress, warning } = await loadProgress(workshop.id, context.env);
  if (warning) context.stderr.write(`warning: ${warning}\n`);
  const lessons = workshop.lessons.map((l) => ({
    id: l.id,
    title: l.title,
    minutes: l.minutes,
    status: lessonState(progress, l.id, l.steps.map((s) => s.id)),
    steps: l.steps.length,
    providers: l.providers,
  }));
  if (values.json) {
    context.stdout.write(`${JSON.stringify({ workshop: workshop.id, title: workshop.title, lessons }, null, 2)}\n`);
  } else {
    context.stdout.write(`${workshop.title}\n`);
    for (const l of lessons) context.stdout.write(`  ${l.id.padEnd(20)} ${l.title.padEnd(38)} ${String(l.minutes).padStart(3)} min  ${l.status}\n`);
  }
  return ExitCode.ok;
};
