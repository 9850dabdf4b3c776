// A lock file kept between calls by a long-running process (`aex serve`, `aex proxy`).
//
// Creating and removing the session's lock file for every call is most of what a lone
// call costs those processes (a file created and unlinked in the ledger folder). A lease
// keeps the file while calls keep coming: it is released after `idleMs` without a call,
// after `maxHoldMs` however busy (so a gate process waiting for it gets its turn well
// within its 2 s owner limit), and when the process exits. Nothing read is cached across
// the calls of a lease — each call still reads the ledger record — but what a call opens
// may be kept open for the next (leaseResource: the record's file descriptor) and is closed
// when the lease ends. Before each call the lease checks that the lock file is still the
// one it created: if anything removed or replaced it, the lease is dropped (its resources
// closed) and the lock taken again, never assumed.
//
// A process killed while holding a lease leaves a lock file naming a dead pid, which the
// next taker breaks as stale (lock.ts), as after any crash under a lock.

import { acquireLockFile, lockFileIdentity, releaseLockFile, type LockOptions } from './lock.js';

export interface LeaseOptions {
  /** Release after this long without a call (default 5 ms). */
  idleMs?: number;
  /** Release after holding it this long, however busy (default 100 ms). */
  maxHoldMs?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

interface Lease {
  /** The lock file this process created (lockFileIdentity). */
  identity: string;
  since: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Set while `fn` runs: a nested call of the same lock must not release it underneath. */
  busy: boolean;
  /** What calls of this lease keep open (leaseResource), closed when it ends. */
  resources: Map<string, { value: unknown; close: (value: unknown) => void }>;
}

/** Closes what a lease kept open; a close that fails leaves nothing to undo. */
function closeResources(lease: Lease): void {
  for (const r of lease.resources.values()) {
    try {
      r.close(r.value);
    } catch {
      /* already closed */
    }
  }
  lease.resources.clear();
}

const leases = new Map<string, Lease>();
let exitHookInstalled = false;

/** Releases every lease this process holds (at exit, and for tests). */
export function releaseAllLeases(): void {
  for (const [lockPath, lease] of leases) {
    if (lease.timer !== undefined) clearTimeout(lease.timer);
    closeResources(lease);
    releaseLockFile(lockPath, lease.identity);
  }
  leases.clear();
}

function release(lockPath: string, lease: Lease): void {
  if (leases.get(lockPath) !== lease) return;
  if (lease.timer !== undefined) clearTimeout(lease.timer);
  leases.delete(lockPath);
  closeResources(lease);
  releaseLockFile(lockPath, lease.identity);
}

/** How many leases this process holds now (for tests). */
export function heldLeases(): number {
  return leases.size;
}

/**
 * Whether this process holds a lease on `lockPath`: a call that would take the lock
 * without one must run inside the lease instead, or it would wait for its own process.
 */
export function holdsLease(lockPath: string): boolean {
  return leases.has(lockPath);
}

/**
 * Runs `fn` while holding the lock file `lockPath`, kept afterwards as a lease (see the
 * header). Throws LockError as withLockFile does when the lock cannot be had.
 */
export function withLeasedLock<T>(lockPath: string, fn: () => T, lock: LockOptions = {}, options: LeaseOptions = {}): T {
  const clock = options.now ?? Date.now;
  const idleMs = options.idleMs ?? 5;
  const maxHoldMs = options.maxHoldMs ?? 100;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', releaseAllLeases);
  }
  let lease = leases.get(lockPath);
  if (lease !== undefined && !lease.busy && lockFileIdentity(lockPath) !== lease.identity) {
    // Removed or replaced under the lease: someone else may hold it now. Take it afresh.
    if (lease.timer !== undefined) clearTimeout(lease.timer);
    leases.delete(lockPath);
    closeResources(lease);
    lease = undefined;
  }
  if (lease === undefined) {
    lease = { identity: acquireLockFile(lockPath, lock), since: clock(), timer: undefined, busy: false, resources: new Map() };
    leases.set(lockPath, lease);
  } else if (lease.timer !== undefined) {
    clearTimeout(lease.timer);
    lease.timer = undefined;
  }
  const nested = lease.busy;
  lease.busy = true;
  let ok = false;
  try {
    const result = fn();
    ok = true;
    return result;
  } finally {
    if (!nested) {
      lease.busy = false;
      // After a failure nothing is kept: the next call starts from a fresh lock.
      if (!ok || clock() - lease.since >= maxHoldMs) release(lockPath, lease);
      else {
        const held = lease;
        held.timer = setTimeout(() => release(lockPath, held), idleMs);
        held.timer.unref?.();
      }
    }
  }
}

/**
 * Inside a call of the lease on `lockPath` (withLeasedLock's `fn`): the resource `key` this
 * lease already opened, or the one `open` returns now, kept until the lease ends and then
 * passed to `close`. Undefined when this process holds no lease on `lockPath` (the caller
 * works without keeping anything) or when `open` returns undefined (nothing to keep yet).
 */
export function leaseResource<T>(lockPath: string, key: string, open: () => T | undefined, close: (value: T) => void): T | undefined {
  const lease = leases.get(lockPath);
  if (lease === undefined || !lease.busy) return undefined;
  const kept = lease.resources.get(key);
  if (kept !== undefined) return kept.value as T;
  const value = open();
  if (value !== undefined) lease.resources.set(key, { value, close: close as (value: unknown) => void });
  return value;
}
