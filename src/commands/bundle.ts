import { ExitCode } from '../errors.js';
import { writeBundle } from '../services/bundle.js';
import { reachCluster } from '../services/connection.js';
import { openProgress } from '../services/progress.js';
import { openWorkshop } from '../services/workshop.js';
import { BUNDLE } from './catalog.js';
import { declaredCommand } from './declare.js';

/** Works on a broken machine too: a cluster that is down is itself something the bundle reports. */
export const bundleCommand = declaredCommand(BUNDLE, async ({ values }, context) => {
  const workshop = await openWorkshop(values.workshop, context);
  const { progress, key, provider } = await openProgress(workshop.id, values, context.env);
  const reached = await reachCluster({ ...values, provider }, provider, context);
  const file = await writeBundle({ workshop, progress, key, connection: reached.connection, env: context.env, signal: context.signal }, values.output, context.cwd);
  context.stderr.write(`Support bundle written to ${file}\nSecrets are redacted; look inside before you share it: tar -tzf ${file}\n`);
  context.stdout.write(`${file}\n`);
  return ExitCode.ok;
});
