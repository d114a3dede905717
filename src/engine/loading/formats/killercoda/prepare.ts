import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { nodesManifest, type Backend } from './backends.js';
import { placeOf, problem, readNamed, type RawPage, type ScenarioContext } from './context.js';
import { scenarioHomeValue, scenarioScript, shellQuote } from './scripts.js';
import { commandNeeds } from '../../../needs.js';
import type { Applicability, FormatAction, LessonAction } from '../../../plan.js';
import type { CommandBlock, SourceLocation } from '../../../types.js';

/**
 * What runs around a Killercoda scenario's pages: its scripts (background, foreground, an author's
 * solution), reviewed into shell code, the nodes its backend has, and its assets — each a format
 * action of the plan, run by the source's `script` runner.
 */

const SCRIPT_TIMEOUT_SECONDS = 300;
export const HEREDOC_END = 'KUBELAB_KILLERCODA_SCRIPT_END';

/** A script as the shell code its action runs: through bash, withheld commands reported, never fatal for a background. */
export function scriptBlock(ctx: ScenarioContext, script: { path: string; text: string }, role: string, fatal: boolean, extra: string[] = []): { block: CommandBlock; withheld: string[] } {
  const reviewed = scenarioScript(script.text, scenarioHomeValue(ctx.lessonId));
  const withheld = reviewed.withheld.map((w) => `${relative(ctx.dir, script.path)}:${w.line}: ${w.command} — ${w.reason}`);
  const body = [...extra, reviewed.code].join('\n');
  const note = withheld.map((w) => `echo ${shellQuote(`kubelab did not run ${w}`)}`);
  const tail = fatal ? '' : ` || echo "kubelab: the ${role} exited with $? (killercoda carries on too)"`;
  const code = [...note, `bash <<'${HEREDOC_END}'${tail}`, body, HEREDOC_END].join('\n');
  const need = commandNeeds(script.text.replace(/(^|[;&|]\s*)k(?=\s)/gm, '$1kubectl'));
  const block: CommandBlock = { code, run: true, timeoutSeconds: SCRIPT_TIMEOUT_SECONDS, expect: 'success', location: { file: script.path, line: 1, column: 1 }, ...(need && { needs: need }) };
  return { block, withheld };
}

export const formatAction = (type: string, label: string, location: SourceLocation, data: { code: string }, where: Applicability = {}): FormatAction => ({ kind: 'format', type, label, where, location, data });

/** Where a script block applies, for the plan: what it needs, as the block says. */
export const whereOf = (block: CommandBlock): Applicability => ({ ...(block.needs && { needs: block.needs }), ...(block.providers && { providers: block.providers }) });

export interface LessonPreparation {
  prepare: LessonAction[];
}

/** What killercoda does before the intro: the nodes the backend has, the assets, the intro's background. */
export function prepareScenario(ctx: ScenarioContext, details: Record<string, unknown>, backend: Backend, intro: RawPage): LessonPreparation {
  const prepare: LessonAction[] = [];
  const at = ctx.locate(0);
  if (backend.nodes.length) {
    // kwok's simulated nodes are named by kwokctl: the names a scenario expects are added beside them.
    const code = `kubectl apply -f - <<'${HEREDOC_END}'\n${nodesManifest(backend)}\n${HEREDOC_END}`;
    prepare.push(formatAction('script', `nodes ${backend.nodes.map((n) => n.name).join(', ')}`, at, { code }, { providers: ['local'] }));
  }
  const assets = assetsScript(ctx, details.assets);
  if (assets) {
    prepare.push(formatAction('script', 'assets', assets.location, { code: assets.code }));
  }
  const background = readNamed(ctx, intro.background ?? intro.courseData, 'background', true);
  if (background) {
    const { block } = scriptBlock(ctx, background, 'intro background script', false);
    prepare.push(formatAction('script', 'intro background script', block.location, { code: block.code }, whereOf(block)));
  }
  const foreground = readNamed(ctx, intro.foreground ?? intro.code, 'foreground', true);
  if (foreground) {
    const { block } = scriptBlock(ctx, foreground, 'intro foreground script', false);
    prepare.push(formatAction('script', 'intro foreground script', block.location, { code: block.code }, whereOf(block)));
  }
  return { prepare };
}

/** `assets.host01: [{file, target, chmod}]` copied from ./assets into the scenario's home (its /root). */
function assetsScript(ctx: ScenarioContext, assets: unknown): CommandBlock | undefined {
  if (!assets || typeof assets !== 'object') return undefined;
  const lines: string[] = [];
  for (const [host, list] of Object.entries(assets as Record<string, unknown>)) {
    if (!Array.isArray(list)) {
      problem(ctx, placeOf(ctx, host), `assets.${host} must be a list of {file, target}`);
      continue;
    }
    if (host !== 'host01') ctx.bag.warning(placeOf(ctx, host), `assets.${host}: kubelab has one machine; these files go to the same place as host01's`);
    for (const item of list as { file?: unknown; target?: unknown; chmod?: unknown }[]) {
      if (typeof item?.file !== 'string' || typeof item.target !== 'string') {
        problem(ctx, placeOf(ctx, 'assets'), 'each asset needs "file" and "target" (strings)');
        continue;
      }
      const matches = globAssets(join(ctx.dir, 'assets'), item.file);
      if (matches.length === 0) problem(ctx, placeOf(ctx, item.file), `asset ${item.file} matches no file in assets/`);
      const target = item.target.startsWith('/') || item.target.startsWith('~') ? item.target : `/root/${item.target}`;
      lines.push(`mkdir -p ${target}`, `cp -r "$KILLERCODA_ASSETS"/${item.file.replace(/[^\w*?./[\]-]/g, '')} ${target}/`);
      if (typeof item.chmod === 'string' && /^[+-]?[0-7rwxXst,+=ugoa-]+$/.test(item.chmod)) lines.push(`chmod -R ${item.chmod} ${target}/${item.file.includes('/') || /[*?[]/.test(item.file) ? '' : item.file}`);
    }
  }
  if (!lines.length) return undefined;
  const reviewed = scenarioScript(lines.join('\n'), scenarioHomeValue(ctx.lessonId));
  const note = reviewed.withheld.map((w) => `echo ${shellQuote(`kubelab did not copy: ${w.command} — ${w.reason}`)}`);
  const code = [...note, `KILLERCODA_ASSETS=${shellQuote(join(ctx.dir, 'assets'))}`, reviewed.code].join('\n');
  return { code: `(\n${code}\n)`, run: true, timeoutSeconds: 60, expect: 'success', location: placeOf(ctx, 'assets') };
}

/** Files of assets/ a killercoda `file` (a name or a glob) names. */
function globAssets(dir: string, pattern: string): string[] {
  if (!existsSync(dir)) return [];
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+^${}()|[\]\\?]/g, '\\$&')).join('[^/]*')}$`);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      const rel = relative(dir, path).split(sep).join('/');
      if (re.test(rel)) out.push(path);
      if (e.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

