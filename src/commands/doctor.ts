import { ExitCode } from '../errors.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';

const USAGE = 'Usage: kubelab doctor [--json]   what is installed, what is missing, and the command that fixes each';

/** Exit 0 when the local cluster and the workshop have all they need, 3 (environment) otherwise. */
export const doctorCommand: Command = async (argv, context) => {
  const { values } = parseFlags(argv, { json: { type: 'boolean', default: false } }, USAGE, 0);
  const { runDoctor, formatDoctorReport } = await import('../services/doctor.js');
  const report = await runDoctor({ env: context.env, signal: context.signal });
  context.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
  return report.ready ? ExitCode.ok : ExitCode.environment;
};
