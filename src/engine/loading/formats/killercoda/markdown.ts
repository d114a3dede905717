import { commandNeeds } from '../../../needs.js';
import type { RenderSegment } from '../../../plan.js';
import type { CommandBlock, SourceLocation } from '../../../types.js';
import { parseAllDocuments } from 'yaml';
import { learnerCommand, machineChange, shellQuote } from './scripts.js';
import { topLevelCommands } from '../../../shell-commands.js';

/**
 * A Killercoda (or Katacoda) step page, read into what kubelab needs: the prose with the format's
 * markup taken out, the commands the learner runs (`{{exec}}`), the hints and the solution from
 * `<details>` sections, and the annotations kubelab does not support, for lint.
 */

export const BLOCK_TIMEOUT_SECONDS = 120;

/** A `<details>` summary that reads as the answer rather than a nudge. */
const SOLUTION_SUMMARY = /solution|answer|full command|imperative|declarative|show me|the commands?\b|how to do|resolution|^\s*tip:\s*solution/i;

/** Commands that do not end by themselves, or wait for a person: never run headless. */
const INTERACTIVE: [RegExp, string][] = [
  [/(?:^|[;&|]\s*)(?:k|kubectl)\s+edit\b/m, 'opens an editor (kubectl edit): not run headless'],
  [/(?:^|[;&|]\s*)(?:vim?|nano|emacs|less|more|top|htop)(?:\s|$)/m, 'opens an interactive program: not run headless'],
  [/(?:^|[;&|]\s*)watch\s/m, 'runs until interrupted (watch)'],
  [/\s(?:-w|--watch)(?:\s|$)|\btail\s+-f\b|\blogs\s+[^\n]*-f\b/m, 'runs until interrupted (--watch / -f)'],
  [/(?:^|[;&|]\s*)(?:k|kubectl)\s+(?:exec|run)\b[^\n]*\s-(?:it|ti)\b/m, 'opens an interactive shell in a pod'],
  [/<[a-z][\w-]*>/i, 'has a <placeholder> to fill in'],
];

export interface UnsupportedAnnotation {
  text: string;
  location: SourceLocation;
}

export interface ParsedPage {
  /** The prose, code and commands as Markdown without killercoda markup (the step's `markdown`). */
  markdown: string;
  render: RenderSegment[];
  /** Every block of the page: `{{exec}}` commands (run) and `{{copy}}` ones (shown). */
  blocks: CommandBlock[];
  /** Indexes in `blocks` of the solution's commands. */
  solution: number[];
  hints: string[];
  unsupported: UnsupportedAnnotation[];
  /** The page links to a port on a node ({{TRAFFIC_HOST1_30080}}). */
  usesTraffic: boolean;
}

interface Fence {
  start: number;
  end: number;
  info: string;
  code: string;
  annotation?: string;
}

