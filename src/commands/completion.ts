/**
 * `kubelab completion bash|zsh|fish`: completion scripts generated from the declared commands,
 * so a new command or flag completes as soon as it is declared.
 */
import { ExitCode, UsageError } from '../errors.js';
import { APP, COMMANDS, COMPLETION } from './catalog.js';
import { declaredCommand, type CommandSpec, type FlagSpec } from './declare.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Flags every command takes besides its declared ones. */
const EVERYWHERE: Record<string, FlagSpec> = {
  help: { type: 'boolean', help: 'show help' },
  'no-color': { type: 'boolean', help: 'no colours' },
};

interface Node {
  /** Words after `kubelab` that lead here: [] for the app, ['cluster', 'up'] for a subcommand. */
  path: string[];
  spec: CommandSpec;
}

/** Every command and subcommand that takes flags, the app first. */
function leaves(): Node[] {
  const out: Node[] = [{ path: [], spec: APP }];
  for (const spec of COMMANDS as readonly CommandSpec[]) {
    if (spec.hidden) continue;
    if (spec.subcommands) for (const sub of spec.subcommands) out.push({ path: [spec.name, sub.name], spec: sub });
    else out.push({ path: [spec.name], spec });
  }
  return out;
}

const visible = () => (COMMANDS as readonly CommandSpec[]).filter((spec) => !spec.hidden);
const flagsOf = (spec: CommandSpec) => ({ ...spec.flags, ...EVERYWHERE });
const single = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export function completionScript(shell: Shell): string {
  if (shell === 'bash') return bashScript();
  if (shell === 'zsh') return zshScript();
  return fishScript();
}

/** `--workshop|--provider|…`: every flag that takes a value (its value is not a command word). */
function valueFlagPattern(): string {
  const names = new Set(leaves().flatMap(({ spec }) => Object.entries(spec.flags).filter(([, f]) => f.type === 'string').map(([name]) => `--${name}`)));
  return [...names].join('|');
}

function bashScript(): string {
  const cases = leaves().map(({ path, spec }) => {
    const flags = Object.entries(flagsOf(spec));
    const words = flags.map(([name]) => `--${name}`).join(' ');
    const values = flags
      .filter(([, f]) => f.type === 'string')
      .map(([name, f]) => {
        const reply = f.choices ? `COMPREPLY=($(compgen -W ${single(f.choices.join(' '))} -- "$cur"))` : f.complete === 'dir' ? 'COMPREPLY=($(compgen -d -- "$cur"))' : f.complete === 'file' ? 'COMPREPLY=($(compgen -f -- "$cur"))' : 'COMPREPLY=()';
        return `        --${name}) ${reply}; return ;;`;
      });
    return `    ${single(path.join(' '))})\n      case "$prev" in\n${values.join('\n')}\n      esac\n      COMPREPLY=($(compgen -W ${single(words)} -- "$cur")) ;;`;
  });
  const subs = visible()
    .filter((s) => s.subcommands)
    .map((s) => `    ${s.name})\n      if [ \${#words[@]} -eq 1 ] && [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W ${single(s.subcommands!.map((c) => c.name).join(' '))} -- "$cur")); return; fi\n      target="$cmd \${words[1]}" ;;`);
  const valueFlags = valueFlagPattern();
  return `# kubelab completion for bash: source this file, or put it in ~/.local/share/bash-completion/completions/kubelab
_kubelab() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" i
  # The command words typed so far: neither flags nor a flag's value.
  local -a words=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) continue ;; esac
    case "\${COMP_WORDS[i-1]}" in ${valueFlags}) continue ;; esac
    words+=("\${COMP_WORDS[i]}")
  done
  local cmd="\${words[0]}" target="\${words[0]}"
  if [ \${#words[@]} -eq 0 ] && [[ "$cur" != -* ]]; then
    case "$prev" in ${valueFlags}) ;; *) COMPREPLY=($(compgen -W ${single(visible().map((s) => s.name).join(' ') + ' help')} -- "$cur")); return ;; esac
  fi
  case "$cmd" in
    help) COMPREPLY=($(compgen -W ${single(visible().map((s) => s.name).join(' '))} -- "$cur")); return ;;
${subs.join('\n')}
  esac
  case "$target" in
${cases.join('\n')}
  esac
}
complete -o default -F _kubelab kubelab
`;
}

function zshDescribe(items: [string, string][]): string {
  return items.map(([name, help]) => single(`${name.replace(/:/g, '\\:')}:${help}`)).join(' ');
}

