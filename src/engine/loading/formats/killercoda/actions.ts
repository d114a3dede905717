import type { ActionRunner } from '../../../plan.js';

/**
 * The runner of Killercoda's format actions (backgrounds, foregrounds, assets, nodes): the loader
 * already reviewed and mapped each script into shell code safe to run as the learner, so running
 * it is the session's `run`, its output shown as the step's.
 */
export const runKillercodaAction: ActionRunner = async (context) => {
  const data = context.action.data as { code?: string } | undefined;
  if (!data?.code) return { ok: false, error: `${context.action.label}: nothing to run` };
  const result = await context.run(data.code, { timeoutMs: 300_000 });
  if (result.ok) return { ok: true };
  return { ok: false, error: `${context.action.label} failed${result.exitCode !== undefined ? ` (exit ${result.exitCode})` : ''}: ${result.tail.at(-1) ?? ''}`.trim() };
};
