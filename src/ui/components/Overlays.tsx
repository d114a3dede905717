import React from 'react';
import { Box, Text } from 'ink';
import type { ProviderName } from '../../engine/types.js';
import { helpLines } from '../keymap.js';
import type { ConfirmItem } from '../state.js';
import { Paint } from './styled.js';

const PROVIDER_TEXT: Record<ProviderName, string> = {
  local: 'a real control plane on this machine, simulated nodes (offline, no Docker)',
  kind: 'Kubernetes in Docker (needs Docker and kind)',
  eks: 'Amazon EKS in your AWS account (costs money while it runs)',
  existing: 'a cluster you already have (--kubeconfig / --context)',
};

/** Every key of the screen underneath, generated from the keymap. */
export function HelpOverlay({ scope }: { scope: 'home' | 'step' }) {
  const lines = helpLines(scope);
  const width = Math.max(...lines.map((l) => l.keys.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Paint bold>{scope === 'home' ? 'Keys on the lessons screen' : 'Keys in a step'}</Paint>
      {lines.map((l) => (
        <Text key={l.keys + l.description} wrap="truncate-end">
          <Paint tone="info">{l.keys.padEnd(width)}</Paint>
          {l.description}
        </Text>
      ))}
      <Paint dim>Esc or ? closes this.</Paint>
    </Box>
  );
}

/** Asked before commands that cost money or destroy things: says what they will do. */
export function ConfirmOverlay({ items }: { items: ConfirmItem[] }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Paint tone="warn" bold>
        Before this runs
      </Paint>
      {items.map((item, i) => (
        <Box key={i} flexDirection="column">
          <Text wrap="wrap">• {item.reason}</Text>
          {item.code !== undefined && <Paint dim wrap="truncate-end">{`  $ ${item.code.split('\n')[0]}${item.code.includes('\n') ? ' …' : ''}`}</Paint>}
        </Box>
      ))}
      <Text>
        Run it? <Paint bold>y</Paint> yes · <Paint bold>n</Paint> no
      </Text>
    </Box>
  );
}

export function ProviderOverlay({ providers, cursor, current }: { providers: ProviderName[]; cursor: number; current: ProviderName }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Paint bold>Which cluster should the lessons use?</Paint>
      {providers.map((p, i) => (
        <Text key={p} wrap="truncate-end">
          <Paint tone={i === cursor ? 'info' : undefined} bold={i === cursor}>{`${i === cursor ? '›' : ' '} ${p.padEnd(9)}`}</Paint>
          <Paint dim>{PROVIDER_TEXT[p]}</Paint>
          {p === current ? ' (in use)' : ''}
        </Text>
      ))}
      <Paint dim>↑/↓ choose · Enter use · Esc cancel</Paint>
    </Box>
  );
}