function zshScript(): string {
  const flagCase = leaves().map(({ path, spec }) => {
    const flags = Object.entries(flagsOf(spec));
    const values = flags
      .filter(([, f]) => f.type === 'string')
      .map(([name, f]) => {
        const action = f.choices ? `compadd -- ${f.choices.join(' ')}` : f.complete === 'dir' ? '_files -/' : f.complete === 'file' ? '_files' : 'return 0';
        return `        --${name}) ${action}; return ;;`;
      });
    const opts = zshDescribe(flags.map(([name, f]) => [`--${name}`, f.help]));
    return `    ${single(path.join(' '))})\n      case "$prev" in\n${values.join('\n')}\n      esac\n      local -a opts=(${opts})\n      _describe -t options option opts ;;`;
  });
  const commands = zshDescribe([...visible().map((s): [string, string] => [s.name, s.summary]), ['help', 'help for kubelab or one command']]);
  const subCase = visible()
    .filter((s) => s.subcommands)
    .map((s) => `    ${s.name})\n      if (( \${#cmdwords} == 1 )) && [[ "$cur" != -* ]]; then\n        local -a subs=(${zshDescribe(s.subcommands!.map((c) => [c.name, c.summary]))})\n        _describe -t commands command subs; return\n      fi\n      target="$cmd \${cmdwords[2]}" ;;`);
  const valueFlags = valueFlagPattern();
  return `#compdef kubelab
# kubelab completion for zsh: put this file on $fpath as _kubelab (then compinit), or source it.
_kubelab() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}" i
  # The command words typed so far: neither flags nor a flag's value.
  local -a cmdwords=()
  for ((i = 2; i < CURRENT; i++)); do
    [[ "\${words[i]}" == -* ]] && continue
    case "\${words[i-1]}" in ${valueFlags}) continue ;; esac
    cmdwords+=("\${words[i]}")
  done
  local cmd="\${cmdwords[1]}" target="\${cmdwords[1]}"
  if (( \${#cmdwords} == 0 )) && [[ "$cur" != -* ]]; then
    case "$prev" in
      ${valueFlags}) ;;
      *) local -a cmds=(${commands}); _describe -t commands command cmds; return ;;
    esac
  fi
  case "$cmd" in
    help) local -a cmds=(${commands}); _describe -t commands command cmds; return ;;
${subCase.join('\n')}
  esac
  case "$target" in
${flagCase.join('\n')}
  esac
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then _kubelab "$@"; else compdef _kubelab kubelab; fi
`;
}

function fishScript(): string {
  const lines = ['# kubelab completion for fish: put this file in ~/.config/fish/completions/kubelab.fish', 'complete -c kubelab -f'];
  const top = visible();
  const names = top.map((s) => s.name).join(' ');
  lines.push(`complete -c kubelab -n 'not __fish_seen_subcommand_from ${names} help' -a help -d ${single('help for kubelab or one command')}`);
  for (const spec of top) {
    lines.push(`complete -c kubelab -n 'not __fish_seen_subcommand_from ${names} help' -a ${spec.name} -d ${single(spec.summary)}`);
    lines.push(`complete -c kubelab -n '__fish_seen_subcommand_from help' -a ${spec.name} -d ${single(spec.summary)}`);
  }
  for (const { path, spec } of leaves()) {
    let condition: string;
    if (path.length === 0) condition = `not __fish_seen_subcommand_from ${names} help`;
    else if (path.length === 1) condition = `__fish_seen_subcommand_from ${path[0]}`;
    else condition = `__fish_seen_subcommand_from ${path[0]}; and __fish_seen_subcommand_from ${path[1]}`;
    for (const [name, flag] of Object.entries(flagsOf(spec))) {
      const short = flag.short ? ` -s ${flag.short}` : '';
      const value = flag.type === 'boolean' ? '' : flag.choices ? ` -x -a ${single(flag.choices.join(' '))}` : flag.complete ? ` -r -F` : ' -x';
      lines.push(`complete -c kubelab -n ${single(condition)} -l ${name}${short}${value} -d ${single(flag.help)}`);
    }
  }
  for (const spec of top.filter((s) => s.subcommands)) {
    const subs = spec.subcommands!.map((s) => s.name).join(' ');
    for (const sub of spec.subcommands!) {
      lines.push(`complete -c kubelab -n ${single(`__fish_seen_subcommand_from ${spec.name}; and not __fish_seen_subcommand_from ${subs}`)} -a ${sub.name} -d ${single(sub.summary)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const completionCommand = declaredCommand(COMPLETION, async ({ positionals }, context) => {
  const shell = positionals[0];
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(shell ? `No completion for shell "${shell}".` : 'Which shell?', `Use one of: ${SHELLS.map((s) => `kubelab completion ${s}`).join(', ')}`);
  }
  context.stdout.write(completionScript(shell as Shell));
  return ExitCode.ok;
});
