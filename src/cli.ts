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

// `kubelab list | head -1`: once the reader has gone, the output is no longer wanted. End quietly
// instead of letting Node throw EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok);
    throw error;
  });
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
