import React from 'react';
import { Box, Text } from 'ink';
import { keyBar } from '../keymap.js';
import type { AppState, ClusterView } from '../state.js';
import { Paint } from './styled.js';
import { useTranslator } from '../i18n.js';
import { learnerWords } from '../learner-words.js';
import { createTranslator, type Translator } from '../../engine/i18n/translate.js';

export function clusterSummary(cluster: ClusterView, translator: Translator = createTranslator('en')): { tone: 'ok' | 'warn' | 'error'; text: string } {
  const { t } = translator;
  switch (cluster.state) {
    case 'checking':
      return { tone: 'warn', text: t('status.looking', { provider: cluster.provider }) };
    case 'reachable':
      return { tone: 'ok', text: t('status.reachable', { provider: cluster.provider, name: cluster.name, context: cluster.context }) };
    case 'unreachable':
      return { tone: 'error', text: t('status.unreachable', { provider: cluster.provider, name: cluster.name, context: cluster.context }) };
    case 'unhealthy':
      return { tone: 'warn', text: `${cluster.provider} "${cluster.name}" · ⚠ ${learnerWords(cluster.detail, translator)}` };
    case 'down':
      return { tone: 'error', text: t('status.noCluster', { provider: cluster.provider }) };
  }
}

/** The bottom line: which cluster, and the class connection when there is one. */
export function StatusBar({ cluster, classStatus, clusterStart }: { cluster: ClusterView; classStatus?: string; clusterStart?: string }) {
  const translator = useTranslator();
  // While the app brings the local cluster up itself, its progress is the news, not "no cluster".
  const summary = clusterStart && cluster.state !== 'reachable' ? { tone: 'warn' as const, text: `${cluster.provider} · ⏳ ${clusterStart}` } : clusterSummary(cluster, translator);
  return (
    <Box>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-end">
          <Paint dim>{translator.t('status.cluster')}</Paint>
          <Paint tone={summary.tone}>{summary.text}</Paint>
        </Text>
      </Box>
      {classStatus && (
        <Box flexShrink={2} marginLeft={2}>
          <Paint dim wrap="truncate-end">
            {classStatus}
          </Paint>
        </Box>
      )}
    </Box>
  );
}

/** The last lines of every screen: the current notice (or a blank line) and that screen's keys. */
export function NoticeAndKeys({ state, scope }: { state: AppState; scope: 'home' | 'filter' | 'step' }) {
  const translator = useTranslator();
  return (
    <>
      <Paint tone={state.notice?.tone} wrap="truncate-end">
        {state.notice?.text ?? ' '}
      </Paint>
      <Paint dim wrap="truncate-end">
        {keyBar(scope, translator)}
      </Paint>
    </>
  );
}
