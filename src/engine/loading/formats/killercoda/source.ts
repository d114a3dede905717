import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { DiagnosticBag } from '../../../diagnostics.js';
import type { LessonSource, LoadedWorkshop } from '../../../lesson-source.js';
import { locator, slugify } from '../../text.js';
import { commandNeeds } from '../../../needs.js';
import { parseScenarioPage, type ParsedPage } from './markdown.js';
import { enterHome, scenarioTools } from './scripts.js';
import { backendOf, type Backend } from './backends.js';
import { runKillercodaAction } from './actions.js';
import { placeOf, problem, readNamed, type RawPage, type ScenarioContext } from './context.js';
import { formatAction, prepareScenario, scriptBlock, whereOf } from './prepare.js';
import type { StepAction } from '../../../plan.js';
import { blockApplicability } from '../../../standard-plan.js';
import { PROVIDER_NAMES, type CheckSpec, type CommandBlock, type Lesson, type Step, type ToolRequirement, type Workshop } from '../../../types.js';

/**
 * Opens Killercoda scenarios (and Katacoda's, whose keys they grew from) as they are: a folder
 * with index.json is one scenario (a lesson), a folder of such folders a collection (ordered by
 * structure.json when there is one). The rules are in docs/killercoda.md.
 */

const VERIFY_TIMEOUT_SECONDS = 60;
const MINUTES_PER_STEP = 5;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'assets', '.github']);
/** Deep enough for a repository of courses of scenarios, shallow enough to detect in a moment. */
const MAX_DEPTH = 3;

const KNOWN_TOP_KEYS = new Set(['title', 'description', 'details', 'backend', 'interface', 'environment', 'difficulty', 'time', 'private', 'type', 'icon', 'pathwayTitle', 'files', 'id']);
const KNOWN_PAGE_KEYS = new Set(['title', 'text', 'background', 'foreground', 'verify', 'courseData', 'code', 'answer']);
const KNOWN_DETAIL_KEYS = new Set(['intro', 'steps', 'finish', 'assets', 'assets_ignored']);

export const killercodaSource: LessonSource = {
  format: 'killercoda',
  description: 'Killercoda/Katacoda scenarios (a folder with index.json, or a folder of them)',
  detect: (path) => isKillercodaContent(path),
  load: (path) => loadKillercoda(path),
  lessonFiles: (lesson) => scenarioFiles(lesson.dir),
  actions: { script: runKillercodaAction },
};

/** A scenario's index.json: killercoda's own keys, not any index.json. Its text is kept in `read`, to be read once. */
function isScenarioDir(dir: string, read?: Map<string, string>): boolean {
  const file = join(dir, 'index.json');
  if (!existsSync(file)) return false;
  try {
    const text = readFileSync(file, 'utf8');
    read?.set(dir, text);
    return /"(details|courseData|backend)"\s*:/.test(text);
  } catch {
    return false;
  }
}

