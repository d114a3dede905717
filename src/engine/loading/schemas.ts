import { z } from 'zod';
import { PROVIDER_NAMES } from '../types.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes, e.g. "deploy-nodejs"');
const provider = z.enum(PROVIDER_NAMES);

export const workshopSchema = z
  .object({
    id,
    title: z.string().min(1),
    description: z.string().default(''),
    lessons: z.array(z.string().min(1)).min(1, 'list at least one lesson folder'),
    /** Optional lessons after the core path: the home screen and `list` show them under "go further". */
    further: z.array(z.string().min(1)).default([]),
    variables: z.record(z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
    providers: z.array(provider).min(1).default(['local']),
    /** The title and description in other languages: `fr: { title, description }`. */
    translations: z.record(z.string().regex(/^[a-z]{2}$/, 'a two-letter language code, e.g. fr'), z.object({ title: z.string().min(1), description: z.string().default('') }).strict()).default({}),
  })
  .strict();

export const frontmatterSchema = z
  .object({
    id,
    title: z.string().min(1),
    minutes: z.number().int().positive(),
    requires: z.array(id).default([]),
    tools: z
      .array(
        z.union([
          z.string().min(1).transform((name) => ({ name })),
          z.object({ name: z.string().min(1), providers: z.array(provider).min(1).optional(), install: z.string().optional() }).strict(),
        ]),
      )
      .default([]),
    providers: z.array(provider).min(1).optional(),
    setup: z.string().optional(),
    cleanup: z.string().optional(),
    /** In a translation (lesson.fr.md): the hash of the lesson.md it was last reviewed against. */
    translatedFrom: z.string().optional(),
  })
  .strict();

export const checkEntrySchema = z
  .object({
    check: z.string().min(1),
    id: id.optional(),
    args: z.record(z.unknown()).default({}),
    timeout: z.number().positive().optional(),
    /** fail: the check must fail (negation). */
    expect: z.enum(['pass', 'fail']).optional(),
    providers: z.array(provider).min(1).optional(),
    /** Why `validate --prove` cannot see this check fail before its step (e.g. the cluster must already exist). */
    unprovable: z.string().min(10, 'say why the check cannot fail before its step').optional(),
  })
  .strict();

/** The ```yaml step``` block: kubelab's metadata for the step it sits in. */
export const stepMetaSchema = z
  .object({
    id: id.optional(),
    checks: z.array(checkEntrySchema).default([]),
    /**
     * A hint tied to a check (`{ text, check: CHECK-ID }`) is shown by itself only when that check
     * fails; one with `providers` only on those providers (an EKS console tip means nothing on local).
     */
    hints: z
      .array(z.union([z.string().min(1), z.object({ text: z.string().min(1), check: z.string().min(1).optional(), providers: z.array(provider).min(1).optional() }).strict()]))
      .default([]),
    challenge: z.boolean().default(false),
    setup: z.string().optional(),
    cleanup: z.string().optional(),
    /** Why this step's commands need no check; without it, lint warns. */
    unchecked: z.string().min(5, 'say why nothing checks this step').optional(),
  })
  .strict();

/** zod issues as one readable line each: "checks.0.args: Required". */
export function describeZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
}
