import { relative, resolve } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { addLesson } from '../services/scaffold.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';

const USAGE = 'Usage: kubelab new lesson NAME [--workshop DIR]   (DIR defaults to the current folder)';

/** `kubelab new lesson NAME`: a lesson folder with one step, listed in workshop.yaml. */
export const newCommand: Command = async (argv, context) => {
  const { values, positionals } = parseFlags(argv, { workshop: { type: 'string' } }, USAGE, 2);
  if (positionals[0] !== 'lesson' || !positionals[1]) throw new UsageError('kubelab new makes a lesson.', USAGE);
  const dir = resolve(context.cwd, values.workshop ?? '.');
  const result = await addLesson(dir, positionals[1]);
  context.stdout.write(`created ${relative(context.cwd, result.file)}\n`);
  context.stderr.write(`Lesson "${result.id}" added to workshop.yaml as ${result.folder}. Check it with: kubelab lint --workshop ${relative(context.cwd, dir) || '.'}\n`);
  return ExitCode.ok;
};
