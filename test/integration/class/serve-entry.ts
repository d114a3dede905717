/**
 * `kubelab class serve` as its own process, so a test can kill -9 it. Built with esbuild by the
 * test; it runs the real command with a non-interactive context.
 */
import { classCommand } from '../../../src/commands/class.js';

const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());

process.exitCode = await classCommand(['serve', ...process.argv.slice(2)], {
  signal: controller.signal,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interactive: false,
  color: false,
});
