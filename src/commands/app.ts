import { ExitCode } from '../errors.js';
import { openApp } from '../services/app.js';
import { APP } from './catalog.js';
import { declaredCommand } from './declare.js';

/** Decides headless vs interactive in one place: the app draws only on a real terminal outside CI. */
export const appCommand = declaredCommand(APP, async ({ values }, context) => {
  if (!context.interactive) {
    context.stderr.write(
      'kubelab draws its app only in an interactive terminal (stdout is not a TTY, or CI is set).\n' +
        'Headless, use:  kubelab validate   (run lessons and check them)\n' +
        '                kubelab check LESSON[/STEP]   (only the checks)\n' +
        '                kubelab list   (lessons and progress)\n',
    );
    return ExitCode.usage;
  }
  // The Ink view starts loading now, while the service reads the workshop: together they decide the first frame.
  const view = import('../ui/run.js').then((ui) => ui.showApp);
  return openApp(values, context, view);
});