/** Scenario folders under `dir`, by path, a scenario's own subfolders not searched. */
function findScenarios(dir: string, depth = 0, read?: Map<string, string>): string[] {
  if (isScenarioDir(dir, read)) return [dir];
  if (depth >= MAX_DEPTH) return [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !SKIPPED_FOLDERS.has(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort()
    .flatMap((name) => findScenarios(join(dir, name), depth + 1, read));
}

export function isKillercodaContent(path: string): boolean {
  const root = resolve(path);
  if (!existsSync(root) || !statSync(root).isDirectory()) return false;
  if (existsSync(join(root, 'workshop.yaml'))) return false;
  return hasScenario(root, 0);
}

/** Whether any scenario is there: detection stops at the first (every source is asked in turn). */
function hasScenario(dir: string, depth: number): boolean {
  if (isScenarioDir(dir)) return true;
  if (depth >= MAX_DEPTH) return false;
  try {
    return readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory() && !SKIPPED_FOLDERS.has(e.name) && !e.name.startsWith('.') && hasScenario(join(dir, e.name), depth + 1));
  } catch {
    return false;
  }
}

/** Every file a scenario reads, so watch re-runs it when one changes. */
function scenarioFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

function readPage(ctx: ScenarioContext, page: RawPage, what: string): ParsedPage | undefined {
  const text = readNamed(ctx, page.text, 'text', true);
  if (!text) {
    if (page.text === undefined) problem(ctx, placeOf(ctx, what), `${what} has no "text" (its Markdown file)`);
    return undefined;
  }
  const parsed = parseScenarioPage(text.text, locator(text.text, text.path), ctx.lessonId);
  for (const u of parsed.unsupported) ctx.bag.warning(u.location, `${u.text}: an annotation kubelab does not support (shown as text)`);
  return parsed;
}

/** The author's headless solution: a `solution.sh` beside the verify script, which killercoda never reads. */
function solutionScript(ctx: ScenarioContext, verify: string | undefined): { path: string; text: string } | undefined {
  if (!verify) return undefined;
  const name = join(dirname(verify), basename(verify).replace(/verify/i, 'solution'));
  if (name === verify || !existsSync(name)) return undefined;
  return { path: name, text: readFileSync(name, 'utf8') };
}

function buildStep(ctx: ScenarioContext, raw: RawPage, index: number, tools: Set<string>): Step {
  const title = typeof raw.title === 'string' && raw.title ? raw.title : `Step ${index + 1}`;
  const page = readPage(ctx, raw, `step ${index + 1}`);
  const location = typeof raw.text === 'string' ? placeOf(ctx, raw.text) : ctx.locate(0);
  // The scenario's preparation is the lesson's plan (prepare); a step's scripts are its own format actions.
  const blocks: CommandBlock[] = [];
  const actions: StepAction[] = [];
  const background = readNamed(ctx, raw.background ?? raw.courseData, 'background', true);
  if (background) {
    const { block } = scriptBlock(ctx, background, 'background script', false);
    actions.push(formatAction('script', `background script (step ${index + 1})`, block.location, { code: block.code }, whereOf(block)));
    for (const t of scenarioTools(background.text)) tools.add(t);
  }
  const foreground = readNamed(ctx, raw.foreground ?? raw.code, 'foreground', true);
  if (foreground) {
    // The learner's terminal ran it on killercoda; here it runs before the step's commands, as the learner.
    const { block } = scriptBlock(ctx, foreground, 'foreground script', false);
    actions.push(formatAction('script', `foreground script (step ${index + 1})`, block.location, { code: block.code }, whereOf(block)));
  }
  const verifyFile = readNamed(ctx, raw.verify, 'verify', false);
  const solution = solutionScript(ctx, verifyFile?.path);
  for (const block of page?.blocks ?? []) {
    const inSolution = page!.solution.includes(page!.blocks.indexOf(block));
    const b = { ...block };
    if (solution && inSolution && b.run) {
      b.run = false;
      b.skipReason = `${relative(ctx.dir, solution.path)} runs instead`;
    }
    blocks.push(b);
    if (b.run) for (const t of scenarioTools(b.code)) tools.add(t);
  }
  // The step's first command starts in the scenario's home, where killercoda's terminal is.
  const entry = blocks.findIndex((b) => b.run);
  if (entry >= 0) blocks[entry] = { ...blocks[entry], code: `${enterHome(ctx.lessonId)}\n${blocks[entry].code}` };
  // Where each block runs is decided here, once: a {{copy}} block or a left-out command is shown, never run.
  blocks.forEach((block, blockIndex) => actions.push({ kind: 'block', blockIndex, where: blockApplicability(block) }));
  if (solution) {
    const { block } = scriptBlock(ctx, solution, 'solution script', true);
    actions.push({ kind: 'block', blockIndex: blocks.push(block) - 1, where: blockApplicability(block) });
    for (const t of scenarioTools(solution.text)) tools.add(t);
  }
  const checks: CheckSpec[] = [];
  if (verifyFile) {
    for (const t of scenarioTools(verifyFile.text)) tools.add(t);
    const need = commandNeeds(verifyFile.text.replace(/(^|[;&|]\s*)k(?=\s)/gm, '$1kubectl'));
    checks.push({
      id: 'verify',
      checker: 'script',
      args: { file: relative(ctx.dir, verifyFile.path), home: `killercoda/${ctx.lessonId}`, ...(need && { needs: need.reason }) },
      timeoutSeconds: VERIFY_TIMEOUT_SECONDS,
      location: placeOf(ctx, raw.verify as string),
    });
  } else if (raw.verify === undefined && page?.blocks.some((b) => b.run)) {
    ctx.bag.warning(location, `step ${index + 1} has no "verify": kubelab cannot tell whether the learner did it`);
  }
  const render = page?.render ?? [];
  const solutionIndexes = page?.solution ?? [];
  return {
    id: slugify(title) || `step-${index + 1}`,
    title,
    index,
    markdown: page?.markdown ?? '',
    blocks,
    checks,
    hints: page?.hints ?? [],
    challenge: solutionIndexes.length > 0 || Boolean(solution),
    ...(checks.length === 0 && { unchecked: raw.verify === undefined ? 'the scenario has no verify script for this step' : 'its verify script was not found' }),
    location,
    plan: { actions, checks: checks.map((check) => ({ check, where: {} })) },
    render,
  };
}

/** Step ids are unique within a lesson: a repeated title gets a suffix. */
function uniqueIds(steps: Step[]): void {
  const seen = new Map<string, number>();
  for (const step of steps) {
    const n = (seen.get(step.id) ?? 0) + 1;
    seen.set(step.id, n);
    if (n > 1) step.id = `${step.id}-${n}`;
  }
}

function lintKeys(ctx: ScenarioContext, object: Record<string, unknown>, known: Set<string>, where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key)) ctx.bag.warning(placeOf(ctx, key), `${where}: unknown key "${key}" (killercoda ignores it; kubelab too)`);
  }
}

