// HMAC seals over the audit chain. A seal line `audit.sealed {count, head, hmac}` commits to
// every line before it (through `head`, the hash of the line just before), so someone without
// the key cannot rewrite a log, or write a fresh valid-looking one, and keep its seals valid.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const SEAL_EVENT = 'audit.sealed';
/** A long run or session is sealed at least every this many lines. */
export const SEAL_EVERY = 1000;

/** The MAC of a seal: count (seq of the last covered line) and head (its hash), domain-separated. */
export function sealHmac(key: Buffer, count: number, head: string): string {
  return createHmac('sha256', key).update(`aex-audit-seal v1\n${count}\n${head}`).digest('hex');
}

/** Constant-time check of a seal's MAC. */
export function sealMatches(key: Buffer, count: number, head: string, hmac: unknown): boolean {
  if (typeof hmac !== 'string' || !/^[0-9a-f]{64}$/.test(hmac)) return false;
  const want = Buffer.from(sealHmac(key, count, head), 'hex');
  return timingSafeEqual(want, Buffer.from(hmac, 'hex'));
}

/** The seal event's fields for a chain whose last line has `seq` = count and hash `head`. */
export function sealFields(key: Buffer, count: number, head: string): { event: typeof SEAL_EVENT; count: number; head: string; hmac: string } {
  return { event: SEAL_EVENT, count, head, hmac: sealHmac(key, count, head) };
}
