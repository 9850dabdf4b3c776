// The seal of a paused thread: a digest of everything a resume continues from — the
// thread's record (contract and permissions hashes, launch record) and its saved state
// (scopes, loops, the call waiting for its confirmation, budget used, audit sequence, the
// node to run next). With a key it is an HMAC, so a checkpoint file edited by anyone
// without the key (a rewritten pending call, a reset budget) is refused by `aex resume`;
// without a key it is a plain SHA-256, which catches a careless edit but not a
// deliberate one (whoever can edit the file can recompute it).

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ThreadRecord } from './store.js';

export interface SealedState {
  values: Record<string, unknown>;
  next: readonly string[];
}

const SEALED_CHANNELS = ['irHash', 'inputs', 'scopes', 'loops', 'pending', 'callsUsed', 'seq', 'halt'] as const;

function sealedText(rec: Pick<ThreadRecord, 'threadId' | 'irHash' | 'permsHash' | 'launch'>, state: SealedState): string {
  const values: Record<string, unknown> = {};
  for (const k of SEALED_CHANNELS) values[k] = state.values[k] ?? null;
  return JSON.stringify({ thread: rec.threadId, irHash: rec.irHash, permsHash: rec.permsHash, launch: rec.launch, values, next: [...state.next] });
}

export function threadSeal(rec: Pick<ThreadRecord, 'threadId' | 'irHash' | 'permsHash' | 'launch'>, state: SealedState, key?: Buffer): string {
  const text = sealedText(rec, state);
  if (key !== undefined) return `hmac-sha256:${createHmac('sha256', key).update(text).digest('hex')}`;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Why the recorded seal does not vouch for this state, or undefined when it does. */
export function sealProblem(rec: ThreadRecord, state: SealedState, key?: Buffer): string | undefined {
  const recorded = rec.seal;
  if (recorded === undefined) return 'the thread carries no seal of its saved state';
  const keyed = recorded.startsWith('hmac-sha256:');
  if (keyed && key === undefined) return 'the thread was sealed with a key; give the same --audit-key-file (or AEX_AUDIT_KEY_FILE) to resume it';
  if (!keyed && key !== undefined) return 'a key is configured but the thread carries no keyed seal';
  const want = Buffer.from(threadSeal(rec, state, key));
  const got = Buffer.from(recorded);
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    return keyed
      ? 'its saved state (pending call, scopes, budget) or launch record does not match its seal: the checkpoint file was changed or the key is not the one it was sealed with'
      : 'its saved state (pending call, scopes, budget) or launch record does not match its seal: the checkpoint file was changed';
  }
  return undefined;
}