const FENCE = /^(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)\n\1[ \t]*(\{\{[^}]*\}\})?[ \t]*$/gm;
const INLINE = /`([^`\n]+)`\{\{(exec|execute|copy)([^}]*)\}\}/g;
const DETAILS = /<details>\s*<summary>([\s\S]*?)<\/summary>([\s\S]*?)<\/details>/gi;
/** What reads as a killercoda annotation (`{{exec}}`, `{{TRAFFIC_HOST1_80}}`), not a Go or Helm template (`{{ .Values.x }}`). */
const ANY_ANNOTATION = /\{\{([A-Za-z][\w ]*)\}\}/g;
const KNOWN_ANNOTATION = /^(exec(\s+interrupt)?|execute(\s+(T\d+|interrupt|HOST\d+))*|copy|TRAFFIC_HOST\d+_\d+)$/;

function findFences(text: string): Fence[] {
  return [...text.matchAll(FENCE)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, info: m[2].trim(), code: m[3], annotation: m[4]?.slice(2, -2).trim() }));
}

/**
 * A block's commands with those that cannot run headless (`kubectl edit`, a `<placeholder>`)
 * replaced by a line that says so: a solution mixing them with commands that do still runs those.
 */
function withoutInteractive(code: string): string {
  const commands = topLevelCommands(code);
  if (!commands.some((c) => notRunReason(c))) return code;
  return commands.map((c) => (notRunReason(c) ? `: ${shellQuote(`kubelab did not run: ${c.split('\n')[0].slice(0, 100)} — ${notRunReason(c)}`)}` : c)).join('\n');
}

const CARRY_ON = ": 'killercoda carries on whatever the commands returned'";

/** Why a command of the page is not run here, when it is not: it cannot run headless, or it would change the machine. */
export function notRunReason(code: string): string | undefined {
  return INTERACTIVE.find(([pattern]) => pattern.test(code))?.[1] ?? machineChange(code);
}

/** A manifest kubelab may apply for the learner: YAML whose every document names its apiVersion, kind and name. */
function isWholeManifest(code: string): boolean {
  try {
    const docs = parseAllDocuments(code).filter((d) => d.contents !== null);
    return docs.length > 0 && docs.every((d) => {
      const value = d.toJS() as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
      return d.errors.length === 0 && typeof value?.apiVersion === 'string' && typeof value.kind === 'string' && typeof value.metadata?.name === 'string';
    });
  } catch {
    return false;
  }
}

/** Text of the page a learner reads: inline annotations and traffic links turned into plain Markdown. */
function plainProse(text: string): string {
  return text
    .replace(INLINE, (_m, cmd: string) => `\`${cmd}\``)
    .replace(/\{\{TRAFFIC_HOST\d+_(\d+)\}\}/g, (_m, port: string) => `http://localhost:${port}`)
    .replace(ANY_ANNOTATION, '');
}

/** A highlighted-lines info string (` ```yaml{2,5} `) names its language first. */
const languageOf = (info: string): string => info.replace(/\{[^}]*\}$/, '').split(/\s+/)[0] || '';

/**
 * Reads a page. `locate(offset)` gives a place in the file for lint and blocks; `lessonId` names
 * the scenario's home, where its commands run as they ran in /root.
 */
