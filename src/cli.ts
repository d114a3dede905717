import { ExitCode, describeError, isAbort, KubelabError } from './errors.js';
import type { Command, CommandContext } from './commands/context.js';
import { KUBELAB_VERSION } from './version.js';

const HELP = `kubelab — a hands-on Kubernetes workshop in your terminal

Usage:
  kubelab                               open the workshop app (interactive terminal)
  kubelab list [--json]                 lessons and your progress
  kubelab lint [--json] [--reporter github]  check the workshop's lesson files
  kubelab validate [LESSON...]          run lessons headless: commands, then checks
      [--provider NAME] [--reporter pretty|json|junit|github] [--output FILE] [--bail] [--prove]
  kubelab check LESSON[/STEP] [--json] [--wait SECONDS]
                                        only the checks, against the cluster as it is
  kubelab reset LESSON [--cleanup]      forget progress (and delete what the lesson created)
  kubelab cluster up|down|status [--provider local|kind|eks|existing] [--name NAME] [--nodes N]
  kubelab class serve|join|leave|status instructor-led class (see kubelab class --help)
  kubelab init [DIR]                    start a workshop of your own (lesson, CI workflow, README)
  kubelab new lesson NAME               add a lesson to the workshop here (or --workshop DIR)

Common options:
  --workshop DIR     another workshop folder (default: the bundled EKS workshop)
  --provider NAME    local (default, offline), kind, eks, existing
  --kubeconfig FILE --context NAME   use an existing cluster (provider "existing")
  --no-color         or set NO_COLOR
  --version, --help

Exit codes: 0 ok, 1 a step or check failed, 2 usage or lesson error, 3 cluster/environment not usable, 130 interrupted.
`;

const COMMANDS: Record<string, () => Promise<Command>> = {
  list: async () => (await import('./commands/list.js')).listCommand,
  lint: async () => (await import('./commands/lint.js')).lintCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  reset: async () => (await import('./commands/reset.js')).resetCommand,
  cluster: async () => (await import('./commands/cluster.js')).clusterCommand,
  class: async () => (await import('./commands/class.js')).classCommand,
  app: async () => (await import('./commands/app.js')).appCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  new: async () => (await import('./commands/new.js')).newCommand,
};

/** The one place that decides how kubelab ends: an exit code from the table, never a stack trace. */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--version') || argv[0] === 'version') {
    process.stdout.write(`kubelab ${KUBELAB_VERSION}\n`);
    return ExitCode.ok;
  }
  if (argv[0] === 'help' || ((argv.length === 0 || argv[0].startsWith('-')) && argv.includes('--help'))) {
    process.stdout.write(HELP);
    return ExitCode.ok;
  }
  const name = argv.length === 0 || argv[0].startsWith('-') ? 'app' : argv[0];
  const rest = name === 'app' && argv[0] !== 'app' ? argv : argv.slice(1);
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`Unknown command "${name}".\n\n${HELP}`);
    return ExitCode.usage;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    process.stderr.write('\nStopping… (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  // The app handles Ctrl-C itself (it stops the running command, not the app).
  if (name !== 'app') process.on('SIGINT', onSigint);
  process.on('SIGTERM', () => controller.abort());

  const noColor = argv.includes('--no-color') || 'NO_COLOR' in process.env;
  const context: CommandContext = {
    signal: controller.signal,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdout.isTTY) && !process.env.CI,
    color: !noColor && Boolean(process.stderr.isTTY),
  };
  try {
    const command = await load();
    const code = await command(rest.filter((a) => a !== '--no-color'), context);
    return controller.signal.aborted && code !== ExitCode.ok ? ExitCode.interrupted : code;
  } catch (error) {
    if (isAbort(error) || controller.signal.aborted) {
      process.stderr.write('Interrupted.\n');
      return ExitCode.interrupted;
    }
    process.stderr.write(`${describeError(error)}\n`);
    if (!(error instanceof KubelabError) && process.env.KUBELAB_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return error instanceof KubelabError ? error.exitCode : ExitCode.failed;
  }
}

main(process.argv.slice(2)).then(
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
