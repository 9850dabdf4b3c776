// An exclusive lock file (created with O_EXCL) that a waiter never spins on.
//
// Several hook processes of one session run at once (parallel tool calls, sub-agents,
// `aex serve` and the proxy beside the gate), so the budget ledger and the audit are
// read and written only while holding this lock. Waiting sleeps (Atomics.wait) between
// attempts. Whatever the lock cannot get past — a lock path that is a directory, a
// folder it cannot write, a stale lock it cannot delete, one owner holding it too long —
// ends in a LockError with the path and the reason, which every surface turns into a
// refusal (the gate exits 2). Nothing here loops without sleeping or without a deadline.
//
// Imported by `aex gate` on every call: node built-ins only.

import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AexError } from '../../errors.js';

/** How long one owner may keep the lock before a waiter gives up (fails closed). */
export const LOCK_WAIT_MS = 2000;
/** Overall cap on waiting while the lock keeps changing hands (heavy contention). */
export const LOCK_TOTAL_WAIT_MS = 15_000;
/** A lock older than this is left over from a crashed process (a holder keeps it for milliseconds). */
export const STALE_LOCK_MS = 10_000;

export interface LockOptions {
  /** Give up when one owner has held the lock this long (default LOCK_WAIT_MS). */
  ownerWaitMs?: number;
  /** Give up after waiting this long in all (default LOCK_TOTAL_WAIT_MS). */
  totalWaitMs?: number;
  /** A lock file older than this is stale (default STALE_LOCK_MS). */
  staleLockMs?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
  /** Sleeps `ms` without using the CPU (tests inject one). */
  sleep?: (ms: number) => void;
  /** Whether process `pid` still runs (tests inject one). */
  pidAlive?: (pid: number) => boolean;
}

/** The lock could not be had: the caller must refuse, never go on without it. */
export class LockError extends AexError {
  readonly lockPath: string;
  constructor(lockPath: string, reason: string) {
    super(`could not lock ${lockPath}: ${reason}`);
    this.name = 'LockError';
    this.lockPath = lockPath;
  }
}

