/**
 * Colour in one place: NO_COLOR (or --no-color) turns every colour off here, while bold, dim and
 * the rest stay, as the NO_COLOR convention asks.
 */
import React, { createContext, useContext, type ReactNode } from 'react';
import { Text } from 'ink';
import type { Span, SpanStyle, Tone as SpanTone } from '../markdown.js';
import type { Tone } from '../state.js';

export const ColorContext = createContext(true);
/** The terminal's width as the app last heard it: text is wrapped to it (and again when it changes). */
export const WidthContext = createContext(80);

const TONES: Record<Tone, SpanTone> = { ok: 'green', error: 'red', warn: 'yellow', info: 'cyan' };

interface PaintProps extends SpanStyle {
  tone?: Tone;
  children?: ReactNode;
  wrap?: 'wrap' | 'truncate-end';
  inverse?: boolean;
}

/** Text with an optional colour that disappears when colour is off. */
export function Paint({ tone, color, children, wrap, ...style }: PaintProps) {
  const useColor = useContext(ColorContext);
  const resolved = color ?? (tone ? TONES[tone] : undefined);
  return (
    <Text
      color={useColor ? resolved : undefined}
      bold={style.bold}
      italic={style.italic}
      underline={style.underline}
      strikethrough={style.strikethrough}
      dimColor={style.dim}
      inverse={style.inverse}
      wrap={wrap}
    >
      {children}
    </Text>
  );
}

/** A line (or paragraph) of styled spans. */
export function Spans({ spans, wrap = 'wrap' }: { spans: Span[]; wrap?: 'wrap' | 'truncate-end' }) {
  return (
    <Text wrap={wrap}>
      {spans.map((span, i) => (
        <Paint key={i} {...span.style}>
          {span.text}
        </Paint>
      ))}
    </Text>
  );
}

export const MARKS = {
  pass: '✔',
  fail: '✘',
  error: '!',
  pending: '…',
  skip: '–',
} as const;

export function markTone(status: keyof typeof MARKS): Tone {
  return status === 'pass' ? 'ok' : status === 'fail' || status === 'error' ? 'error' : status === 'pending' ? 'warn' : 'info';
}
