import { ExitCode, describeError } from './errors.js';
import { KUBELAB_VERSION } from './version.js';

/** `--version` answers before the command catalog loads (it is benchmarked at ≤ 100 ms). */
async function start(argv: string[]): Promise<number> {
  if (argv.includes('--version') || argv[0] === 'version') {
    process.stdout.write(`kubelab ${KUBELAB_VERSION}\n`);
    return ExitCode.ok;
  }
  const { runCli } = await import('./main.js');
  return runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}

start(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Open watches or sockets must not keep a finished command alive.
    setTimeout(() => process.exit(code), 100).unref();
  },
  (error) => {
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = ExitCode.failed;
  },
);
