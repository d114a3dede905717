/** `kubelab class serve | join | leave | status | export`: checks the flags, then calls the class services. */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { exportClass, fetchClassView, joinClass, leaveClass, serveClass } from '../services/class.js';
import { CLASS } from './catalog.js';
import { declaredCommand } from './declare.js';
import { chooseLanguage } from '../engine/i18n/language.js';
import { createTranslator } from '../engine/i18n/translate.js';

export const classCommand = declaredCommand(CLASS, {
  async serve({ values }, context) {
    const name = className(values.name);
    await serveClass({
      name,
      host: values.host,
      port: values.port,
      stuckAfterMs: Math.round(values['stuck-minutes'] * 60_000),
      interactive: context.interactive,
      env: context.env,
      stdout: context.stdout,
      stderr: context.stderr,
      signal: context.signal,
    });
    return ExitCode.ok;
  },

  async join({ values, positionals }, context) {
    const url = positionals[0];
    const name = values.name ?? defaultName();
    const membership = await joinClass({ url, token: values.token, name, env: context.env, signal: context.signal });
    // Learner-facing: in the learner's locale (LC_ALL, LC_MESSAGES, LANG), like the app.
    const { t } = createTranslator(chooseLanguage({ env: context.env }).language);
    context.stderr.write(`${t('class.joined', { className: membership.className, name: membership.name })}\n${t('class.sharing')}\n${t('class.never')}\n`);
    return ExitCode.ok;
  },

  async leave(_input, context) {
    const left = await leaveClass(context.env);
    const { t } = createTranslator(chooseLanguage({ env: context.env }).language);
    context.stderr.write(`${left ? t('class.leftClass', { className: left.className }) : t('class.notInClass')}\n`);
    return ExitCode.ok;
  },

  async status({ values, positionals }, context) {
    const url = positionals[0];
    const { view, text } = await fetchClassView({ url, token: values.token, signal: context.signal });
    context.stdout.write(values.json ? `${JSON.stringify(view, null, 2)}\n` : `${text}\n`);
    return ExitCode.ok;
  },

  async export({ values }, context) {
    const name = className(values.name);
    const { files, record } = await exportClass({ name, outputDir: resolve(context.cwd, values.output), env: context.env });
    context.stderr.write(`Class "${name}": ${record.learners.length} learner(s), ${record.steps.length} step(s) reached.\n`);
    context.stdout.write(`${files.join('\n')}\n`);
    return ExitCode.ok;
  },
});

function className(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new UsageError(`--name "${name}" is not a class name.`, 'Use letters, digits, - and _ (it names a file), e.g. --name k8s-march');
  }
  return name;
}

function defaultName(): string {
  try {
    return userInfo().username;
  } catch {
    throw new UsageError('--name is required.', 'kubelab class join <url> --token TOKEN --name "Your Name"');
  }
}
