import { topLevelCommands } from '../../../shell-commands.js';
import { toolsCalled } from '../../../needs.js';

/**
 * Killercoda scripts (background, foreground, verify, a step's solution) were written for a
 * throwaway VM where they run as root in /root. Here they run as the learner: what would change the
 * machine itself is withheld (reported with its reason, never run), and the VM's places are mapped
 * into the scenario's own folder in kubelab's workspace, so a file a background leaves in /tmp for
 * its verify script still reaches it without touching the learner's /tmp.
 */

/** The variable the mapped paths are written with; every script run sets it first. */
export const SCENARIO_HOME = 'KILLERCODA_HOME';

/** What killercoda's terminal has that a plain bash lacks: the `k` alias for kubectl. */
const PRELUDE = ['k() { kubectl "$@"; }', 'export -f k 2>/dev/null || true'];

/** Folders of the machine a scenario may not write to, as a learner's kubelab. */
const SYSTEM_DIR = String.raw`\/(?:etc|usr|opt|var|bin|sbin|lib|lib64|srv|boot|home|mnt|proc|sys|run)(?:\/|\s|$)`;
const WORD_START = String.raw`(?:^|[;&|(\x60]|\$\(|\b(?:then|else|do|if)\s)\s*(?:sudo\s+)?`;

const MACHINE_CHANGES: [RegExp, string][] = [
  [new RegExp(`${WORD_START}(?:apt-get|apt|yum|dnf|apk|zypper|snap|brew)\\s+[^\\n]*\\b(?:install|update|upgrade|add|remove|purge)\\b`, 'm'), 'installs packages on the machine'],
  [new RegExp(`${WORD_START}(?:pip3?|gem|npm)\\s+install\\b[^\\n]*`, 'm'), 'installs packages on the machine'],
  [new RegExp(`${WORD_START}(?:systemctl|service|journalctl)\\s`, 'm'), 'manages the machine\'s services (systemctl)'],
  [new RegExp(`${WORD_START}(?:ssh|scp|sshpass)\\s`, 'm'), 'logs into another node (ssh): the nodes here are simulated'],
  [new RegExp(`${WORD_START}(?:crictl|ctr|docker|podman|nerdctl|kubeadm|kubelet|containerd|etcdctl|etcdutl)(?=\\s|$)`, 'm'), 'acts on a node\'s container runtime or kubeadm, which this cluster does not have'],
  [new RegExp(`${WORD_START}(?:useradd|usermod|userdel|groupadd|passwd|mount|umount|swapoff|modprobe|sysctl|iptables|ip6tables|reboot|shutdown|hostnamectl|timedatectl|update-alternatives)(?=\\s|$)`, 'm'), 'changes the machine\'s configuration'],
  [/\bsudo\s/m, 'runs as root (sudo)'],
  [/\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b/m, 'runs a downloaded installer'],
  [new RegExp(`(?:>>?|\\btee\\s+(?:-a\\s+)?)\\s*${SYSTEM_DIR}`, 'm'), 'writes outside the workspace'],
  [new RegExp(`${WORD_START}(?:cp|mv|mkdir|rm|ln|chmod|chown|install|touch|sed\\s+-i|unzip|tar)\\b[^\\n;&|]*\\s${SYSTEM_DIR}`, 'm'), 'writes outside the workspace'],
];

export interface WithheldCommand {
  /** 1-based line in the script. */
  line: number;
  command: string;
  reason: string;
}

export interface ReviewedScript {
  /** The script as it runs here: withheld commands replaced by a no-op that says why. */
  code: string;
  withheld: WithheldCommand[];
}

