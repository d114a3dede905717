import React from 'react';
import { Box, Text } from 'ink';
import { lessonRows, matchingLessons, resumePoint, type AppState, type LessonRow } from '../state.js';
import { Paint } from './styled.js';
import { wrapText } from '../code-lines.js';
import { NoticeAndKeys } from './StatusBar.js';
import { useTranslator } from '../i18n.js';
import { learnerWords } from '../learner-words.js';

const STATE_TEXT = {
  done: { mark: '✔', tone: 'ok', key: 'home.state.done' },
  'in-progress': { mark: '◐', tone: 'warn', key: 'home.state.inProgress' },
  'not-started': { mark: '○', key: 'home.state.notStarted' },
} as const satisfies Record<LessonRow['state'], { mark: string; tone?: 'ok' | 'warn'; key: string }>;

/** The lessons, the learner's progress in each, the cluster, and where to resume. */
export function Home({ state }: { state: AppState }) {
  const { t } = useTranslator();
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
        <Paint bold>{t(further ? 'home.lessonsCore' : 'home.lessons')}</Paint>
        {/* A long collection: say how to find one, since not all of them fit. */}
        {!filtering && all.length > room && <Paint dim>{`  ${t('home.findHint', { count: all.length })}`}</Paint>}
      </Text>
      {filtering && <Paint tone="info" wrap="truncate-end">{t('home.finding', { text: state.homeFilter ?? '', matching: matching.length, total: all.length })}</Paint>}
      {shown.map((row) => {
        const index = all.indexOf(row);
        const selected = index === state.homeCursor;
        const st: { mark: string; tone?: 'ok' | 'warn'; key: (typeof STATE_TEXT)[LessonRow['state']]['key'] } = STATE_TEXT[row.state];
        const title = row.title.length > titleWidth ? `${row.title.slice(0, titleWidth - 1)}…` : row.title.padEnd(titleWidth);
        const heading = !filtering && row.optional && !all[index - 1]?.optional;
        return (
          <React.Fragment key={row.id}>
            {heading && <Paint bold>{t('home.further')}</Paint>}
            <Text wrap="truncate-end">
              <Paint tone={selected ? 'info' : undefined} bold={selected}>{`${selected ? '›' : ' '} ${index + 1}. ${title}`}</Paint>
              <Paint dim>{` ${String(row.minutes).padStart(3)} min  `}</Paint>
              <Paint tone={st.tone}>{`${st.mark} ${t(st.key)}`}</Paint>
              {row.state === 'in-progress' && <Paint dim>{` ${t('home.stepsDone', { finished: row.finished, count: row.steps })}`}</Paint>}
            </Text>
          </React.Fragment>
        );
      })}
      <Text> </Text>
      {resume && (
        <Text wrap="truncate-end">
          <Paint bold>{t('home.resume')}</Paint>
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
  const translator = useTranslator();
  const { t } = translator;
  const words = (text: string) => learnerWords(text, translator);
  const c = state.cluster;
  // kubelab is bringing the cluster up itself: say so, not "start one with …".
  if (state.clusterStart && c.state !== 'reachable') {
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          <Paint bold>{t('home.cluster')}</Paint>
          {`${c.provider} `}
          <Paint tone="warn">{`⏳ ${state.clusterStart}`}</Paint>
        </Text>
        <Paint dim wrap="truncate-end">{t('home.clusterStarting')}</Paint>
      </Box>
    );
  }
  switch (c.state) {
    case 'checking':
      return <Paint dim>{t('home.clusterLooking', { provider: c.provider })}</Paint>;
    case 'reachable':
      return (
        <Text wrap="truncate-end">
          <Paint bold>{t('home.cluster')}</Paint>
          {t('home.clusterReachable', { provider: c.provider, name: c.name, context: c.context })}
          <Paint tone="ok">{t('home.reachable')}</Paint>
          <Paint dim>{` — ${words(c.detail)}`}</Paint>
        </Text>
      );
    case 'unhealthy':
      return (
        <Box flexDirection="column">
          <Text wrap="truncate-end">
            <Paint bold>{t('home.cluster')}</Paint>
            {`${c.provider} "${c.name}" `}
            <Paint tone="warn">{`⚠ ${words(c.detail)}`}</Paint>
          </Text>
          <Paint tone="warn" wrap="truncate-end">{`  ${words(c.next)}`}</Paint>
        </Box>
      );
    case 'unreachable':
    case 'down':
      return (
        <Box flexDirection="column">
          <Text wrap="truncate-end">
            <Paint bold>{t('home.cluster')}</Paint>
            {`${c.provider} `}
            <Paint tone="error">{t(c.state === 'down' ? 'home.notUp' : 'home.notReachable')}</Paint>
            <Paint dim>{` — ${words(c.detail)}`}</Paint>
          </Text>
          <Paint tone="warn" wrap="truncate-end">{`  ${words(c.next)}${t('home.pickAnother')}`}</Paint>
        </Box>
      );
  }
}
