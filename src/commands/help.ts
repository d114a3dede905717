/** The top help (`kubelab --help`), generated from the declared commands. */
import { APP, COMMANDS, CONNECTION_FLAGS } from './catalog.js';
import { flagLabel, table, usageLines, wrap, type CommandSpec } from './declare.js';

export function topHelp(): string {
  const commands = COMMANDS.filter((spec: CommandSpec) => !spec.hidden).flatMap((spec) => {
    const lines = usageLines(spec).map((line) => `  ${wrap(line, 100, '      ')}`);
    return [...lines, `      ${spec.summary}`];
  });
  const connection = table(Object.entries(CONNECTION_FLAGS).map(([name, flag]) => [flagLabel(name, flag), flag.help]));
  return `kubelab — a hands-on Kubernetes workshop in your terminal

Usage:
  ${usageLines(APP)[0]}
      ${APP.summary}
${commands.join('\n')}

Connection options (the app, list, validate, check, reset):
${connection}

Everywhere:
${table([
  ['--no-color', 'no colours (or set NO_COLOR)'],
  ['-h, --help', 'help; kubelab COMMAND --help for one command'],
  ['--version', "kubelab's version"],
])}

Exit codes: 0 ok, 1 a step or check failed, 2 usage or lesson error, 3 cluster/environment not usable, 130 interrupted.
`;
}