/** A path as a shell word. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Why this command would change the machine itself, or undefined when it is safe to run as the learner. */
export function machineChange(command: string): string | undefined {
  const text = command.replace(/^\s*#.*$/gm, '');
  // Most commands name none of these words: one cheap look first (a collection has thousands).
  if (!QUICK_LOOK.test(text)) return undefined;
  return MACHINE_CHANGES.find(([pattern]) => pattern.test(text))?.[1];
}

const QUICK_LOOK = /apt|yum|dnf|apk|zypper|snap|brew|pip|gem|npm|systemctl|service|journalctl|ssh|scp|crictl|ctr\b|docker|podman|nerdctl|kubeadm|kubelet|containerd|etcd|user|group|passwd|mount|swapoff|modprobe|sysctl|iptables|reboot|shutdown|ctl\b|alternatives|sudo|\|\s*(?:sudo\s+)?(?:ba|z)?sh\b|\/(?:etc|usr|opt|var|bin|sbin|lib|srv|boot|home|mnt|proc|sys|run)\b/;

/**
 * Reads a script command by command (a compound `if … fi` or a heredoc is one): each that would
 * change the machine is withheld whole, so nothing half of it runs.
 */
export function reviewScript(script: string): ReviewedScript {
  const withheld: WithheldCommand[] = [];
  let searchFrom = 0;
  const kept: string[] = [];
  for (const command of topLevelCommands(script)) {
    const at = script.indexOf(command.split('\n')[0], searchFrom);
    if (at >= 0) searchFrom = at + 1;
    const line = at >= 0 ? script.slice(0, at).split('\n').length : 1;
    const reason = machineChange(command);
    if (reason) {
      withheld.push({ line, command: command.split('\n')[0].slice(0, 120), reason });
      kept.push(`: ${shellQuote(`kubelab did not run line ${line}: ${reason}`)}`);
    } else kept.push(command);
  }
  return { code: kept.join('\n'), withheld };
}

/**
 * The VM's places in the scenario's home: `/root` and `~` (where killercoda runs everything and
 * copies assets) and `/tmp` (where backgrounds leave notes for verify scripts).
 */
export function mapScenarioPaths(code: string, home = `\${${SCENARIO_HOME}}`): string {
  return code
    .replace(/(?<![\w/.$-])\/root(?=\/|[\s"';)|&]|$)/gm, home)
    .replace(/(?<![\w/.$-])\/tmp(?=\/|[\s"';)|&]|$)/gm, `${home}/tmp`)
    .replace(/(?<![\w/.$-])~(?=\/|[\s"';)|&]|$)/gm, home);
}

/** The scenario's home inside the session's workspace, as shell code. */
export const scenarioHomeValue = (lessonId: string): string => `"$KUBELAB_WORKSPACE/killercoda/${lessonId}"`;

/** Shell code that goes to the scenario's home, where killercoda's terminal starts (/root). */
export const enterHome = (lessonId: string): string => `mkdir -p "$KUBELAB_WORKSPACE/killercoda/${lessonId}" && cd "$KUBELAB_WORKSPACE/killercoda/${lessonId}"`;

/**
 * A learner's command as it runs here: its paths mapped into the scenario's home, killercoda's `k`
 * spelled out (a block runs in kubelab's shell, which has no such alias).
 */
export function learnerCommand(code: string, lessonId: string): string {
  return mapScenarioPaths(code, `$KUBELAB_WORKSPACE/killercoda/${lessonId}`).replace(/(^|[;&|(]\s*|\$\(\s*)k(?=\s)/gm, '$1kubectl');
}

/**
 * A script ready to run with bash as the learner: the home (a shell expression) set and created,
 * killercoda's `k`, then the script's own commands, reviewed and mapped.
 */
export function scenarioScript(script: string, home: string): ReviewedScript {
  const reviewed = reviewScript(script);
  const code = [`${SCENARIO_HOME}=${home}`, `mkdir -p "$${SCENARIO_HOME}/tmp" && cd "$${SCENARIO_HOME}"`, ...PRELUDE, mapScenarioPaths(reviewed.code)].join('\n');
  return { code, withheld: reviewed.withheld };
}

/** Tools a scenario's scripts call (jq, yq, helm, curl…), `k` counting as kubectl. */
export function scenarioTools(script: string): string[] {
  const tools = new Set(toolsCalled(script));
  if (/(?:^|[;&|(\x60]|\$\()\s*k\s/m.test(script)) tools.add('kubectl');
  return [...tools];
}

/** The lines a verify script's message is made of: its last ✅/❌ line, else its last line. */
export function verdictLine(lines: readonly string[]): string | undefined {
  const marked = [...lines].reverse().find((l) => /[✅❌✔✗✘]/u.test(l));
  return (marked ?? [...lines].reverse().find((l) => l.trim()))?.trim().slice(0, 300);
}
