/**
 * The plan of a step made of command blocks, hooks, setup scripts and checks: what kubelab's own
 * format and eks-workshop-v2's pages both are. A format with actions of its own builds its plan itself.
 */
import { appliesTo, placement, type Applicability, type LessonPlan, type RenderSegment, type StepAction, type StepPlan, type Target } from './plan.js';
import type { CheckSpec, CommandBlock, Lesson, Step } from './types.js';

/** Where a command block applies: its providers, whether it is ever run, and what it needs. */
export function blockApplicability(block: CommandBlock): Applicability {
  return {
    ...(block.providers && { providers: block.providers }),
    ...(!block.run && { never: block.skipReason ?? 'marked not to run' }),
    ...(block.needs && { needs: block.needs }),
  };
}

export function standardStepPlan(step: Step): StepPlan {
  const actions: StepAction[] = [];
  if (step.setup) actions.push({ kind: 'setup', script: step.setup, where: {}, location: step.location });
  step.blocks.forEach((block, blockIndex) => {
    const where = blockApplicability(block);
    if (block.hook) actions.push({ kind: 'hook', phase: 'before', blockIndex, hook: block.hook, where });
    actions.push({ kind: 'block', blockIndex, where });
    if (block.hook) actions.push({ kind: 'hook', phase: 'after', blockIndex, hook: block.hook, where });
    if (block.waitSeconds) actions.push({ kind: 'pause', seconds: block.waitSeconds, blockIndex, where });
  });
  return { actions, checks: step.checks.map((check) => ({ check, where: check.providers ? { providers: check.providers } : {} })) };
}

/** How long a suite hook may take: eks-workshop-v2's test tool's own limit for hooks. */
export const SUITE_HOOK_TIMEOUT_SECONDS = 300;

export function standardLessonPlan(lesson: Lesson): LessonPlan {
  const location = { file: lesson.file, line: 1, column: 1 };
  return {
    prepare: lesson.setup ? [{ kind: 'setup', script: lesson.setup, where: {}, location }] : [],
    enter: (lesson.suiteHooks?.before ?? []).map((script) => ({ kind: 'suite-hook', phase: 'before', script, timeoutSeconds: SUITE_HOOK_TIMEOUT_SECONDS, where: {}, location })),
    finish: (lesson.suiteHooks?.after ?? []).map((script) => ({ kind: 'suite-hook', phase: 'after', script, timeoutSeconds: SUITE_HOOK_TIMEOUT_SECONDS, where: {}, location })),
  };
}

/**
 * The step's plan: the one its source made, else the standard plan of its blocks, hooks, setup and
 * checks (kubelab's format and eks-workshop-v2 pages, whose loaders resolve those fields), derived
 * each time so a step changed after loading (a test's) never runs a stale plan.
 */
export const planOf = (step: Step): StepPlan => step.plan ?? standardStepPlan(step);
export const lessonPlanOf = (lesson: Lesson): LessonPlan => lesson.plan ?? standardLessonPlan(lesson);


/** The step's render model; a step built by hand (a test) is its Markdown as prose. */
export const renderOf = (step: Step): RenderSegment[] => step.render ?? (step.markdown ? [{ kind: 'prose', markdown: step.markdown }] : []);

/** Whether block `index` of the step is part of the lesson on this target (shown, run or not). */
export function blockShown(step: Step, index: number, target: Target): boolean {
  const action = planOf(step).actions.find((a) => a.kind === 'block' && a.blockIndex === index);
  return action ? appliesTo(action.where, target) : true;
}

/** A step's plan on one target, as the app and the session read it. */
export interface PlanHere {
  /** The command blocks that run here, in order. */
  blocks: CommandBlock[];
  /** Blocks of this target's lesson shown but not run here (test=false, needs a real node…). */
  shownOnly: number;
  /** The checks that apply here. */
  checks: CheckSpec[];
  /** Actions meant to run here (not marked never to run), whether or not this cluster can: the step has something to do. */
  meant: number;
}

export function planHere(step: Step, target: Target): PlanHere {
  const plan = planOf(step);
  const blocks: CommandBlock[] = [];
  let shownOnly = 0;
  let meant = 0;
  for (const action of plan.actions) {
    const at = placement(action.where, target);
    if (!at.runs && !at.shown) continue;
    if (action.where.never === undefined) meant++;
    if (action.kind !== 'block') continue;
    if (at.runs) blocks.push(step.blocks[action.blockIndex]);
    else shownOnly++;
  }
  const checks = plan.checks.filter((c) => appliesTo(c.where, target)).map((c) => c.check);
  return { blocks, shownOnly, checks, meant: meant + checks.length };
}
