import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { controlPlaneBuildScript } from '../install-root.js';
import { controlPlaneVersions, initWorkshop } from '../services/scaffold.js';
import { KUBELAB_VERSION } from '../version.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';

const USAGE = 'Usage: kubelab init [DIR] [--title TEXT]   (DIR defaults to the current folder)';

/** `kubelab init [DIR]`: a workshop that lints and validates as created, with its CI workflow. */
export const initCommand: Command = async (argv, context) => {
  const { values, positionals } = parseFlags(argv, { title: { type: 'string' } }, USAGE, 1);
  const dir = resolve(context.cwd, positionals[0] ?? '.');
  const versions = controlPlaneVersions(await readFile(controlPlaneBuildScript(), 'utf8'));
  const result = await initWorkshop(dir, { kubelabVersion: KUBELAB_VERSION, versions, title: values.title });
  for (const file of result.files) context.stdout.write(`created ${relative(context.cwd, resolve(dir, file)) || file}\n`);
  const shown = relative(context.cwd, dir) || '.';
  context.stderr.write(
    `\nWorkshop "${result.id}" is ready. Next:\n` +
      `  kubelab lint --workshop ${shown}\n` +
      `  kubelab cluster up --provider local\n` +
      `  kubelab validate --workshop ${shown} --prove\n` +
      `  kubelab new lesson NAME --workshop ${shown}\n`,
  );
  return ExitCode.ok;
};
