import React from 'react';
import { Box, Text } from 'ink';
import { workshopRecap, type AppState } from '../state.js';
import { Paint } from './styled.js';
import { useTranslator } from '../i18n.js';

/** The end of the workshop: what was done, and the cluster that keeps running until deleted. */
export function Recap({ state }: { state: AppState }) {
  const { t } = useTranslator();
  const r = workshopRecap(state);
  const cluster = state.cluster;
  const name = cluster.state === 'checking' || cluster.state === 'down' ? undefined : cluster.name;
  const down = `kubelab cluster down --provider ${cluster.provider}${name ? ` --name ${name}` : ''}`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1}>
      <Paint tone="ok" bold>
        {t('recap.title', { title: state.workshop.title })}
      </Paint>
      <Text wrap="wrap">
        {`${t('recap.lessons', { done: r.lessonsDone, total: r.lessons })} · ${t('recap.steps', { count: r.stepsPassed })}${r.stepsSkipped ? t('recap.skipped', { count: r.stepsSkipped }) : ''} · ${t('recap.hints', { count: r.hints })}${r.solutions ? ` · ${t('recap.solutions', { count: r.solutions })}` : ''}${r.minutes ? ` · ${t('recap.minutes', { count: r.minutes })}` : ''}`}
      </Text>
      <Text> </Text>
      {cluster.state !== 'down' && (
        <>
          <Text wrap="wrap">
            <Paint bold>{t('recap.stillRunning')}</Paint>{t('recap.deleteIt')}
          </Text>
          <Paint tone="info">{`  ${down}`}</Paint>
        </>
      )}
      {cluster.provider === 'eks' && (
        <Paint tone="warn" wrap="wrap">
          {t('recap.eksBill')}
        </Paint>
      )}
      {state.eksReminders.map((line) => (
        <Paint key={line} tone="warn" wrap="wrap">
          {`⚠ ${line}`}
        </Paint>
      ))}
      <Paint dim>{t('recap.keys')}</Paint>
    </Box>
  );
}
