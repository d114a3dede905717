import React from 'react';
import { Box, Text } from 'ink';
import type { ProviderName } from '../../engine/types.js';
import { helpLines } from '../keymap.js';
import type { ConfirmItem } from '../state.js';
import { Paint } from './styled.js';
import { useTranslator } from '../i18n.js';

const NAME_WIDTH = 11;

/** Every key of the screen underneath, generated from the keymap. */
export function HelpOverlay({ scope }: { scope: 'home' | 'step' }) {
  const translator = useTranslator();
  const { t } = translator;
  const lines = helpLines(scope, translator);
  const width = Math.max(...lines.map((l) => l.keys.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Paint bold>{t(scope === 'home' ? 'help.home' : 'help.step')}</Paint>
      {lines.map((l) => (
        <Text key={l.keys + l.description} wrap="truncate-end">
          <Paint tone="info">{l.keys.padEnd(width)}</Paint>
          {l.description}
        </Text>
      ))}
      <Paint dim>{t('help.close')}</Paint>
    </Box>
  );
}

/** Asked before commands that cost money or destroy things: says what they will do. */
export function ConfirmOverlay({ items }: { items: ConfirmItem[] }) {
  const { t } = useTranslator();
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Paint tone="warn" bold>
        {t('confirm.title')}
      </Paint>
      {items.map((item, i) => (
        <Box key={i} flexDirection="column">
          <Text wrap="wrap">• {item.reason}</Text>
          {item.code !== undefined && <Paint dim wrap="truncate-end">{`  $ ${item.code.split('\n')[0]}${item.code.includes('\n') ? ' …' : ''}`}</Paint>}
        </Box>
      ))}
      <Text>
        {t('confirm.question')}<Paint bold>y</Paint>{t('confirm.yes')}<Paint bold>n</Paint>{t('confirm.no')}
      </Text>
    </Box>
  );
}

export function ProviderOverlay({ providers, cursor, current, missing = {} }: { providers: ProviderName[]; cursor: number; current: ProviderName; missing?: Partial<Record<ProviderName, string[]>> }) {
  const { t } = useTranslator();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Paint bold>{t('provider.title')}</Paint>
      {providers.map((p, i) => (
        // Two columns, the right one wrapping: a narrow terminal gets more lines, never a cut-off cost.
        <Box key={p}>
          <Box width={NAME_WIDTH} flexShrink={0}>
            <Paint tone={i === cursor ? 'info' : undefined} bold={i === cursor}>{`${i === cursor ? '›' : ' '} ${p}`}</Paint>
          </Box>
          <Box flexDirection="column" flexGrow={1} flexShrink={1}>
            <Text wrap="wrap">
              {t(`provider.${p}.what`)}
              {p === current ? t('provider.inUse') : ''}
            </Text>
            <Paint dim wrap="wrap">{t('provider.cost', { cost: t(`provider.${p}.cost`) })}</Paint>
            {(missing[p]?.length ?? 0) > 0 && (
              <Paint tone="warn" wrap="wrap">{t('provider.missing', { tools: missing[p]!.join(', '), count: missing[p]!.length })}</Paint>
            )}
          </Box>
        </Box>
      ))}
      <Paint dim>{t('provider.keys')}</Paint>
    </Box>
  );
}
