import { resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { formatDiagnostic } from '../engine/diagnostics.js';
import { lintWorkshop } from '../engine/lint.js';
import { loadWorkshop } from '../engine/workshop.js';
import { loadCheckers } from '../../checkers/index.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';
import { kubelabHome } from './shared.js';

export const lintCommand: Command = async (argv, context) => {
  const { values } = parseFlags(argv, { workshop: { type: 'string' }, json: { type: 'boolean', default: false } }, 'Usage: kubelab lint [--workshop DIR] [--json]', 0);
  const root = values.workshop ? resolve(context.cwd, values.workshop) : kubelabHome();
  const { workshop, diagnostics } = await loadWorkshop(root);
  if (workshop) lintWorkshop(workshop, await loadCheckers(workshop, diagnostics), diagnostics);
  const errors = diagnostics.items.filter((d) => d.severity === 'error').length;
  if (values.json) {
    context.stdout.write(`${JSON.stringify({ workshop: root, errors, diagnostics: diagnostics.items }, null, 2)}\n`);
  } else {
    for (const d of diagnostics.items) context.stdout.write(`${formatDiagnostic(d)}\n`);
    const lessons = workshop?.lessons.length ?? 0;
    context.stderr.write(errors ? `${errors} error(s).\n` : `No problems found in ${lessons} lessons.\n`);
  }
  return errors ? ExitCode.usage : ExitCode.ok;
};
