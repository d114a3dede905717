import React, { useContext } from 'react';
import { Box, Text } from 'ink';
import { outputRows, wrapCodeLine } from '../code-lines.js';
import { notEvaluated, type CheckResult } from '../../engine/types.js';
import { highlightLine, inlineSpans, tableLines, wrapSpans } from '../markdown.js';
import type { TranscriptItem } from '../state.js';
import { Markdown } from './Markdown.js';
import { MARKS, markTone, Paint, Spans, WidthContext } from './styled.js';

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

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One finished thing, drawn once into the terminal's scrollback by <Static>. */
export function TranscriptEntry({ item }: { item: TranscriptItem }) {
  switch (item.kind) {
    case 'step':
      return (
        <Box flexDirection="column" marginTop={1}>
          <Paint tone="info" bold>
            {`━━ ${item.heading}${item.challenge ? '  [challenge]' : ''}`}
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
  const label = `Hint ${index + 1}/${total}: `;
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
  return (
    <Box flexDirection="column" marginTop={1}>
      <Paint tone="warn" bold>
        Solution:
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
  const first = item.code.split('\n')[0];
  const more = item.code.split('\n').length - 1;
  const verdict = (() => {
    switch (item.outcome) {
      case 'ok':
        return { tone: 'ok' as const, text: `${MARKS.pass} done (exit 0, ${seconds(item.durationMs)})` };
      case 'expected-failure':
        return { tone: 'ok' as const, text: `${MARKS.pass} failed as expected (exit ${item.exitCode}) — that is the point of this step` };
      case 'unexpected-success':
        return { tone: 'error' as const, text: `${MARKS.fail} succeeded, but this command should have been refused (exit 0)` };
      case 'wrong-failure':
        return { tone: 'error' as const, text: `${MARKS.fail} failed (exit ${item.exitCode}), but not with the error this step expects` };
      case 'failed':
        return { tone: 'error' as const, text: `${MARKS.fail} failed (exit ${item.exitCode ?? '-'}, ${seconds(item.durationMs)})` };
      case 'timeout':
        return { tone: 'error' as const, text: `${MARKS.fail} timed out after ${seconds(item.durationMs)}` };
      case 'aborted':
        return { tone: 'warn' as const, text: `${MARKS.fail} stopped (Ctrl-C)` };
    }
  })();
  return (
    <Box flexDirection="column" marginTop={1}>
      {wrapCodeLine([{ text: '$ ', style: { dim: true } }, ...highlightLine(first, 'bash')], columns - 1).map((part, i) => (
        <Spans key={i} spans={part} wrap="wrap" />
      ))}
      {more > 0 && <Paint dim>{`  (+${more} more line${more > 1 ? 's' : ''}: o shows each command and its output)`}</Paint>}
      {item.dropped > 0 && <Paint dim>{`  … ${item.dropped.toLocaleString('en-US')} earlier line(s) not shown`}</Paint>}
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
  const status = result?.status ?? 'pending';
  // While a check waits, its latest verdict is news already: "not yet", and how long it keeps looking.
  const waiting = remainingMs !== undefined && result !== undefined;
  const message = waiting ? `not yet: ${result.message}` : (result?.message ?? 'checking…');
  const left = waiting ? ` (waiting ${Math.ceil(remainingMs / 1000)} s)` : '';
  const failed = status === 'fail' || status === 'error';
  return (
    <Box flexDirection="column">
      <Text wrap={detailed ? 'wrap' : 'truncate-end'}>
        <Paint tone={markTone(status)}>{`${MARKS[status]} `}</Paint>
        <Paint bold>{id}</Paint>
        {`: ${message}${left}`}
        {status === 'skip' && !(result && notEvaluated(result)) && !/not applicable/i.test(message) && <Paint dim> (not applicable here)</Paint>}
      </Text>
      {detailed && failed && result?.expected !== undefined && (
        <Box flexDirection="column" paddingLeft={4}>
          <Text>
            <Paint dim>expected: </Paint>
            <Paint tone="ok">{result.expected}</Paint>
          </Text>
          <Text>
            <Paint dim>actual:   </Paint>
            <Paint tone="error">{result.actual ?? '(nothing)'}</Paint>
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
          <Paint tone="warn">hint: </Paint>
          <Box flexShrink={1}>
            <Spans spans={inlineSpans(result.hint).map((s) => ({ ...s, style: { color: 'yellow', ...s.style } }))} />
          </Box>
        </Box>
      )}
    </Box>
  );
}
