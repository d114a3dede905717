import React from 'react';
import { Box, Text } from 'ink';
import { workshopRecap, type AppState } from '../state.js';
import { Paint } from './styled.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The end of the workshop: what was done, and the cluster that keeps running until deleted. */
export function Recap({ state }: { state: AppState }) {
  const r = workshopRecap(state);
  const cluster = state.cluster;
  const name = cluster.state === 'checking' || cluster.state === 'down' ? undefined : cluster.name;
  const down = `kubelab cluster down --provider ${cluster.provider}${name ? ` --name ${name}` : ''}`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1}>
      <Paint tone="ok" bold>
        {`That was the last step of “${state.workshop.title}”.`}
      </Paint>
      <Text wrap="wrap">
        {`Lessons done: ${r.lessonsDone} of ${r.lessons} · steps passed: ${r.stepsPassed}${r.stepsSkipped ? `, skipped: ${r.stepsSkipped}` : ''} · ${plural(r.hints, 'hint')} used${r.solutions ? ` · ${plural(r.solutions, 'solution')} shown` : ''}${r.minutes ? ` · time taken: about ${plural(r.minutes, 'minute')}` : ''}`}
      </Text>
      <Text> </Text>
      {cluster.state !== 'down' && (
        <>
          <Text wrap="wrap">
            <Paint bold>Your cluster is still running.</Paint> When you are done with it, delete it:
          </Text>
          <Paint tone="info">{`  ${down}`}</Paint>
        </>
      )}
      {cluster.provider === 'eks' && (
        <Paint tone="warn" wrap="wrap">
          ⚠ An EKS cluster bills by the hour (its control plane and every node) until it is deleted.
        </Paint>
      )}
      {state.eksReminders.map((line) => (
        <Paint key={line} tone="warn" wrap="wrap">
          {`⚠ ${line}`}
        </Paint>
      ))}
      <Paint dim>Enter or Esc: back to the lessons · q quit</Paint>
    </Box>
  );
}
