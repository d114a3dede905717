import { ExitCode } from '../errors.js';
import type { Command } from './context.js';
import { parseFlags } from './flags.js';

/** Decides headless vs interactive in one place: the app draws only on a real terminal outside CI. */
export const appCommand: Command = async (argv, context) => {
  const { values } = parseFlags(argv, { workshop: { type: 'string' }, provider: { type: 'string' }, kubeconfig: { type: 'string' }, context: { type: 'string' }, name: { type: 'string' } }, 'See: kubelab --help', 0);
  if (!context.interactive) {
    context.stderr.write(
      'kubelab draws its app only in an interactive terminal (stdout is not a TTY, or CI is set).\n' +
        'Headless, use:  kubelab validate   (run lessons and check them)\n' +
        '                kubelab check LESSON[/STEP]   (only the checks)\n' +
        '                kubelab list   (lessons and progress)\n',
    );
    return ExitCode.usage;
  }
  const { runApp } = await import('../ui/run.js');
  return runApp(values, context);
};
