// Per-session gate budget (SPEC §7.4 Rule): `.aex/gate-budget/<sha256(session)>.json`
// = {sessionId, callsUsed, lastUpdated}, read and written only while holding an
// exclusive lock file created with O_EXCL. Claude Code may run several hooks at once
// (parallel tool calls, sub-agents), so read-modify-write without the lock would lose
// counts. If the lock cannot be had within 2 s the caller fails closed.

import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';

export const STALE_STATE_MS = 4 * 60 * 60 * 1000;
/** How long one owner may keep the lock before a waiter gives up (fails closed). */
export const LOCK_WAIT_MS = 2000;
/** Overall cap on waiting while the lock keeps changing hands (heavy contention). */
export const LOCK_TOTAL_WAIT_MS = 15_000;
/** A lock older than this is left over from a crashed process (a gate holds it for milliseconds). */
export const STALE_LOCK_MS = 10_000;

export interface BudgetState {
  sessionId: string;
  callsUsed: number;
  lastUpdated: string;
}

export class LockTimeoutError extends Error {
  constructor(lockPath: string) {
    super(`could not lock ${lockPath}: another process held it for ${LOCK_WAIT_MS / 1000} s`);
    this.name = 'LockTimeoutError';
  }
}

export function sessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

export function budgetDir(cwd: string): string {
  return path.join(cwd, '.aex', 'gate-budget');
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock at `lockPath` was left by a dead process or is far too old. */
function lockIsStale(lockPath: string): { stale: boolean; ino?: number } {
  let st;
  try {
    st = statSync(lockPath);
  } catch {
    return { stale: false };
  }
  if (Date.now() - st.mtimeMs > STALE_LOCK_MS) return { stale: true, ino: st.ino };
  let text = '';
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return { stale: false };
  }
  const pid = Number.parseInt(text, 10);
  // An empty file is a lock being created right now: not stale.
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !pidAlive(pid)) return { stale: true, ino: st.ino };
  return { stale: false };
}

/** Identity of the current lock holder: a new inode or mtime means the lock changed hands. */
function lockOwner(lockPath: string): string | null {
  try {
    const st = statSync(lockPath);
    return `${st.ino}:${st.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * Runs `fn` while holding `<dir>/<key>.lock` (created with O_EXCL). Retries with a
 * short randomised back-off and breaks locks whose owner is gone. It fails closed
 * (LockTimeoutError → exit 2, which blocks the call) when one owner has held the lock
 * for 2 s, or after 15 s of waiting in all: with many hooks at once the lock changes
 * hands often, and a waiter must not give up while the queue is moving.
 */
export function withSessionLock<T>(dir: string, key: string, fn: () => T): T {
  mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, `${key}.lock`);
  const start = Date.now();
  let owner: string | null = null;
  let ownerSince = start;
  let fd = -1;
  for (;;) {
    try {
      fd = openSync(lockPath, 'wx', 0o600);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const { stale, ino } = lockIsStale(lockPath);
    if (stale) {
      try {
        // Only remove the very file judged stale, not a fresh lock that replaced it.
        if (statSync(lockPath).ino === ino) unlinkSync(lockPath);
      } catch {
        /* someone else broke it first */
      }
      continue;
    }
    const now = Date.now();
    const current = lockOwner(lockPath);
    if (current !== owner) {
      owner = current;
      ownerSince = now;
    }
    if (now - ownerSince >= LOCK_WAIT_MS || now - start >= LOCK_TOTAL_WAIT_MS) throw new LockTimeoutError(lockPath);
    sleepSync(3 + Math.floor(Math.random() * 12));
  }
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      /* already gone: nothing to release */
    }
  }
}

/** Reads a session's state; a missing, unreadable, foreign or stale file starts at zero. */
export function readBudget(file: string, sessionId: string, now: number): BudgetState {
  const fresh: BudgetState = { sessionId, callsUsed: 0, lastUpdated: new Date(now).toISOString() };
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fresh;
    throw err;
  }
  let parsed: Partial<BudgetState>;
  try {
    parsed = JSON.parse(raw) as Partial<BudgetState>;
  } catch {
    // A corrupt file cannot be trusted to hold a low count; refuse rather than
    // silently resetting the budget — unless it has not been touched for 4 hours,
    // when the session would have started over anyway.
    if (now - statSync(file).mtimeMs > STALE_STATE_MS) return fresh;
    throw new Error(`corrupt budget state ${file}`);
  }
  // The file is named by the session's hash: a record of another session there was put
  // there by someone, and is refused rather than trusted or replaced (SPEC-2 §16.2).
  if (parsed.sessionId !== sessionId) throw new Error(`budget state ${file} does not belong to this session`);
  const last = Date.parse(String(parsed.lastUpdated));
  if (!Number.isFinite(last) || now - last > STALE_STATE_MS) return fresh;
  const used = parsed.callsUsed;
  if (typeof used !== 'number' || !Number.isInteger(used) || used < 0) throw new Error(`corrupt budget state ${file}`);
  return { sessionId, callsUsed: used, lastUpdated: String(parsed.lastUpdated) };
}

const RECORD = 512;

/**
 * Writes the state in place: one positional write of a record padded with spaces to
 * a whole number of 512-byte sectors, never truncating. Replacing the file (temp file
 * + rename, or truncate + write) makes ext4 flush the data on every call
 * (auto_da_alloc), which costs milliseconds per tool call; a single-sector write is
 * all-or-nothing in practice, and readers only ever run under the same lock.
 * The record never shrinks below what it overwrites: it is padded to a fixed size.
 */
export function writeBudget(file: string, state: BudgetState): void {
  const json = JSON.stringify(state);
  const size = Math.ceil((Buffer.byteLength(json) + 1) / RECORD) * RECORD;
  const buf = Buffer.alloc(size, 0x20);
  buf.write(json, 0, 'utf8');
  buf[size - 1] = 0x0a;
  let fd: number;
  try {
    fd = openSync(file, 'r+', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fd = openSync(file, 'wx', 0o600);
  }
  try {
    writeSync(fd, buf, 0, size, 0);
  } finally {
    closeSync(fd);
  }
}
