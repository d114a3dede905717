import { ExitCode } from '../errors.js';
import { formatDoctorReport, runDoctor } from '../services/doctor.js';
import { DOCTOR } from './catalog.js';
import { declaredCommand } from './declare.js';

/** Exit 0 when the local cluster and the workshop have all they need, 3 (environment) otherwise. */
export const doctorCommand = declaredCommand(DOCTOR, async ({ values }, context) => {
  const report = await runDoctor({ env: context.env, signal: context.signal });
  context.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
  return report.ready ? ExitCode.ok : ExitCode.environment;
});
