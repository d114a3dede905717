/**
 * The one place that decides how kubelab ends: which command runs, and an exit code from the
 * table, never a stack trace. Help and usage come from the declared commands; a command's module
 * is loaded only when it runs, so `--version` and `--help` stay instant.
 */
import type { Writable } from 'node:stream';
import { ExitCode, describeError, isAbort, KubelabError } from './errors.js';
import type { CommandContext } from './commands/context.js';
import { APP, COMMANDS, type CommandName } from './commands/catalog.js';
import { COMMAND_MODULES } from './commands/modules.js';
import { commandHelp, pickSubcommand, wantsHelp, type CommandSpec } from './commands/declare.js';
import { topHelp } from './commands/help.js';
import { killRun, newRunId, RUN_MARKER } from './engine/running/process.js';
import { KUBELAB_VERSION } from './version.js';

/** The process kubelab runs in, as far as the entry needs it (tests pass their own). */
export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--version') || argv[0] === 'version') {
    io.stdout.write(`kubelab ${KUBELAB_VERSION}\n`);
    return ExitCode.ok;
  }
  if (argv[0] === 'help') return printHelp(argv.slice(1), io);
  if ((argv.length === 0 || argv[0].startsWith('-')) && wantsHelp(argv)) {
    io.stdout.write(topHelp());
    return ExitCode.ok;
  }
  const name = argv.length === 0 || argv[0].startsWith('-') ? APP.name : argv[0];
  const rest = name === APP.name && argv[0] !== APP.name ? argv : argv.slice(1);
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) {
    io.stderr.write(`Unknown command "${name}".\n\n${topHelp()}`);
    return ExitCode.usage;
  }
  if (wantsHelp(rest)) return printHelp([name, ...rest.filter((a) => !a.startsWith('-'))], io);

  const controller = new AbortController();
  // Every process a lesson starts carries this run's id in its environment, so what it leaves
  // behind can be found and ended, even outside its process group.
  const runId = newRunId(io.env[RUN_MARKER]);
  const reportStrays = (when: string) => {
    const killed = killRun(runId);
    if (killed.length) io.stderr.write(`${when}: stopped ${killed.length} process(es) a lesson command left running: ${killed.map((p) => `${p.pid} ${p.command.slice(0, 60)}`).join('; ')}\n`);
  };
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) {
      // Quit at once, but not before every process of the run is gone (SIGKILL, synchronous).
      reportStrays('Quitting');
      process.exit(ExitCode.interrupted);
    }
    io.stderr.write('\nStopping… (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  const onSigterm = () => controller.abort();
  // The app handles Ctrl-C itself (it stops the running command, not the app).
  if (name !== APP.name) process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  const noColor = argv.includes('--no-color') || 'NO_COLOR' in io.env;
  const context: CommandContext = {
    signal: controller.signal,
    stdout: io.stdout,
    stderr: io.stderr,
    env: { ...io.env, [RUN_MARKER]: runId },
    cwd: io.cwd,
    interactive: Boolean(io.stdout.isTTY) && !io.env.CI,
    color: !noColor && Boolean(io.stderr.isTTY),
  };
  try {
    const command = await COMMAND_MODULES[spec.name as CommandName]();
    const code = await command(rest.filter((a) => a !== '--no-color'), context);
    return controller.signal.aborted && code !== ExitCode.ok ? ExitCode.interrupted : code;
  } catch (error) {
    if (isAbort(error) || controller.signal.aborted) {
      io.stderr.write('Interrupted.\n');
      return ExitCode.interrupted;
    }
    io.stderr.write(`${describeError(error)}\n`);
    if (!(error instanceof KubelabError) && io.env.KUBELAB_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    return error instanceof KubelabError ? error.exitCode : ExitCode.failed;
  } finally {
    // Whatever escaped a command's process group (setsid, a daemon) must not outlive kubelab.
    reportStrays('Finished');
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

/** Help for `kubelab`, a command or a subcommand; an unknown command is a usage error. */
function printHelp(words: string[], io: CliIO): number {
  const found: CommandSpec | undefined = COMMANDS.find((c) => c.name === words[0]);
  if (!found) {
    if (words[0]) io.stderr.write(`Unknown command "${words[0]}".\n\n${topHelp()}`);
    else io.stdout.write(topHelp());
    return words[0] ? ExitCode.usage : ExitCode.ok;
  }
  let spec = found;
  let path: string[] = [];
  if (spec.subcommands && words[1]) {
    try {
      spec = pickSubcommand(found, words.slice(1));
      path = [found.name];
    } catch {
      // An unknown subcommand: the command's own help lists the real ones.
    }
  }
  io.stdout.write(commandHelp(spec, path));
  return ExitCode.ok;
}
