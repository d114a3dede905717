import React from 'react';
import { Box, Text } from 'ink';
import { keyBar } from '../keymap.js';
import type { AppState, ClusterView } from '../state.js';
import { Paint } from './styled.js';

export function clusterSummary(cluster: ClusterView): { tone: 'ok' | 'warn' | 'error'; text: string } {
  switch (cluster.state) {
    case 'checking':
      return { tone: 'warn', text: `${cluster.provider} · looking for the cluster…` };
    case 'reachable':
      return { tone: 'ok', text: `${cluster.provider} "${cluster.name}" · context ${cluster.context} · ✔ reachable` };
    case 'unreachable':
      return { tone: 'error', text: `${cluster.provider} "${cluster.name}" · context ${cluster.context} · ✘ not reachable` };
    case 'unhealthy':
      return { tone: 'warn', text: `${cluster.provider} "${cluster.name}" · ⚠ ${cluster.detail}` };
    case 'down':
      return { tone: 'error', text: `${cluster.provider} · ✘ no cluster` };
  }
}

/** The bottom line: which cluster, and the class connection when there is one. */
export function StatusBar({ cluster, classStatus, clusterStart }: { cluster: ClusterView; classStatus?: string; clusterStart?: string }) {
  // While the app brings the local cluster up itself, its progress is the news, not "no cluster".
  const summary = clusterStart && cluster.state !== 'reachable' ? { tone: 'warn' as const, text: `${cluster.provider} · ⏳ ${clusterStart}` } : clusterSummary(cluster);
  return (
    <Box>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-end">
          <Paint dim>cluster: </Paint>
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
  return (
    <>
      <Paint tone={state.notice?.tone} wrap="truncate-end">
        {state.notice?.text ?? ' '}
      </Paint>
      <Paint dim wrap="truncate-end">
        {keyBar(scope)}
      </Paint>
    </>
  );
}
