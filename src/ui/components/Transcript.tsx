import React, { useContext } from 'react';
import { Box, Text } from 'ink';
import { outputRows, wrapCodeLine } from '../code-lines.js';
import { notEvaluated, type CheckResult } from '../../engine/types.js';
import { highlightLine, inlineSpans, tableLines, wrapSpans } from '../markdown.js';
import type { TranscriptItem } from '../state.js';
import { Markdown } from './Markdown.js';
import { MARKS, markTone, Paint, Spans, WidthContext } from './styled.js';
import { useTranslator } from '../i18n.js';

/** A hint's text as Markdown: `kubelab cluster status` shows as code, not between backticks. */
function HintText({ text, width }: { text: string; width: number }) {
  return (
    <Box flexDirection="column">
      {wrapSpans(inlineSpans(text), Math.max(20, width)).map((line, i) => (
        <Spans key={i} spans={line.length ? line : [{ text: ' ' }]} wrap="truncate-end" />
      ))}
    </Box>
  );
}


/** One finished thing, drawn once into the terminal's scrollback by <Static>. */
export function TranscriptEntry({ item }: { item: TranscriptItem }) {
  const { t } = useTranslator();
  switch (item.kind) {
    case 'step':
      return (
        <Box flexDirection="column" marginTop={1}>
          <Paint tone="info" bold>
            {`━━ ${item.heading}${item.challenge ? ` ${t('step.challengeTag')}` : ''}`}
          </Paint>
          <Box marginTop={1}>
            <Markdown blocks={item.blocks} />
          </Box>
        </Box>
      );
    case 'block':
      return <FinishedBlock item={item} />;
    case 'checks':
      return (
        <Box flexDirection="column" marginTop={1}>
          {item.checks.map((c) => (
            <CheckLine key={c.id} id={c.id} result={c.result} detailed />
          ))}
        </Box>
      );
    case 'hint':
      return <Hint index={item.index} total={item.total} text={item.text} />;
    case 'solution':
      return <Solution commands={item.commands} />;
    case 'note':
      return (
        <Box marginTop={1}>
          <Paint tone={item.tone}>{item.text}</Paint>
        </Box>
      );
  }
}

function Hint({ index, total, text }: { index: number; total: number; text: string }) {
  const columns = useContext(WidthContext);
  const { t } = useTranslator();
  const label = t('hint.label', { number: index + 1, total });
  return (
    <Box marginTop={1}>
      <Paint tone="warn" bold>{label}</Paint>
      <Box flexShrink={1}>
        <HintText text={text} width={columns - label.length - 1} />
      </Box>
    </Box>
  );
}

function Solution({ commands }: { commands: string[] }) {
  const columns = useContext(WidthContext);
  const { t } = useTranslator();
  return (
    <Box flexDirection="column" marginTop={1}>
      <Paint tone="warn" bold>
        {t('solution.label')}
      </Paint>
      {commands.flatMap((code, i) =>
        code.split('\n').flatMap((line, j) =>
          wrapCodeLine(highlightLine(line, 'bash'), columns - 3).map((part, k) => <Spans key={`${i}-${j}-${k}`} spans={[{ text: '  ' }, ...part]} wrap="wrap" />),
        ),
      )}
    </Box>
  );
}

