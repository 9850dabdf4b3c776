// The bearer token of `aex serve`: compared in constant time, so the time an answer takes
// says nothing about how much of a guessed token was right.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Both sides hashed first: equal lengths for timingSafeEqual, whatever was sent. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** tokenMatches(expected, ·) with the expected token hashed once, for a server that checks every request. */
export function tokenMatcher(expected: string): (given: string | undefined) => boolean {
  const a = createHash('sha256').update(expected).digest();
  return (given) => given !== undefined && timingSafeEqual(a, createHash('sha256').update(given).digest());
}

/** `Authorization: Bearer X` → X. */
export function bearerOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer ([^\s]+)$/.exec(header.trim());
  return m ? m[1] : undefined;
}

/** The token in `file`; a missing file is created with a new random token (mode 0600). */
export function loadOrCreateToken(file: string): string {
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token === '') throw new Error(`token file ${file} is empty`);
    return token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(32).toString('hex');
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
  return token;
}
