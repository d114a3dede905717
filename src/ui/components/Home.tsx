import React from 'react';
import { Box, Text } from 'ink';
import { lessonRows, matchingLessons, resumePoint, type AppState, type LessonRow } from '../state.js';
import { Paint } from './styled.js';
import { wrapText } from '../code-lines.js';
import { NoticeAndKeys } from './StatusBar.js';

const STATE_TEXT: Record<LessonRow['state'], { mark: string; tone?: 'ok' | 'warn'; text: string }> = {
  done: { mark: '✔', tone: 'ok', text: 'done' },
  'in-progress': { mark: '◐', tone: 'warn', text: 'in progress' },
  'not-started': { mark: '○', text: 'not started' },
};

/** The lessons, the learner's progress in each, the cluster, and where to resume. */
export function Home({ state }: { state: AppState }) {
  const all = lessonRows(state);
  const matching = matchingLessons(state);
  const filtering = state.homeFilter !== undefined;
  const rows = filtering ? all.filter((_, i) => matching.includes(i)) : all;
  const resume = resumePoint(state);
  const cluster = state.cluster;
  // The workshop's description, wrapped whole (up to 4 lines) rather than cut mid-word.
  const description = wrapText(state.workshop.description.replace(/\s+/g, ' ').trim() || ' ', Math.max(20, state.size.columns - 1)).slice(0, 4);
  const clusterLines = (state.clusterStart && cluster.state !== 'reachable') || cluster.state === 'down' || cluster.state === 'unreachable' || cluster.state === 'unhealthy' ? 2 : 1;
  // "Go further" heads the optional lessons: one more fixed line when there are any.
  const further = rows.some((r) => r.optional) ? 1 : 0;
  const fixed = (filtering ? 1 : 0) + further + 1 + description.length + 1 + 1 + (resume ? 1 : 0) + 1 + clusterLines + state.eksReminders.length + 1 + 1 + 1 + 1;
  const room = Math.max(3, state.size.rows - fixed - 1);
  const cursorRow = Math.max(0, rows.findIndex((r) => r.id === all[state.homeCursor]?.id));
  const first = Math.min(Math.max(0, cursorRow - room + 1), Math.max(0, rows.length - room));
  const shown = rows.slice(first, first + room);
  const titleWidth = Math.max(10, Math.min(48, state.size.columns - 34));
  return (
    <Box flexDirection="column">
      <Paint bold tone="info" wrap="truncate-end">
        {state.workshop.title}
      </Paint>
      {description.map((line, i) => (
        <Paint key={i} dim wrap="truncate-end">
          {line}
        </Paint>
      ))}
      <Text> </Text>
      <Text wrap="truncate-end">
        <Paint bold>{further ? 'Lessons — the core path' : 'Lessons'}</Paint>
        {/* A long collection: say how to find one, since not all of them fit. */}
        {!filtering && all.length > room && <Paint dim>{`  ${all.length} of them — type / to find one`}</Paint>}
      </Text>
      {filtering && <Paint tone="info" wrap="truncate-end">{`Find: ${state.homeFilter}▏ ${matching.length} of ${all.length} match`}</Paint>}
      {shown.map((row) => {
        const index = all.indexOf(row);
        const selected = index === state.homeCursor;
        const st = STATE_TEXT[row.state];
        const title = row.title.length > titleWidth ? `${row.title.slice(0, titleWidth - 1)}…` : row.title.padEnd(titleWidth);
        const heading = !filtering && row.optional && !all[index - 1]?.optional;
        return (
          <React.Fragment key={row.id}>
            {heading && <Paint bold>Go further (optional)</Paint>}
            <Text wrap="truncate-end">
              <Paint tone={selected ? 'info' : undefined} bold={selected}>{`${selected ? '›' : ' '} ${index + 1}. ${title}`}</Paint>
              <Paint dim>{` ${String(row.minutes).padStart(3)} min  `}</Paint>
              <Paint tone={st.tone}>{`${st.mark} ${st.text}`}</Paint>
              {row.state === 'in-progress' && <Paint dim>{` (${row.finished}/${row.steps} steps)`}</Paint>}
            </Text>
          </React.Fragment>
        );
      })}
      <Text> </Text>
      {resume && (
        <Text wrap="truncate-end">
          <Paint bold>Resume: </Paint>
          {`${state.workshop.lessons[resume.lessonIndex].title} › ${state.workshop.lessons[resume.lessonIndex].steps[resume.stepIndex].title}`}
          <Paint dim>{resume.lessonIndex === state.homeCursor ? '  (Enter)' : ''}</Paint>
        </Text>
      )}
      <ClusterLines state={state} />
      {state.eksReminders.map((line) => (
        <Paint key={line} tone="warn" wrap="truncate-end">
          {`⚠ ${line}`}
        </Paint>
      ))}
      <NoticeAndKeys state={state} scope={filtering ? 'filter' : 'home'} />
    </Box>
  );
}

function ClusterLines({ state }: { state: AppState }) {
  const c = state.cluster;
  // kubelab is bringing the cluster up itself: say so, not "start one with …".
  if (state.clusterStart && c.state !== 'reachable') {
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          <Paint bold>Cluster: </Paint>
          {`${c.provider} `}
          <Paint tone="warn">{`⏳ ${state.clusterStart}`}</Paint>
        </Text>
        <Paint dim wrap="truncate-end">{'  kubelab starts it by itself; open a lesson and read on meanwhile  (p picks another provider)'}</Paint>
      </Box>
    );
  }
  switch (c.state) {
    case 'checking':
      return <Paint dim>{`Cluster: ${c.provider} — looking for it…`}</Paint>;
    case 'reachable':
      return (
        <Text wrap="truncate-end">
          <Paint bold>Cluster: </Paint>
          {`${c.provider} "${c.name}", context ${c.context} `}
          <Paint tone="ok">✔ reachable</Paint>
          <Paint dim>{` — ${c.detail}`}</Paint>
        </Text>
      );
    case 'unhealthy':
      return (
        <Box flexDirection="column">
          <Text wrap="truncate-end">
            <Paint bold>Cluster: </Paint>
            {`${c.provider} "${c.name}" `}
            <Paint tone="warn">{`⚠ ${c.detail}`}</Paint>
          </Text>
          <Paint tone="warn" wrap="truncate-end">{`  ${c.next}`}</Paint>
        </Box>
      );
    case 'unreachable':
    case 'down':
      return (
        <Box flexDirection="column">
          <Text wrap="truncate-end">
            <Paint bold>Cluster: </Paint>
            {`${c.provider} `}
            <Paint tone="error">{c.state === 'down' ? '✘ not up' : '✘ not reachable'}</Paint>
            <Paint dim>{` — ${c.detail}`}</Paint>
          </Text>
          <Paint tone="warn" wrap="truncate-end">{`  ${c.next}  (p picks another provider)`}</Paint>
        </Box>
      );
  }
}
