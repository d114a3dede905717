/**
 * Secrets a block sets while it runs (`export TOKEN=$(kubectl create token …)`, then `echo $TOKEN`
 * in the same block) must be known before the line that prints them is shown. The block's bash
 * reports every secret-named variable before each command it runs (a DEBUG trap, no fork), to a
 * file the runner reads before redacting each line: the report is written before the command
 * runs, so it is always there before that command's output.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Every variable name, by first character: `${!A*}` expands in the shell itself, with no subshell. */
const ALL_NAMES = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'].map((c) => `\${!${c}*}`).join(' ');
/** Names whose values are secrets; the redactor's own list (redact.ts) has the same words. */
const SECRET_WORDS = ['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PRIVATE_KEY', 'ACCESS_KEY', 'CREDENTIAL'];
const SECRET_NAME = new RegExp(SECRET_WORDS.join('|'), 'i');

/**
 * The variables worth watching in a block: secret-named ones it mentions or already has. Reading
 * every variable before every command costs about 2 ms in bash, too much for a loop; a name the
 * block does not spell out comes from `source`/`.`/`eval`, after which the shell looks at all names.
 */
export function secretNames(code: string, env: Record<string, string>): string[] {
  const named = [...code.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]);
  return [...new Set([...named, ...Object.keys(env)])].filter((n) => SECRET_NAME.test(n) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)).sort();
}

/**
 * Bash for the top of a block, before `set -a`. `local -` keeps the `set +a +e` inside the
 * function, so its own variables are neither exported into the lesson's environment nor fatal.
 */
export function learnSecretsScript(fileVariable: string, names: readonly string[]): string {
  const pattern = SECRET_WORDS.map((w) => `*${w}*`).join('|');
  return [
    '__kubelab_learn() {',
    '  local - __n __sig=; set +a +e',
    '  case "$__kubelab_last" in "source "*|". "*|"eval "*)',
    '    __kubelab_names=()',
    `    for __n in ${ALL_NAMES}; do case "\${__n^^}" in ${pattern}) __kubelab_names+=("$__n") ;; esac; done ;;`,
    '  esac',
    '  __kubelab_last=$BASH_COMMAND',
    '  for __n in "${__kubelab_names[@]}"; do __sig+="${__n}=${!__n-}"$\'\\001\'; done',
    '  [[ "$__sig" == "${__kubelab_learned-}" ]] && return 0',
    '  __kubelab_learned=$__sig',
    `  for __n in "\${__kubelab_names[@]}"; do [[ -n "\${!__n-}" ]] && printf '%s=%s\\0' "$__n" "\${!__n}" >> "$${fileVariable}" 2>/dev/null; done`,
    '  return 0',
    '}',
    `__kubelab_names=(${names.join(' ')})`,
    '__kubelab_last=',
    'trap __kubelab_learn DEBUG',
  ].join('\n');
}

/** Reads what the block reported since the last look; cheap when nothing changed (one fstat). */
export class ShellSecretFeed {
  private fd?: number;
  private offset = 0;
  private pending = '';

  constructor(private readonly file: string) {}

  /** New `NAME=value` pairs since the last call. */
  take(): Record<string, string> {
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.file, 'r');
      } catch {
        return {}; // Not written yet: the block has set no secret.
      }
    }
    const size = fstatSync(this.fd).size;
    if (size <= this.offset) return {};
    const buffer = Buffer.alloc(size - this.offset);
    const read = readSync(this.fd, buffer, 0, buffer.length, this.offset);
    this.offset += read;
    const records = (this.pending + buffer.subarray(0, read).toString('utf8')).split('\0');
    this.pending = records.pop() ?? '';
    const found: Record<string, string> = {};
    for (const record of records) {
      const eq = record.indexOf('=');
      if (eq > 0) found[record.slice(0, eq)] = record.slice(eq + 1);
    }
    return found;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
