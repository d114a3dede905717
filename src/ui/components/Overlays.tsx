import React from 'react';
import { Box, Text } from 'ink';
import type { ProviderName } from '../../engine/types.js';
import { helpLines } from '../keymap.js';
import type { ConfirmItem } from '../state.js';
import { Paint } from './styled.js';

/** What each provider is and what it costs: the cost gets a line of its own so it is never cut off. */
const PROVIDER_TEXT: Record<ProviderName, { what: string; cost: string }> = {
  local: { what: 'a real control plane on this machine, simulated nodes (offline, no Docker)', cost: 'none, it runs on this machine' },
  kind: { what: 'Kubernetes in Docker (needs Docker and kind)', cost: 'none, it runs in Docker on this machine' },
  eks: { what: 'Amazon EKS in your AWS account', cost: 'billed by the hour until you delete it' },
  existing: { what: 'a cluster you already have (--kubeconfig / --context)', cost: 'whatever that cluster already costs' },
};
const NAME_WIDTH = 11;

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

export function ProviderOverlay({ providers, cursor, current, missing = {} }: { providers: ProviderName[]; cursor: number; current: ProviderName; missing?: Partial<Record<ProviderName, string[]>> }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Paint bold>Which cluster should the lessons use?</Paint>
      {providers.map((p, i) => (
        // Two columns, the right one wrapping: a narrow terminal gets more lines, never a cut-off cost.
        <Box key={p}>
          <Box width={NAME_WIDTH} flexShrink={0}>
            <Paint tone={i === cursor ? 'info' : undefined} bold={i === cursor}>{`${i === cursor ? '›' : ' '} ${p}`}</Paint>
          </Box>
          <Box flexDirection="column" flexGrow={1} flexShrink={1}>
            <Text wrap="wrap">
              {PROVIDER_TEXT[p].what}
              {p === current ? ' (in use)' : ''}
            </Text>
            <Paint dim wrap="wrap">{`cost: ${PROVIDER_TEXT[p].cost}`}</Paint>
            {(missing[p]?.length ?? 0) > 0 && (
              <Paint tone="warn" wrap="wrap">{`⚠ not installed here: ${missing[p]!.join(', ')} (kubelab doctor says how to install ${missing[p]!.length > 1 ? 'them' : 'it'})`}</Paint>
            )}
          </Box>
        </Box>
      ))}
      <Paint dim>↑/↓ choose · Enter use · Esc cancel</Paint>
    </Box>
  );
}
