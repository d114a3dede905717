/** `kubelab class serve | join | leave | status | export`: checks the flags, then calls the class services. */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { exportClass, fetchClassView, joinClass, leaveClass, serveClass } from '../services/class.js';
import { CLASS } from './catalog.js';
import { declaredCommand } from './declare.js';

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
    context.stderr.write(
      `Joined class "${membership.className}" as ${membership.name}.\n` +
        'kubelab now shares your progress with the instructor: lesson and step, check results, hints and time on a step.\n' +
        'Never command output, environment or credentials. Stop with: kubelab class leave\n',
    );
    return ExitCode.ok;
  },

  async leave(_input, context) {
    const left = await leaveClass(context.env);
    context.stderr.write(left ? `Left class "${left.className}". Nothing more is shared.\n` : 'You are not in a class.\n');
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
