import { clusterKey, nameFlag, type ConnectionFlags } from '../services/connection.js';
import type { AppState, resumePoint } from './state.js';

/**
 * What the learner reads on the way out: how to come back (the way they started: `npm start` from
 * the clone, else `kubelab`), and that a local cluster keeps running — with the command that stops it.
 */
export function goodbye(state: AppState, resume: ReturnType<typeof resumePoint>, flags: ConnectionFlags, env: NodeJS.ProcessEnv): string[] {
  const again = env.npm_lifecycle_event === 'start' ? 'npm start' : `kubelab${flags.provider ? ` --provider ${flags.provider}` : ''}${nameFlag(flags)}`;
  const lines: string[] = [];
  if (resume) {
    const lesson = state.workshop.lessons[resume.lessonIndex];
    lines.push(`Progress saved. Run ${again} to continue at: ${lesson.title} › ${lesson.steps[resume.stepIndex].title}`);
  } else {
    lines.push(`Progress saved. Run ${again} to come back.`);
  }
  const cluster = state.cluster;
  if ((cluster.provider === 'local' || cluster.provider === 'kind') && (cluster.state === 'reachable' || cluster.state === 'unhealthy')) {
    lines.push(`The ${cluster.provider} cluster "${cluster.name}" is still running (it uses memory and CPU). Stop it with: kubelab cluster down --provider ${cluster.provider}${clusterKey({ name: cluster.name }, cluster.provider).isDefault ? '' : ` --name ${cluster.name}`}`);
  }
  return lines;
}
