import React, { useContext } from 'react';
import { Box, Text } from 'ink';
import { wrapCodeLine } from '../code-lines.js';
import { SHELL_LANGUAGES, tableLines, wrapSpans, type MdBlock, type Span } from '../markdown.js';
import { Paint, Spans, WidthContext } from './styled.js';
import { useTranslator } from '../i18n.js';

const isListish = (b: MdBlock | undefined) => b !== undefined && 'indent' in b && (b.indent > 0 || (b.kind === 'paragraph' && b.bullet !== undefined));

/** Draws the blocks `markdownBlocks` made; knows nothing of Markdown itself. */
export function Markdown({ blocks }: { blocks: MdBlock[] }) {
  return (
    <Box flexDirection="column">
      {blocks.map((block, i) => {
        const tight = i === 0 || (isListish(block) && isListish(blocks[i - 1]));
        return (
          <Box key={i} marginTop={tight ? 0 : 1} flexDirection="column">
            <MarkdownBlock block={block} />
          </Box>
        );
      })}
    </Box>
  );
}

/** Prose wrapped by us at the terminal's width (see wrapSpans), one Ink line per line. */
function Prose({ spans, width }: { spans: Span[]; width: number }) {
  return (
    <Box flexDirection="column">
      {wrapSpans(spans, Math.max(20, width)).map((line, i) => (
        <Spans key={i} spans={line.length ? line : [{ text: ' ' }]} wrap="truncate-end" />
      ))}
    </Box>
  );
}

function MarkdownBlock({ block }: { block: MdBlock }) {
  const { t } = useTranslator();
  const columns = useContext(WidthContext);
  switch (block.kind) {
    case 'heading':
      return (
        <Text bold>
          <Paint color="magenta" bold underline={block.depth <= 2}>
            {block.spans.map((s) => s.text).join('')}
          </Paint>
        </Text>
      );
    case 'paragraph':
      return (
        <Box paddingLeft={block.indent}>
          {block.bullet && <Paint tone="info">{block.bullet}</Paint>}
          <Box flexShrink={1}>
            <Prose spans={block.spans} width={columns - block.indent - (block.bullet?.length ?? 0) - 1} />
          </Box>
        </Box>
      );
    case 'quote':
      return (
        <Box paddingLeft={block.indent}>
          <Paint dim>│ </Paint>
          <Box flexShrink={1}>
            <Prose spans={block.spans} width={columns - block.indent - 3} />
          </Box>
        </Box>
      );
    case 'code':
      return (
        <Box paddingLeft={block.indent + 2} flexDirection="column">
          {block.lines.flatMap((line, i) =>
            wrapCodeLine(line.length ? line : [{ text: ' ' }], columns - block.indent - 3, SHELL_LANGUAGES.has(block.language)).map((part, j) => <Spans key={`${i}-${j}`} spans={part} wrap="wrap" />),
          )}
        </Box>
      );
    case 'hidden-commands':
      return (
        <Box paddingLeft={block.indent + 2}>
          <Paint tone="warn" italic>
            {t('step.hiddenChallenge', { count: block.count })}
          </Paint>
        </Box>
      );
    case 'table':
      return (
        <Box paddingLeft={block.indent + 2} flexDirection="column">
          {tableLines(block.header, block.rows, block.align, columns - block.indent - 3).map((line, i) => (
            <Spans key={i} spans={line} wrap="truncate-end" />
          ))}
        </Box>
      );
    case 'rule':
      return <Paint dim>{'─'.repeat(40)}</Paint>;
  }
}
