import React from 'react';
import { Box } from 'ink';
import { currentStep, outputViewHeight, outputViewLines, type AppState } from '../state.js';
import { Paint } from './styled.js';
import { useTranslator } from '../i18n.js';

/**
 * The step's whole output (every block, up to FULL_OUTPUT_LIMIT lines each), a screenful at a
 * time: the step screen keeps only the newest lines, this is where the rest is read.
 */
export function OutputView({ state }: { state: AppState }) {
  const { t } = useTranslator();
  const lines = outputViewLines(state);
  const height = outputViewHeight(state);
  const last = Math.max(0, lines.length - height);
  const top = state.overlay.kind === 'output' && state.overlay.top !== undefined ? Math.min(state.overlay.top, last) : last;
  const shown = lines.slice(top, top + height);
  const running = state.activity.kind === 'busy';
  return (
    <Box flexDirection="column">
      <Paint bold tone="info" wrap="truncate-end">
        {`${t('output.title', { title: currentStep(state).title, first: lines.length ? top + 1 : 0, last: top + shown.length, total: lines.length })}${running && top === last ? t('output.following') : ''}`}
      </Paint>
      {shown.map((line, i) => (
        <Paint
          key={top + i}
          bold={line.kind === 'command'}
          dim={line.kind === 'note'}
          tone={line.kind === 'stderr' ? 'warn' : line.kind === 'command' ? 'info' : undefined}
          wrap="truncate-end"
        >
          {line.text}
        </Paint>
      ))}
      <Paint dim wrap="truncate-end">
        {t('output.keys')}
      </Paint>
    </Box>
  );
}
