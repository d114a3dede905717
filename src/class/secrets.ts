import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * 256 bits, URL-safe: a class token, an instructor token or a learner secret. Never starting with
 * "-": pasted after `--token`, such a token reads as an option and the join line fails (1 in 64).
 */
export function newToken(): string {
  for (;;) {
    const token = randomBytes(32).toString('base64url');
    if (!token.startsWith('-')) return token;
  }
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Constant time whatever the presented value's length: both sides are hashed to 32 bytes first,
 * so neither the content nor the length of the secret leaks through timing.
 */
export function tokenMatches(presented: string | undefined, expectedHash: Buffer): boolean {
  const actual = hashToken(presented ?? '');
  return timingSafeEqual(actual, expectedHash) && presented !== undefined && presented.length > 0;
}
