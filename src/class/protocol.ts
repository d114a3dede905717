/**
 * What a learner's kubelab tells the class server, and what the server answers.
 *
 * Privacy is by construction: a class event has fields for where the learner is and how their
 * checks went, and nothing else. Every object is strict, so a body that carries command output,
 * environment or anything unexpected is rejected (4xx), never stored.
 */
import { z } from 'zod';
import { isSafeText } from './safe-text.js';

export const LIMITS = {
  /** A check's one-line message, after the client cut it. */
  message: 200,
  title: 120,
  id: 128,
  name: 40,
  eventsPerBatch: 100,
  /** Request bodies above this are refused with 413 before they are parsed. */
  bodyBytes: 64 * 1024,
} as const;

export const API = {
  join: '/v1/join',
  events: '/v1/events',
  me: '/v1/me',
  status: '/v1/status',
} as const;

/** Carries `<learnerId>.<learnerSecret>` next to the class token in `Authorization`. */
export const LEARNER_HEADER = 'x-kubelab-learner';

const text = (max: number) =>
  z
    .string()
    .max(max, `longer than ${max} characters`)
    .refine(isSafeText, 'contains control characters');
const id = text(LIMITS.id).pipe(z.string().min(1, 'empty'));
const epochMs = z.number().int().nonnegative();
const durationMs = z.number().int().nonnegative().max(7 * 24 * 3600 * 1000);
const at = { lessonId: id, stepId: id };

/** A random id per event, so a retried batch is stored once. */
const eventId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not an event id');
const envelope = { id: eventId, at: epochMs };

export const ClassEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lesson-started'), ...envelope, lessonId: id, title: text(LIMITS.title) }).strict(),
  z
    .object({ type: z.literal('lesson-finished'), ...envelope, lessonId: id, status: z.enum(['passed', 'failed', 'skipped']), durationMs })
    .strict(),
  z.object({ type: z.literal('step-started'), ...envelope, ...at, title: text(LIMITS.title) }).strict(),
  z.object({ type: z.literal('step-finished'), ...envelope, ...at, status: z.enum(['passed', 'failed', 'skipped', 'caught-up']), durationMs }).strict(),
  z
    .object({
      type: z.literal('check'),
      ...envelope,
      ...at,
      checkId: id,
      outcome: z.enum(['passed', 'failed', 'error']),
      message: text(LIMITS.message),
    })
    .strict(),
  z.object({ type: z.literal('hint-revealed'), ...envelope, ...at, index: z.number().int().nonnegative().max(100) }).strict(),
  z.object({ type: z.literal('solution-shown'), ...envelope, ...at }).strict(),
]);
export type ClassEvent = z.infer<typeof ClassEventSchema>;
export type ClassEventType = ClassEvent['type'];

/** `sentAt` is the learner's clock when sending; the server uses it to correct clock skew. */
export const EventBatchSchema = z
  .object({
    sentAt: epochMs,
    events: z.array(ClassEventSchema).min(1, 'no events').max(LIMITS.eventsPerBatch, `more than ${LIMITS.eventsPerBatch} events`),
  })
  .strict();
export type EventBatch = z.infer<typeof EventBatchSchema>;

export const JoinRequestSchema = z.object({ name: text(LIMITS.name).pipe(z.string().trim().min(1, 'empty')) }).strict();
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

export const JoinResponseSchema = z.object({
  className: z.string(),
  learnerId: z.string(),
  learnerSecret: z.string(),
});
export type JoinResponse = z.infer<typeof JoinResponseSchema>;

export const BatchResponseSchema = z.object({ accepted: z.number(), duplicates: z.number() });
export type BatchResponse = z.infer<typeof BatchResponseSchema>;

/** The first problem in a zod error, as a reason a client developer can act on. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid body';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'body';
  if (issue.code === 'unrecognized_keys') return `${path}: unexpected field(s) ${issue.keys.join(', ')}`;
  return `${path}: ${issue.message}`;
}
