/**
 * The instructor's screen: who is where, who is stuck. It polls the class store of the server
 * running in this process and renders `buildClassView`; all logic lives there.
 */
import React, { useEffect, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import { buildClassView, describeCheck, describeLesson, fitName, formatDuration, type ClassView, type LearnerRow } from './class-view.js';
import type { ClassSnapshot } from './store.js';

/** Terminal columns of the learner column; names are fitted by display width, not length. */
const NAME_COLUMNS = 20;

export interface InstructorViewProps {
  load: () => ClassSnapshot;
  joinLine: string;
  stuckAfterMs: number;
  refreshMs?: number;
  now?: () => number;
  /** Rows beyond this are summarised in one line, so the screen never scrolls. */
  maxRows?: number;
  /** `c`: the instructor has seen to the hand that has been up longest. */
  clearHand?: (learnerId: string) => void;
  /** `w`: a new one-time link to the web view (each link opens one browser). */
  newWebLink?: () => string;
  /** The link printed when the server started. */
  firstWebLink?: string;
}

/** The view as an element, so callers need not import React themselves (it is bundled with the app). */
export function instructorViewElement(props: InstructorViewProps): React.ReactElement {
  return <InstructorView {...props} />;
}

export function InstructorView({ load, joinLine, stuckAfterMs, refreshMs = 1000, now = Date.now, maxRows = 40, clearHand, newWebLink, firstWebLink }: InstructorViewProps) {
  const { exit } = useApp();
  const compute = () => buildClassView(load(), { now: now(), stuckAfterMs });
  const [view, setView] = useState<ClassView>(compute);
  const [webLink, setWebLink] = useState<string | undefined>(firstWebLink);

  useEffect(() => {
    const timer = setInterval(() => setView(compute()), refreshMs);
    return () => clearInterval(timer);
    // load, now and stuckAfterMs are fixed for the view's life; only the refresh rate restarts the timer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refreshMs]);

  useInput((input) => {
    if (input === 'q') exit();
    if (input === 'w' && newWebLink) setWebLink(newWebLink());
    if (input === 'c' && clearHand) {
      // Rows come longest-raised hand first.
      const first = view.learners.find((l) => l.hand);
      if (first) {
        clearHand(first.id);
        setView(compute());
      }
    }
  });

  return <ClassScreen view={view} joinLine={joinLine} maxRows={maxRows} webLink={webLink} />;
}

export function ClassScreen({ view, joinLine, maxRows, webLink }: { view: ClassView; joinLine: string; maxRows: number; webLink?: string }) {
  const stuck = view.learners.filter((l) => l.stuck).length;
  const hands = view.learners.filter((l) => l.hand).length;
  const shown = view.learners.slice(0, maxRows);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Class {view.className}</Text> · {view.learners.length} learner(s) ·{' '}
        <Text color={stuck > 0 ? 'red' : 'green'}>{stuck} stuck</Text> · <Text color={hands > 0 ? 'yellow' : undefined}>{hands} hand(s) up</Text> · stuck after{' '}
        {formatDuration(view.stuckAfterMs)} on a step or 3 failed checks · c clears the oldest hand · w web link · q to quit
      </Text>
      <Text dimColor>Learners join with: {joinLine} --name "Your Name"</Text>
      {webLink ? <Text>Web view (one browser, within 10 minutes): {webLink}</Text> : null}
      {view.lessons.map((lesson) => (
        <Text key={lesson.lessonId}>{describeLesson(lesson)}</Text>
      ))}
      <Box marginTop={1}>
        <Cell width={2}> </Cell>
        <Cell width={NAME_COLUMNS} bold>
          Learner
        </Cell>
        <Cell width={40} bold>
          Lesson › step
        </Cell>
        <Cell width={9} bold>
          Time
        </Cell>
        <Cell width={6} bold>
          Hints
        </Cell>
        <Cell bold>Last check</Cell>
      </Box>
      {view.learners.length === 0 ? <Text dimColor>No learners yet.</Text> : null}
      {shown.map((row) => (
        <LearnerLine key={row.id} row={row} />
      ))}
      {view.learners.length > shown.length ? <Text dimColor>… and {view.learners.length - shown.length} more</Text> : null}
    </Box>
  );
}

function LearnerLine({ row }: { row: LearnerRow }) {
  const color = row.stuck ? 'red' : row.lastCheck?.outcome === 'passed' ? 'green' : undefined;
  const at = row.stepId ? `${row.lessonTitle ?? row.lessonId} › ${row.stepTitle ?? row.stepId}` : (row.lessonTitle ?? '(not started)');
  // Caught-up steps were not done by the learner: the instructor should see that at a glance.
  const position = row.caughtUpSteps > 0 ? `${at} · caught up ${row.caughtUpSteps}` : at;
  const hand = row.hand ? `hand up ${formatDuration(row.hand.upMs)} · ` : '';
  return (
    <Box>
      <Cell width={2} color={row.hand ? 'yellow' : 'red'}>
        {row.hand ? '✋' : row.stuck ? '!' : ' '}
      </Cell>
      <Cell width={NAME_COLUMNS} color={color} bold={row.stuck}>
        {fitName(row, NAME_COLUMNS)}
      </Cell>
      <Cell width={40}>{position}</Cell>
      <Cell width={9}>{row.timeOnStepMs === undefined ? '' : formatDuration(row.timeOnStepMs)}</Cell>
      <Cell width={6}>{`${row.hintsUsed}${row.solutionShown ? '+S' : ''}`}</Cell>
      <Cell color={row.hand ? 'yellow' : color}>{`${hand}${row.stuck ? `${row.stuckReason} · ${describeCheck(row)}` : describeCheck(row)}`}</Cell>
    </Box>
  );
}

function Cell({ width, color, bold, children }: { width?: number; color?: string; bold?: boolean; children: React.ReactNode }) {
  return (
    <Box width={width} flexShrink={width === undefined ? 1 : 0} marginRight={width === undefined ? 0 : 1}>
      <Text color={color} bold={bold} wrap="truncate">
        {children}
      </Text>
    </Box>
  );
}