/** Kept for callers that catch the timeout by name. */
export class LockTimeoutError extends LockError {
  constructor(lockPath: string, reason: string) {
    super(lockPath, reason);
    this.name = 'LockTimeoutError';
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread for `ms` without burning CPU. */
export function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function defaultPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

function describeFsError(err: unknown): string {
  switch (errCode(err)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'ENOTDIR':
      return 'a parent of it is not a directory';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return (err as Error).message;
  }
}

interface Holder {
  /** Identity of the lock file: a new inode or mtime means the lock changed hands. */
  id: string;
  ino: number;
  stale: boolean;
}

/** What holds the lock now; null when it vanished meanwhile. Throws for a lock path that is no lock file. */
function inspect(lockPath: string, now: number, o: Required<Pick<LockOptions, 'staleLockMs' | 'pidAlive'>>): Holder | null {
  let st;
  try {
    st = lstatSync(lockPath);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return null;
    throw new LockError(lockPath, describeFsError(err));
  }
  if (!st.isFile()) {
    throw new LockError(lockPath, `the lock path is ${st.isDirectory() ? 'a directory' : 'not a regular file'}; remove it by hand`);
  }
  const id = `${st.ino}:${st.mtimeMs}`;
  if (now - st.mtimeMs > o.staleLockMs) return { id, ino: st.ino, stale: true };
  let text = '';
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return { id, ino: st.ino, stale: false };
  }
  const pid = Number.parseInt(text, 10);
  // An empty file is a lock being created right now: not stale.
  const dead = Number.isInteger(pid) && pid > 0 && pid !== process.pid && !o.pidAlive(pid);
  return { id, ino: st.ino, stale: dead };
}

/** Removes the stale lock `ino`; a lock that cannot be removed is a LockError (never a retry loop). */
function breakStale(lockPath: string, ino: number): void {
  try {
    // Only the very file judged stale, not a fresh lock that replaced it.
    if (lstatSync(lockPath).ino !== ino) return;
    unlinkSync(lockPath);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return;
    throw new LockError(lockPath, `a stale lock is left and cannot be removed (${describeFsError(err)}); remove it by hand`);
  }
}

/**
 * Takes the lock file `lockPath` (its folder is created): waits with short sleeps while
 * another process holds it, breaks locks whose owner is gone, and throws LockError when it
 * cannot have the lock within the limits. Returns the identity of the lock file it created
 * (lockFileIdentity).
 */
export function acquireLockFile(lockPath: string, options: LockOptions = {}): string {
  const o = {
    ownerWaitMs: options.ownerWaitMs ?? LOCK_WAIT_MS,
    totalWaitMs: options.totalWaitMs ?? LOCK_TOTAL_WAIT_MS,
    staleLockMs: options.staleLockMs ?? STALE_LOCK_MS,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? sleepSync,
    pidAlive: options.pidAlive ?? defaultPidAlive,
  };
  const dir = path.dirname(lockPath);
  // The folder is made only when the lock cannot be created for want of it: on every later
  // call it exists, and a mkdir per call is a system call a busy surface need not make.
  let madeDir = false;
  const makeDir = () => {
    madeDir = true;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new LockError(lockPath, `cannot create the folder ${dir} (${describeFsError(err)})`);
    }
  };
  const start = o.now();
  let owner: string | null = null;
  let ownerSince = start;
  let fd = -1;
  for (;;) {
    try {
      fd = openSync(lockPath, 'wx', 0o600);
      break;
    } catch (err) {
      if (errCode(err) === 'ENOENT' && !madeDir) {
        makeDir();
        continue;
      }
      if (errCode(err) !== 'EEXIST') throw new LockError(lockPath, describeFsError(err));
    }
    const now = o.now();
    const holder = inspect(lockPath, now, o);
    if (holder?.stale) {
      breakStale(lockPath, holder.ino);
    } else if (holder !== null) {
      if (holder.id !== owner) {
        owner = holder.id;
        ownerSince = now;
      }
      if (now - ownerSince >= o.ownerWaitMs) throw new LockTimeoutError(lockPath, `another process held it for ${o.ownerWaitMs / 1000} s`);
    }
    if (now - start >= o.totalWaitMs) throw new LockTimeoutError(lockPath, `waited ${o.totalWaitMs / 1000} s while it kept changing hands`);
    // Every path through the loop sleeps: a lock that keeps reappearing can never make it spin.
    o.sleep(2 + Math.floor(Math.random() * 10));
  }
  let identity: string;
  try {
    writeSync(fd, String(process.pid));
    identity = fileIdentity(fstatSync(fd, { bigint: true }));
  } catch (err) {
    closeSync(fd);
    try {
      unlinkSync(lockPath);
    } catch {
      /* nothing more to undo */
    }
    throw new LockError(lockPath, describeFsError(err));
  }
  closeSync(fd);
  return identity;
}

/**
 * Which lock file this is: inode and change time in nanoseconds. The inode alone is not
 * enough, since a file system hands a freed inode number to the next file created.
 */
export function fileIdentity(st: { ino: bigint; ctimeNs: bigint }): string {
  return `${st.ino}:${st.ctimeNs}`;
}

/** The identity of the lock file at `lockPath` now, or undefined when there is none. */
export function lockFileIdentity(lockPath: string): string | undefined {
  try {
    return fileIdentity(lstatSync(lockPath, { bigint: true }));
  } catch {
    return undefined;
  }
}

/** Removes the lock file `lockPath`; given `identity`, only if it is still that file. */
export function releaseLockFile(lockPath: string, identity?: string): void {
  try {
    if (identity !== undefined && lockFileIdentity(lockPath) !== identity) return;
    unlinkSync(lockPath);
  } catch {
    /* already gone: nothing to release */
  }
}

/** Runs `fn` while holding the lock file `lockPath`, taken for this call and removed after it. */
export function withLockFile<T>(lockPath: string, fn: () => T, options: LockOptions = {}): T {
  acquireLockFile(lockPath, options);
  try {
    return fn();
  } finally {
    releaseLockFile(lockPath);
  }
}
