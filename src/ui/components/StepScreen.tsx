import React from 'react';
import { Box, Text } from 'ink';
import { currentLesson, currentStep, hintsRevealed, solutionShown, type AppState } from '../state.js';
import { CheckLine } from './Transcript.js';
import { Paint } from './styled.js';
import { NoticeAndKeys } from './StatusBar.js';
import { planHere } from '../../engine/standard-plan.js';
import { targetOf } from '../../engine/plan.js';
import { withClusterName } from '../../engine/running/cluster-name.js';
import { hintsFor } from '../../engine/running/hints.js';
import { topLevelCommands } from '../../engine/shell-commands.js';
import { outputRows } from '../code-lines.js';
import { useTranslator } from '../i18n.js';
import { createTranslator, type Translator } from '../../engine/i18n/translate.js';

/**
 * The live part of a step (its prose is already in the transcript above): what will run, what
 * runs now with its newest output, checks while they wait, and the outcome. Kept shorter than the
 * terminal so Ink never has to clear the screen.
 */
export function StepScreen({ state }: { state: AppState }) {
  const translator = useTranslator();
  const { t } = translator;
  const lesson = currentLesson(state);
  const step = currentStep(state);
  const { blocks: runnable, shownOnly: notRun } = planHere(step, targetOf(state.cluster.provider));
  const hidden = step.challenge && !solutionShown(state);
  const running = state.blocks.find((b) => b.state === 'running');
  const busy = state.activity.kind === 'busy' ? state.activity : undefined;
  const hints = hintsRevealed(state);
  const hintCount = hintsFor(step, state.cluster.provider).length;
  // Every command r runs, as it will run (with the learner's --name), not only each block's first line.
  const commands = runnable.flatMap((b) => topLevelCommands(withClusterName(b.code, state.clusterName)).map((c) => c.split('\n')[0]));
  // A challenge is done by hand: say where (a second terminal, this cluster, the lesson's folder).
  const where = hidden ? whereToRun(state.kubeconfig, lesson.dir, translator) : [];
  // A failed step's reason may take up to three lines: its end is often the part that says what to do.
  const outcomeLines = !busy && state.outcome?.status === 'failed' ? Math.min(3, Math.ceil(t('step.notYet', { message: state.outcome.message ?? '' }).length / Math.max(20, state.size.columns - 8))) : 1;
  const fixed = 1 + 1 + where.length + (running ? 1 : 0) + state.checks.length + outcomeLines + 1 + 1 + 1 + 1;
  // +1: Ink clears the whole screen once the live region reaches the terminal's height.
  const room = Math.max(2, state.size.rows - fixed - 1);
  // Long lines wrap (never cut): the newest rows that fit.
  const lines = state.output.lines.slice(-room).flatMap((line) => outputRows(line, state.size.columns - 1).map((text) => ({ ...line, text }))).slice(-room);

  const commandsLine = hidden
    ? `${t('step.hiddenBlocks', { count: runnable.length })}${hintCount ? t('step.hintsShown', { shown: hints, total: hintCount }) : ''}${t('step.solutionKey')}`
    : runnable.length
      ? `${t('step.runs')}${commands.length > 1 ? t('step.runsCommands', { count: commands.length }) : ''}${commands.join(' · ')}${notRun ? t('step.notRunHere', { count: notRun }) : ''}`
      : notRun
        ? t('step.noneRunHere', { count: notRun })
        : t('step.noCommands');

  return (
    <Box flexDirection="column">
      <Paint bold tone="info" wrap="truncate-end">
        {`${t('step.heading', { number: step.index + 1, total: lesson.steps.length, title: step.title })}${step.challenge ? t('step.challengeTag') : ''}`}
      </Paint>
      <Paint dim wrap="truncate-end">
        {commandsLine}
      </Paint>
      {where.map((line, i) => (
        <Paint key={i} tone={i === 0 ? undefined : 'info'} wrap="truncate-end">
          {line}
        </Paint>
      ))}
      {running && (
        <Paint tone="warn" wrap="truncate-end">
          {`▶ ${t(busy?.stopping ? 'step.stopping' : 'step.running')}${running.expect === 'fail' ? t('step.expectedToFail') : ''} · $ ${running.code.split('\n')[0]}`}
        </Paint>
      )}
      {running &&
        lines.map((line, i) => (
          <Paint key={i} dim={line.stream === 'stdout'} bold={line.stream === 'command'} tone={line.stream === 'stderr' ? 'warn' : line.stream === 'command' ? 'info' : undefined} wrap="truncate-end">
            {line.text}
          </Paint>
        ))}
      {state.checks.map((c) => (
        <CheckLine key={c.id} id={c.id} result={c.result} remainingMs={c.done ? undefined : c.remainingMs} />
      ))}
      <Outcome state={state} lines={outcomeLines} />
      <NoticeAndKeys state={state} scope="step" />
    </Box>
  );
}

/** The lines that tell a learner how to work on this cluster from their own terminal. */
export function whereToRun(kubeconfig: string | undefined, lessonDir: string, { t }: Translator = createTranslator('en')): string[] {
  return [
    t('step.doItYourself'),
    ...(kubeconfig ? [`  export KUBECONFIG=${kubeconfig}`] : []),
    `  cd ${lessonDir}`,
  ];
}

function Outcome({ state, lines }: { state: AppState; lines: number }) {
  const { t } = useTranslator();
  const busy = state.activity.kind === 'busy' ? state.activity : undefined;
  if (busy) {
    const what = t(({ commands: 'step.busy.commands', checks: 'step.busy.checks', reset: 'step.busy.reset' } as const)[busy.task]);
    return <Paint tone="warn">{busy.stopping ? t('step.busy.stopping') : what}</Paint>;
  }
  const outcome = state.outcome;
  if (!outcome) return <Text> </Text>;
  switch (outcome.status) {
    case 'passed':
      return <Paint tone="ok" bold wrap="truncate-end">{`✔ ${outcome.message ?? t('step.passed')}`}</Paint>;
    case 'skipped':
      return <Paint dim>{t('step.skipped')}</Paint>;
    case 'stopped':
      return <Paint tone="warn" wrap="truncate-end">{outcome.message ?? t('step.stopped')}</Paint>;
    case 'failed':
      return (
        <Box height={lines} overflow="hidden">
          <Paint tone="error" wrap={lines > 1 ? 'wrap' : 'truncate-end'}>
            {t('step.notYet', { message: outcome.message ?? '' })}
          </Paint>
        </Box>
      );
  }
}
