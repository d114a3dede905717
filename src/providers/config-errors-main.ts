/**
 * `node dist/config-errors.js --kubeconfig FILE`: the local cluster's stand-in for the kubelet's
 * config checks (see config-errors.ts), started beside the control plane by the local provider.
 */
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { runConfigErrorController } from './config-errors.js';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' } } });
if (!values.kubeconfig) {
  process.stderr.write('usage: config-errors --kubeconfig FILE\n');
  process.exit(2);
}
const kc = new KubeConfig();
kc.loadFromFile(values.kubeconfig);
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop.abort());
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
await runConfigErrorController(kc, stop.signal, log).catch((error: Error) => {
  log(`stopped: ${error.message}`);
  process.exitCode = 1;
});