function FinishedBlock({ item }: { item: Extract<TranscriptItem, { kind: 'block' }> }) {
  const columns = useContext(WidthContext);
  const { t, duration } = useTranslator();
  const first = item.code.split('\n')[0];
  const more = item.code.split('\n').length - 1;
  const verdict = (() => {
    switch (item.outcome) {
      case 'ok':
        return { tone: 'ok' as const, text: `${MARKS.pass} ${t('block.done', { duration: duration(item.durationMs) })}` };
      case 'expected-failure':
        return { tone: 'ok' as const, text: `${MARKS.pass} ${t('block.expectedFailure', { code: item.exitCode })}` };
      case 'unexpected-success':
        return { tone: 'error' as const, text: `${MARKS.fail} ${t('block.unexpectedSuccess')}` };
      case 'wrong-failure':
        return { tone: 'error' as const, text: `${MARKS.fail} ${t('block.wrongFailure', { code: item.exitCode })}` };
      case 'failed':
        return { tone: 'error' as const, text: `${MARKS.fail} ${t('block.failed', { code: item.exitCode ?? '-', duration: duration(item.durationMs) })}` };
      case 'timeout':
        return { tone: 'error' as const, text: `${MARKS.fail} ${t('block.timeout', { duration: duration(item.durationMs) })}` };
      case 'aborted':
        return { tone: 'warn' as const, text: `${MARKS.fail} ${t('block.aborted')}` };
    }
  })();
  return (
    <Box flexDirection="column" marginTop={1}>
      {wrapCodeLine([{ text: '$ ', style: { dim: true } }, ...highlightLine(first, 'bash')], columns - 1).map((part, i) => (
        <Spans key={i} spans={part} wrap="wrap" />
      ))}
      {more > 0 && <Paint dim>{t('block.moreLines', { count: more })}</Paint>}
      {item.dropped > 0 && <Paint dim>{t('block.dropped', { count: item.dropped })}</Paint>}
      {item.tail.flatMap((line, i) =>
        // Wrapped, never cut: the line a step asks you to read is often the longest.
        outputRows(line, columns - 1).map((row, j) => (
          <Paint key={`${i}-${j}`} bold={line.stream === 'command'} dim={line.stream === 'stdout'} tone={line.stream === 'stderr' && item.outcome !== 'expected-failure' ? 'warn' : line.stream === 'command' ? 'info' : undefined} wrap="truncate-end">
            {row}
          </Paint>
        )),
      )}
      <Paint tone={verdict.tone}>{verdict.text}</Paint>
    </Box>
  );
}

/** A check's status and one-line message; `detailed` adds expected vs actual, hint and table. */
export function CheckLine({ id, result, remainingMs, detailed }: { id: string; result?: CheckResult; remainingMs?: number; detailed?: boolean }) {
  const { t } = useTranslator();
  const status = result?.status ?? 'pending';
  // While a check waits, its latest verdict is news already: "not yet", and how long it keeps looking.
  const waiting = remainingMs !== undefined && result !== undefined;
  const message = waiting ? t('check.notYet', { message: result.message }) : (result?.message ?? t('check.checking'));
  const left = waiting ? t('check.waiting', { seconds: Math.ceil(remainingMs / 1000) }) : '';
  const failed = status === 'fail' || status === 'error';
  return (
    <Box flexDirection="column">
      <Text wrap={detailed ? 'wrap' : 'truncate-end'}>
        <Paint tone={markTone(status)}>{`${MARKS[status]} `}</Paint>
        <Paint bold>{id}</Paint>
        {`: ${message}${left}`}
        {status === 'skip' && !(result && notEvaluated(result)) && !/not applicable/i.test(message) && <Paint dim>{t('check.notApplicable')}</Paint>}
      </Text>
      {detailed && failed && result?.expected !== undefined && (
        <Box flexDirection="column" paddingLeft={4}>
          <Text>
            <Paint dim>{t('check.expected')}</Paint>
            <Paint tone="ok">{result.expected}</Paint>
          </Text>
          <Text>
            <Paint dim>{t('check.actual')}</Paint>
            <Paint tone="error">{result.actual ?? t('check.nothing')}</Paint>
          </Text>
        </Box>
      )}
      {detailed && result?.table && (
        <Box flexDirection="column" paddingLeft={4}>
          {tableLines(['', ...result.table.columns], result.table.rows.map((r) => [r.label, ...r.cells])).map((line, i) => (
            <Spans key={i} spans={line} wrap="truncate-end" />
          ))}
        </Box>
      )}
      {detailed && failed && result?.hint && (
        <Box paddingLeft={4}>
          <Paint tone="warn">{t('check.hint')}</Paint>
          <Box flexShrink={1}>
            <Spans spans={inlineSpans(result.hint).map((s) => ({ ...s, style: { color: 'yellow', ...s.style } }))} />
          </Box>
        </Box>
      )}
    </Box>
  );
}
