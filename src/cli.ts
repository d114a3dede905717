import { ExitCode, describeError } from './errors.js';
import { runCli } from './main.js';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
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