/** One scenario folder as a lesson; undefined when its index.json cannot be read at all. */
export function loadScenario(dir: string, lessonId: string, bag: DiagnosticBag, options: { text?: string; inCollection?: boolean } = {}): Lesson | undefined {
  const file = join(dir, 'index.json');
  const raw = options.text ?? readFileSync(file, 'utf8');
  const ctx: ScenarioContext = { dir, realDir: realpathSync.native(dir), file, raw, lessonId, bag, locate: locator(raw, file), inCollection: options.inCollection ?? false, broken: [] };
  let index: Record<string, unknown>;
  try {
    index = JSON.parse(raw) as Record<string, unknown>;
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    problem(ctx, ctx.locate(position ? Number(position[1]) : 0), `index.json is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  lintKeys(ctx, index, KNOWN_TOP_KEYS, 'index.json');
  const details = (index.details && typeof index.details === 'object' ? index.details : {}) as Record<string, unknown>;
  if (!index.details) problem(ctx, ctx.locate(0), 'index.json has no "details" (intro, steps, finish)');
  lintKeys(ctx, details, KNOWN_DETAIL_KEYS, 'details');
  const rawSteps = Array.isArray(details.steps) ? (details.steps as RawPage[]) : [];
  if (!Array.isArray(details.steps)) problem(ctx, placeOf(ctx, 'details'), '"details.steps" must be a list of steps');
  rawSteps.forEach((s, i) => lintKeys(ctx, s as Record<string, unknown>, KNOWN_PAGE_KEYS, `step ${i + 1}`));
  const backend = backendOf((index.backend as { imageid?: unknown } | undefined)?.imageid, (message) => bag.warning(placeOf(ctx, 'imageid'), message));
  const intro = (details.intro ?? {}) as RawPage;
  const finish = (details.finish ?? {}) as RawPage;
  const introPage = intro.text ? readPage(ctx, intro, 'intro') : undefined;
  const finishPage = finish.text ? readPage(ctx, finish, 'finish') : undefined;
  const preparation = prepareScenario(ctx, details, backend, intro);
  const tools = new Set<string>();
  const steps = rawSteps.map((s, i) => buildStep(ctx, s, i, tools));
  uniqueIds(steps);
  const last = steps.at(-1);
  if (last && finishPage?.markdown) {
    // Killercoda shows the finish page after the last step's check: here, at the end of that step.
    last.markdown = `${last.markdown}\n\n## ${typeof finish.title === 'string' ? finish.title : 'Finish'}\n\n${finishPage.markdown}`.trim();
    last.render = [...(last.render ?? []), { kind: 'label', text: typeof finish.title === 'string' ? finish.title : 'Finish', body: [{ kind: 'prose', markdown: finishPage.markdown }] }];
  }
  const finishBackground = readNamed(ctx, finish.background ?? finish.courseData, 'background', true);
  if (backend.cluster) tools.add('kubectl');
  const toolList: ToolRequirement[] = [...tools].sort().map((name) => ({ name }));
  const title = typeof index.title === 'string' && index.title ? index.title : basename(dir);
  return {
    id: lessonId,
    title,
    minutes: Math.max(MINUTES_PER_STEP, steps.length * MINUTES_PER_STEP),
    requires: [],
    tools: toolList,
    // A broken scenario is listed, with why, and runs nowhere.
    providers: ctx.broken.length || steps.length === 0 ? [] : [...PROVIDER_NAMES],
    ...((ctx.broken.length || steps.length === 0) && { unavailableReason: ctx.broken.length ? `the scenario is broken: ${ctx.broken[0]}` : 'the scenario has no steps' }),
    dir,
    file,
    intro: [typeof index.description === 'string' ? index.description : '', introPage?.markdown ?? ''].filter(Boolean).join('\n\n'),
    steps,
    plan: {
      prepare: preparation.prepare,
      enter: [],
      finish: finishBackground ? [formatAction('script', 'finish background script', { file: finishBackground.path, line: 1, column: 1 }, { code: scriptBlock(ctx, finishBackground, 'finish background script', false).block.code })] : [],
    },
  };
}

/** The order of a collection: structure.json's items first, then every other scenario by path. */
function orderScenarios(root: string, bag: DiagnosticBag, read: Map<string, string>): string[] {
  const found = findScenarios(root, 0, read);
  const structure = join(root, 'structure.json');
  if (!existsSync(structure)) return found;
  let items: { path?: unknown }[] = [];
  const raw = readFileSync(structure, 'utf8');
  try {
    items = ((JSON.parse(raw) as { items?: { path?: unknown }[] }).items ?? []) as { path?: unknown }[];
  } catch (error) {
    bag.error({ file: structure, line: 1, column: 1 }, `structure.json is not valid JSON: ${(error as Error).message}`);
    return found;
  }
  const locate = locator(raw, structure);
  const listed: string[] = [];
  for (const item of items) {
    if (typeof item.path !== 'string') continue;
    const dir = resolve(root, item.path);
    if (!found.includes(dir)) {
      bag.warning(locate(Math.max(0, raw.indexOf(JSON.stringify(item.path)))), `structure.json lists ${item.path}, which is not a scenario folder (no index.json)`);
      continue;
    }
    listed.push(dir);
  }
  return [...listed, ...found.filter((d) => !listed.includes(d))];
}

/** Reads a scenario or a collection. Never throws for bad content: it is all in diagnostics. */
export async function loadKillercoda(path: string): Promise<LoadedWorkshop> {
  const root = resolve(path);
  const bag = new DiagnosticBag();
  const read = new Map<string, string>();
  const single = isScenarioDir(root, read);
  const dirs = single ? [root] : orderScenarios(root, bag, read);
  const lessons: Lesson[] = [];
  const ids = new Set<string>();
  for (const dir of dirs) {
    let id = slugify(single ? basename(dir) : relative(root, dir).split(sep).join('-')) || 'scenario';
    for (let n = 2; ids.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`;
    ids.add(id);
    const lesson = loadScenario(dir, id, bag, { text: read.get(dir), inCollection: !single });
    if (lesson) lessons.push(lesson);
  }
  let title = basename(root);
  let description = `Killercoda scenarios from ${root}`;
  if (single && lessons[0]) {
    title = lessons[0].title;
  } else if (existsSync(join(root, 'structure.json'))) {
    try {
      const s = JSON.parse(readFileSync(join(root, 'structure.json'), 'utf8')) as { title?: unknown; description?: unknown };
      if (typeof s.title === 'string') title = s.title;
      if (typeof s.description === 'string') description = s.description;
    } catch {
      // Reported by orderScenarios.
    }
  }
  const workshop: Workshop = { id: slugify(basename(root)) || 'killercoda', title, description, dir: root, variables: {}, providers: [...PROVIDER_NAMES], lessons, format: 'killercoda' };
  return { workshop, diagnostics: bag };
}

export type { Backend };
