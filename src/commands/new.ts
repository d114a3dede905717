import { relative, resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { addLesson } from '../services/scaffold.js';
import { requireWorkshopPath } from '../services/workshop.js';
import { NEW } from './catalog.js';
import { declaredCommand } from './declare.js';

/** `kubelab new lesson NAME`: a lesson folder with one step, listed in workshop.yaml. */
export const newCommand = declaredCommand(NEW, {
  async lesson({ values, positionals }, context) {
    const dir = requireWorkshopPath(resolve(context.cwd, values.workshop ?? '.'));
    const result = await addLesson(dir, positionals[0]);
    context.stdout.write(`created ${relative(context.cwd, result.file)}\n`);
    context.stderr.write(`Lesson "${result.id}" added to workshop.yaml as ${result.folder}. Check it with: kubelab lint --workshop ${relative(context.cwd, dir) || '.'}\n`);
    return ExitCode.ok;
  },
});
