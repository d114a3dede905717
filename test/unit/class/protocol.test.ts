import { describe, expect, it } from 'vitest';
import { ClassEventSchema, EventBatchSchema, LIMITS, describeIssue } from '../../../src/class/protocol.js';
import { safeText } from '../../../src/class/safe-text.js';

const check = { type: 'check', id: 'abcdefgh1234', at: 1, lessonId: 'l', stepId: 's', checkId: 'c', outcome: 'failed', message: '0/3 ready' };

describe('class protocol', () => {
  it('Given a check event, when it carries only its fields, then it is accepted', () => {
    expect(ClassEventSchema.safeParse(check).success).toBe(true);
  });

  it.each([
    ['command output', { output: 'secret stuff' }],
    ['the environment', { env: { AWS_SECRET_ACCESS_KEY: 'x' } }],
    ['another learner', { learnerId: 'someone-else' }],
  ])('Given a check event carrying %s, when it is validated, then it is refused naming the field', (_, extra) => {
    const result = ClassEventSchema.safeParse({ ...check, ...extra });
    expect(result.success).toBe(false);
    expect(describeIssue(result.error!)).toContain(Object.keys(extra)[0]);
  });

  it('Given a message longer than the limit or with terminal escapes, when it is validated, then it is refused', () => {
    expect(ClassEventSchema.safeParse({ ...check, message: 'x'.repeat(LIMITS.message + 1) }).success).toBe(false);
    expect(ClassEventSchema.safeParse({ ...check, message: 'x'.repeat(LIMITS.message) }).success).toBe(true);
    expect(ClassEventSchema.safeParse({ ...check, message: 'red \u001b[31m' }).success).toBe(false);
  });

  it('Given a batch of more events than allowed, when it is validated, then it is refused', () => {
    const events = Array.from({ length: LIMITS.eventsPerBatch + 1 }, (_, i) => ({ ...check, id: `event-${String(i).padStart(6, '0')}` }));
    expect(EventBatchSchema.safeParse({ sentAt: 1, events }).success).toBe(false);
    expect(EventBatchSchema.safeParse({ sentAt: 1, events: events.slice(1) }).success).toBe(true);
  });
});

describe('safeText', () => {
  it('Given text with ANSI, OSC, control and bidi characters, when made safe, then only the visible text remains on one line', () => {
    const hostile = '\u001b[2J\u001b[Hal\u001b]0;pwned\u0007ice\r\n\u202eevil\u0000 \u009b31m';
    expect(safeText(hostile, 100)).toBe('alice evil');
  });

  it('Given text longer than the limit, when made safe, then it is cut with an ellipsis at exactly the limit', () => {
    const cut = safeText('a'.repeat(50), 10);
    expect(cut).toBe(`${'a'.repeat(9)}…`);
    expect(cut).toHaveLength(10);
  });
});

describe('safeText and emoji', () => {
  it('Given emoji right at the cut, when made safe, then no half of a surrogate pair is left', () => {
    const cut = safeText(`${'a'.repeat(8)}😀😀😀`, 10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
  });
});