export function parseScenarioPage(text: string, locate: (offset: number) => SourceLocation, lessonId: string): ParsedPage {
  const page: ParsedPage = { markdown: '', render: [], blocks: [], solution: [], hints: [], unsupported: [], usesTraffic: /\{\{TRAFFIC_HOST/.test(text) };
  // Inside a fence, `{{…}}` is the code's own (a template), except right after the closing fence.
  const fenced = findFences(text).map((f) => [f.start, f.end - (f.annotation ? f.annotation.length + 4 : 0)]);
  for (const match of text.matchAll(ANY_ANNOTATION)) {
    if (fenced.some(([start, end]) => match.index! > start && match.index! < end)) continue;
    if (!KNOWN_ANNOTATION.test(match[1].trim())) page.unsupported.push({ text: match[0], location: locate(match.index!) });
  }
  const addBlock = (code: string, offset: number, runnable: boolean, why?: string): number => {
    // The block is not run when each of its commands is one that cannot run headless.
    const commands = runnable ? topLevelCommands(code.replace(/^\s*\$ /gm, '')) : [];
    const reason = runnable ? (commands.length && commands.every((c) => notRunReason(c)) ? notRunReason(commands[0]) : undefined) : why;
    let source = code.replace(/^\s*\$ /gm, '');
    // As in killercoda's terminal, a command that fails does not stop the ones after it, nor the
    // step: killercoda never judges commands, the verify script judges the step (its output shows the failure).
    if (runnable && !reason) source = `set +e\n${withoutInteractive(source)}\n${CARRY_ON}`;
    const mapped = learnerCommand(source, lessonId);
    const block: CommandBlock = { code: mapped, run: !reason, timeoutSeconds: BLOCK_TIMEOUT_SECONDS, expect: 'success', location: locate(offset), ...(reason && { skipReason: reason }) };
    const needs = commandNeeds(mapped);
    if (needs) block.needs = needs;
    return page.blocks.push(block) - 1;
  };
  /** A region of the page (the page outside `<details>`, or one `<details>` body) into segments. */
  const readRegion = (region: string, base: number, solution: boolean): { segments: RenderSegment[]; markdown: string } => {
    const segments: RenderSegment[] = [];
    const markdown: string[] = [];
    let at = 0;
    const prose = (chunk: string, offset: number) => {
      // Inline `cmd`{{exec}} is a command of the step, in the order the page gives it.
      for (const m of chunk.matchAll(INLINE)) if (m[2] !== 'copy') {
        const index = addBlock(m[1], offset + m.index!, true);
        if (solution) page.solution.push(index);
      }
      const plain = plainProse(chunk).trim();
      if (plain) {
        segments.push({ kind: 'prose', markdown: plain });
        markdown.push(plain);
      }
    };
    // A solution shows a manifest, then applies it by a file name it says to save it as — or
    // leaves applying it to the learner: then kubelab applies it, as the learner would.
    let manifest: string | undefined;
    let manifestAt = 0;
    const applyManifest = () => {
      if (!manifest) return;
      page.solution.push(addBlock(`# kubelab: applies the manifest the solution shows\nkubectl apply -f - <<'KUBELAB_MANIFEST'\n${manifest}\nKUBELAB_MANIFEST`, manifestAt, true));
      manifest = undefined;
    };
    for (const fence of findFences(region)) {
      prose(region.slice(at, fence.start), base + at);
      at = fence.end;
      const language = languageOf(fence.info);
      const annotation = fence.annotation ?? '';
      const exec = /^exec|^execute/.test(annotation);
      const isManifest = /^\s*(apiVersion|kind):/m.test(fence.code);
      // A solution's shell fences are its commands even without {{exec}}: that is how they are written.
      const solutionShell = solution && !annotation && ['', 'bash', 'sh', 'shell', 'plain', 'console'].includes(language) && !isManifest;
      if (solution && isManifest && !exec && isWholeManifest(fence.code)) {
        applyManifest();
        manifest = fence.code;
        manifestAt = base + fence.start;
      }
      if (exec || annotation === 'copy' || solutionShell) {
        const file = manifest && /\s-f\s+(\S+\.ya?ml)\b/.exec(fence.code)?.[1];
        if (!file) applyManifest();
        const code = file && !file.startsWith('http') ? `# kubelab: saves the manifest shown above as ${file} first\ncat > ${file} <<'KUBELAB_MANIFEST'\n${manifest}\nKUBELAB_MANIFEST\n${fence.code}` : fence.code;
        if (file) manifest = undefined;
        const index = addBlock(code, base + fence.start, exec || solutionShell, '{{copy}}: copied into the terminal by the learner, not run');
        if (solution) page.solution.push(index);
        segments.push({ kind: 'commands', blockIndex: index, language: 'bash', code: fence.code });
        markdown.push(`\`\`\`bash\n${fence.code}\n\`\`\``);
      } else {
        segments.push({ kind: 'code', language, code: fence.code });
        markdown.push(`\`\`\`${language}\n${fence.code}\n\`\`\``);
      }
    }
    prose(region.slice(at), base + at);
    applyManifest();
    return { segments, markdown: markdown.join('\n\n') };
  };
  let at = 0;
  const outside: string[] = [];
  const emitOutside = (end: number) => {
    const read = readRegion(text.slice(at, end), at, false);
    page.render.push(...read.segments);
    if (read.markdown) outside.push(read.markdown);
  };
  for (const details of text.matchAll(DETAILS)) {
    emitOutside(details.index!);
    at = details.index! + details[0].length;
    const summary = details[1].replace(/<[^>]+>/g, '').trim();
    const bodyStart = details.index! + details[0].indexOf(details[2]);
    if (SOLUTION_SUMMARY.test(summary)) {
      const read = readRegion(details[2], bodyStart, true);
      page.render.push({ kind: 'label', text: summary, body: read.segments });
    } else {
      const hint = plainProse(details[2]).trim();
      page.hints.push(summary && !/^hints?\s*\d*$/i.test(summary) ? `**${summary}**\n\n${hint}` : hint);
    }
  }
  emitOutside(text.length);
  page.markdown = outside.join('\n\n');
  return page;
}
