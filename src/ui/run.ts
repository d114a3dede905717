/**
 * The interactive app's view: draws the workshop the app service opened (src/services/app.ts)
 * with Ink, and turns keys into the services' actions. The app command hands this view to the
 * service, as headless commands hand in their reporters; Ink and React load with this module, so
 * only the app pays for them.
 */
import { render } from 'ink';
import { ExitCode } from '../errors.js';
import type { EngineListener } from '../engine/types.js';
import type { AppView } from '../services/app.js';
import { appElement } from './components/App.js';
import { goodbye } from './goodbye.js';
import { AppController, createStore } from './controller.js';
import { initialState, resumePoint, textFor } from './state.js';
import { chooseLanguage } from '../engine/i18n/language.js';
import { inSourceTitles } from '../engine/i18n/lesson-translation.js';

export const showApp: AppView = async (app) => {
  const { options: flags, context, workshop } = app;
  const stdout = context.stdout as NodeJS.WriteStream;
  // --lang, else the language last switched to (kept with progress), else the locale, else English.
  const { language } = chooseLanguage({ flag: flags.lang, remembered: app.progress.language, env: context.env });
  const store = createStore(
    initialState({
      workshop,
      language,
      progress: app.progress,
      provider: app.provider,
      size: { columns: stdout.columns || 80, rows: stdout.rows || 24 },
      color: context.color && !('NO_COLOR' in context.env),
      notice: app.progressWarning ? { tone: 'warn', text: app.progressWarning } : undefined,
      providerMissing: app.providerMissing,
      clusterName: flags.name,
    }),
  );

  const listeners: EngineListener[] = [];
  // Set once the class connection is found (behind the first frame); a key before that finds none.
  let classReporter: Awaited<ReturnType<typeof app.joinedClass>> = undefined;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const controller = new AppController({
    store,
    connect: app.look,
    createRunner: app.createRunner,
    saveProgress: app.saveProgress,
    reloadProgress: app.reloadProgress,
    progressFor: app.progressFor,
    startCluster: app.startCluster,
    // The runner is the app's session (createRunner above): catch-up runs in its shell.
    catchUp: (runner) => (target, current, options) => app.catchUp(runner as ReturnType<typeof app.createRunner>, target, current, options),
    writeBundle: () => app.writeBundle(store.getState().progress),
    recordStep: app.recordStep,
    listeners,
    toggleHand: () => {
      if (!classReporter) return undefined;
      const raised = classReporter.toggleHand();
      store.dispatch({ type: 'class-status', text: classReporter.statusLine(textFor(store.getState())) });
      return raised;
    },
    exit: resolveExit,
  });

  const instance = render(appElement({ store, controller }), {
    stdout,
    stdin: process.stdin,
    stderr: process.stderr,
    exitOnCtrlC: false,
  });

  // Ctrl-C arrives as a key while Ink holds the terminal; a SIGINT from elsewhere means the same.
  const onSigint = () => controller.handle('interrupt');
  process.on('SIGINT', onSigint);
  const onAbort = () => void controller.quit(ExitCode.interrupted);
  context.signal.addEventListener('abort', onAbort);

  classReporter = await app.joinedClass();
  let classTimer: NodeJS.Timeout | undefined;
  if (classReporter) {
    // The instructor reads every learner's steps under the workshop's own titles, whatever their language.
    const toSource = inSourceTitles(workshop);
    const report = classReporter.listener;
    listeners.push((event) => report(toSource(event)));
    const refresh = () => store.dispatch({ type: 'class-status', text: classReporter.statusLine(textFor(store.getState())) });
    refresh();
    classTimer = setInterval(refresh, 2000);
    classTimer.unref();
  }
  void app.eksReminders().then((lines) => lines.length && store.dispatch({ type: 'eks-reminders', lines }));
  void controller.start();

  const code = await exited;
  process.off('SIGINT', onSigint);
  context.signal.removeEventListener('abort', onAbort);
  if (classTimer) clearInterval(classTimer);
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  await classReporter?.close();
  const final = store.getState();
  for (const line of goodbye(final, resumePoint(final), flags, context.env)) context.stderr.write(`${line}\n`);
  // A cluster that bills by the hour must not be forgotten on the way out.
  for (const line of await app.eksReminders()) context.stderr.write(`Reminder: ${line}\n`);
  return code;
};
