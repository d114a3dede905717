import type { BlockNeed, ProviderName } from './types.js';

/**
 * What a command needs beyond a Kubernetes API server, read from the command itself rather than
 * from a hand-kept list of pages: a page that calls AWS cannot run on a laptop cluster, and on
 * kwok's simulated nodes no container runs, so nothing can be exec'd into, logged or reached.
 */

// A command word: at the start of a line, after ; & | ( ` `$(` or a shell keyword (if, then, do, !…),
// optionally behind variable assignments.
const COMMAND_START = String.raw`(?:^|[;&|(\x60]|\$\(|\b(?:if|then|else|elif|do|while|until|time)\s|!\s)\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*`;

const AWS_COMMANDS: [RegExp, string][] = [
  [new RegExp(`${COMMAND_START}(aws|eksctl|terraform|awscurl)(?=\\s|$)`, 'm'), 'calls AWS'],
];

const NODE_COMMANDS: RegExp[] = [
  new RegExp(`${COMMAND_START}kubectl\\s+(?:[^\\n;&|]*?\\s)?(exec|logs|port-forward|attach|cp|debug|top)(?=\\s|$)`, 'm'),
];

const JOB_POD_RUNNING = /kubectl\s+wait\b(?=[^\n]*phase\}'?\s*=\s*'?Running)(?=[^\n]*job-name=)/;

// HTTP to something the cluster serves: curl/wget whose target is not a literal internet URL
// (a download from github.com needs the internet, not a node; `curl $LB_HOST/` needs a node).
const HTTP_COMMAND = new RegExp(`${COMMAND_START}(curl|wget)(?=\\s|$)([^\\n;&|]*)`, 'm');
const LITERAL_INTERNET_URL = /\shttps?:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+[^\s$]*(\s|$)/i;

/** The first need of a command, if any: AWS first, since it also rules out kind. */
export function commandNeeds(command: string): BlockNeed | undefined {
  for (const [pattern, what] of AWS_COMMANDS) {
    const match = pattern.exec(command);
    if (match) return { kind: 'aws', reason: `needs AWS: ${what} (${match[1]})` };
  }
  for (const pattern of NODE_COMMANDS) {
    const match = pattern.exec(command);
    if (match) {
      return { kind: 'node', reason: `needs a real node (a running container): kubectl ${match[1]}` };
    }
  }
  // A Job's pod on simulated nodes succeeds the moment it starts: waiting to see it Running needs a real one.
  if (JOB_POD_RUNNING.test(command)) return { kind: 'node', reason: 'needs a real node (a running container): waits for a Job\'s pod to be Running' };
  const http = HTTP_COMMAND.exec(command);
  if (http && !LITERAL_INTERNET_URL.test(`${http[2]} `)) {
    return { kind: 'node', reason: `needs a real node (a running container): ${http[1]} to a pod or load balancer` };
  }
  return undefined;
}

/**
 * Whether a provider has what a block needs. local: an API server and simulated nodes only;
 * kind: real containers, no AWS; eks: both; existing: trusted (it may well be EKS), unless its
 * nodes show it is simulated (`simulated`, judged from the nodes by the connection).
 */
export function providerLacks(need: BlockNeed | undefined, provider: ProviderName, simulated = provider === 'local'): boolean {
  if (!need) return false;
  if (need.kind === 'aws') return provider === 'local' || provider === 'kind';
  return simulated;
}

/** Command-line tools a page's commands call, from a known set: named before a lesson starts when missing. */
const KNOWN_TOOLS = ['kubectl', 'helm', 'jq', 'yq', 'git', 'curl', 'envsubst', 'aws', 'eksctl', 'terraform'];
const TOOL_PATTERN = new RegExp(`${COMMAND_START}(${KNOWN_TOOLS.join('|')})(?=\\s|$)`, 'gm');

export function toolsCalled(command: string): string[] {
  return [...new Set([...command.matchAll(TOOL_PATTERN)].map((m) => m[1]))];
}

/**
 * Why a block is not run on this provider, or undefined when it runs: shown to the learner and
 * counted in reports, never silently left out.
 */
export function blockSkipReason(block: { run: boolean; skipReason?: string; needs?: BlockNeed }, provider: ProviderName, simulated?: boolean): string | undefined {
  if (!block.run) return block.skipReason ?? 'marked not to run';
  if (providerLacks(block.needs, provider, simulated)) return block.needs!.reason;
  return undefined;
}
