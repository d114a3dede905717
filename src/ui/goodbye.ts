import { clusterKey, nameFlag, type ConnectionFlags } from '../services/connection.js';
import { textFor, type AppState, type resumePoint } from './state.js';

/**
 * What the learner reads on the way out: how to come back (the way they started: `npm start` from
 * the clone, else `kubelab`), and that a local cluster keeps running — with the command that stops it.
 */
export function goodbye(state: AppState, resume: ReturnType<typeof resumePoint>, flags: ConnectionFlags, env: NodeJS.ProcessEnv): string[] {
  const again = env.npm_lifecycle_event === 'start' ? 'npm start' : `kubelab${flags.provider ? ` --provider ${flags.provider}` : ''}${nameFlag(flags)}`;
  const lines: string[] = [];
  const { t } = textFor(state);
  if (resume) {
    const lesson = state.workshop.lessons[resume.lessonIndex];
    lines.push(t('goodbye.continueAt', { command: again, lesson: lesson.title, step: lesson.steps[resume.stepIndex].title }));
  } else {
    lines.push(t('goodbye.comeBack', { command: again }));
  }
  const cluster = state.cluster;
  if ((cluster.provider === 'local' || cluster.provider === 'kind') && (cluster.state === 'reachable' || cluster.state === 'unhealthy')) {
    const command = `kubelab cluster down --provider ${cluster.provider}${clusterKey({ name: cluster.name }, cluster.provider).isDefault ? '' : ` --name ${cluster.name}`}`;
    lines.push(t('goodbye.stillRunning', { provider: cluster.provider, name: cluster.name, command }));
  }
  return lines;
}
