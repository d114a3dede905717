/** The class this learner joined, kept in `stateDir()/class.json` (mode 0600: it holds secrets). */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/running/atomic.js';
import { stateDir } from '../paths.js';

const MembershipSchema = z.object({
  version: z.literal(1),
  url: z.string().url(),
  className: z.string(),
  name: z.string(),
  learnerId: z.string(),
  learnerSecret: z.string(),
  classToken: z.string(),
  joinedAt: z.number(),
});
export type ClassMembership = z.infer<typeof MembershipSchema>;

export function membershipPath(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'class.json');
}

export function outboxDir(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'class-outbox');
}

/** Synchronous because the app asks once at start-up; a missing or damaged file means "not joined". */
export function readMembership(env: NodeJS.ProcessEnv): ClassMembership | undefined {
  let text: string;
  try {
    text = readFileSync(membershipPath(env), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = MembershipSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeMembership(env: NodeJS.ProcessEnv, membership: ClassMembership): Promise<void> {
  await writeFileAtomic(membershipPath(env), `${JSON.stringify(membership, null, 2)}\n`, 0o600);
}

export async function removeMembership(env: NodeJS.ProcessEnv): Promise<void> {
  await rm(membershipPath(env), { force: true });
  await rm(outboxDir(env), { recursive: true, force: true });
}
