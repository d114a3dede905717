import { relative, resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { initWorkshop } from '../services/scaffold.js';
import { INIT } from './catalog.js';
import { declaredCommand } from './declare.js';

/** `kubelab init [DIR]`: a workshop that lints and validates as created, with its CI workflow. */
export const initCommand = declaredCommand(INIT, async ({ values, positionals }, context) => {
  const dir = resolve(context.cwd, positionals[0] ?? '.');
  const result = await initWorkshop(dir, { title: values.title });
  for (const file of result.files) context.stdout.write(`created ${relative(context.cwd, resolve(dir, file))}\n`);
  const shown = relative(context.cwd, dir) || '.';
  context.stderr.write(
    `\nWorkshop "${result.id}" is ready. Next:\n` +
      `  kubelab lint --workshop ${shown}\n` +
      `  kubelab cluster up --provider local\n` +
      `  kubelab validate --workshop ${shown} --prove\n` +
      `  kubelab new lesson NAME --workshop ${shown}\n`,
  );
  return ExitCode.ok;
});
