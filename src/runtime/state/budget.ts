// The budget ledger: how many calls a session has spent, shared by every surface that
// judges calls of one project (`aex gate` for each host, `aex serve`, `aex proxy`).
//
// One record per session, `<project state>/gate-budget/<sha256 of session id>.json`
// = {sessionId, callsUsed, lastUpdated}, read and written only under the session's lock
// (lock.ts). Sub-agents of a session send the same session id, and a git worktree has
// its main project's state folder (state-dir.ts), so both spend the same budget.
//
// A record that does not belong to its session, or cannot be read as one, is an error:
// a budget that cannot be trusted to hold a low count is refused, never started afresh.
// Only a record untouched for 4 hours starts over (a session that long idle is over).
//
// Imported by `aex gate` on every call: node built-ins only.

import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { withLockFile, type LockOptions } from './lock.js';
import { holdsLease, leaseResource, withLeasedLock, type LeaseOptions } from './lease.js';
import { AexError } from '../../errors.js';

export { LOCK_TOTAL_WAIT_MS, LOCK_WAIT_MS, LockError, LockTimeoutError, STALE_LOCK_MS, type LockOptions } from './lock.js';

export const STALE_STATE_MS = 4 * 60 * 60 * 1000;

export interface BudgetState {
  sessionId: string;
  callsUsed: number;
  lastUpdated: string;
}

/** A budget record that cannot be trusted: the call must be refused. */
export class BudgetRecordError extends AexError {
  override name = 'BudgetRecordError';
}

const sessionKeys = new Map<string, string>();

/** Hex SHA-256 of a session id: names the session's record and lock (remembered: a long-running surface asks for the same few sessions on every call). */
export function sessionKey(sessionId: string): string {
  let key = sessionKeys.get(sessionId);
  if (key === undefined) {
    key = createHash('sha256').update(sessionId).digest('hex');
    if (sessionKeys.size >= 1024) sessionKeys.clear();
    sessionKeys.set(sessionId, key);
  }
  return key;
}

/** `<project state>/gate-budget`: the folder of a project's budget records and session locks. */
export function ledgerDirectory(projectState: string): string {
  return path.join(projectState, 'gate-budget');
}

/** Where a session's lock and record are. */
interface SessionFiles {
  lock: string;
  record: string;
}

/** Per project state folder, per session id: asked for on every call, so no key is built per call. */
const sessionFilesCache = new Map<string, Map<string, SessionFiles>>();

/** The lock and record of `sessionId` in a project's state folder (joined once: a long-running surface asks on every call). */
function sessionFiles(projectState: string, sessionId: string): SessionFiles {
  let project = sessionFilesCache.get(projectState);
  if (project === undefined) {
    if (sessionFilesCache.size >= 64) sessionFilesCache.clear();
    project = new Map();
    sessionFilesCache.set(projectState, project);
  }
  let files = project.get(sessionId);
  if (files === undefined) {
    const base = path.join(ledgerDirectory(projectState), sessionKey(sessionId));
    files = { lock: `${base}.lock`, record: `${base}.json` };
    if (project.size >= 1024) project.clear();
    project.set(sessionId, files);
  }
  return files;
}

/** The record of `sessionId` in a project's state folder. */
export function budgetFile(projectState: string, sessionId: string): string {
  return sessionFiles(projectState, sessionId).record;
}

/**
 * Runs `fn` while holding the session's lock in the project's state folder. Everything
 * a surface writes for a session (ledger, audit) happens inside it, so concurrent calls
 * of one session never lose a count or reuse an audit sequence number.
 */
export function withSessionLedgerLock<T>(projectState: string, sessionId: string, fn: () => T, lock?: LockOptions, lease?: LeaseOptions): T {
  const lockPath = sessionFiles(projectState, sessionId).lock;
  // A long-running surface keeps the lock between its calls (lease.ts); a one-shot gate
  // process does not. A call of a process that holds the lease runs inside it.
  return lease !== undefined || holdsLease(lockPath) ? withLeasedLock(lockPath, fn, lock, lease) : withLockFile(lockPath, fn, lock);
}

/** AEX 1 shape of the lock: `<dir>/<key>.lock`. */
export function withSessionLock<T>(dir: string, key: string, fn: () => T, lock?: LockOptions): T {
  return withLockFile(path.join(dir, `${key}.lock`), fn, lock);
}

function corrupt(file: string, why: string): BudgetRecordError {
  return new BudgetRecordError(`corrupt budget state ${file}: ${why}; the session's calls are refused until it is removed`);
}

function unreadable(file: string, err: unknown): BudgetRecordError {
  return new BudgetRecordError(`cannot read budget state ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}

/** Reads a session's record: a missing or 4-hour-old one starts at zero; a foreign or malformed one throws. */
export function readBudget(file: string, sessionId: string, now: number): BudgetState {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return freshState(sessionId, now);
    throw unreadable(file, err);
  }
  return parseRecord(raw, file, sessionId, now);
}

function freshState(sessionId: string, now: number): BudgetState {
  return { sessionId, callsUsed: 0, lastUpdated: new Date(now).toISOString() };
}

/** A record's text as a session's state (see readBudget). */
function parseRecord(raw: string, file: string, sessionId: string, now: number): BudgetState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw corrupt(file, 'it is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw corrupt(file, 'it is not a JSON object');
  const rec = parsed as Record<string, unknown>;
  // The file is named by the session's hash: a record of another session there was put
  // there by someone, and is refused rather than trusted or replaced.
  if (rec.sessionId !== sessionId) throw new BudgetRecordError(`budget state ${file} does not belong to this session; the session's calls are refused until it is removed`);
  const used = rec.callsUsed;
  if (typeof used !== 'number' || !Number.isInteger(used) || used < 0) throw corrupt(file, 'callsUsed is not a non-negative integer');
  const last = typeof rec.lastUpdated === 'string' ? Date.parse(rec.lastUpdated) : Number.NaN;
  if (!Number.isFinite(last)) throw corrupt(file, 'lastUpdated is not a date');
  if (now - last > STALE_STATE_MS) return freshState(sessionId, now);
  return { sessionId, callsUsed: used, lastUpdated: rec.lastUpdated as string };
}

const RECORD = 512;

function recordBytes(state: BudgetState): Buffer {
  const json = JSON.stringify(state);
  const size = Math.ceil((Buffer.byteLength(json) + 1) / RECORD) * RECORD;
  const buf = Buffer.alloc(size, 0x20);
  buf.write(json, 0, 'utf8');
  buf[size - 1] = 0x0a;
  return buf;
}

/**
 * Writes a record. The first write creates it whole (temp file + rename), so a process
 * killed at any moment never leaves an empty or half record. Later writes overwrite it in
 * place with one positional write of a record padded to whole 512-byte sectors, never
 * truncating: replacing the file on every call makes ext4 flush data each time
 * (auto_da_alloc), which costs milliseconds per tool call, and a single-sector write is
 * all-or-nothing in practice. Callers hold the session's lock.
 */
export function writeBudget(file: string, state: BudgetState): void {
  const buf = recordBytes(state);
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    // Durable: a budget record lost in a crash would hand the session a fresh budget.
    writeFileAtomic(file, buf, { mode: 0o600, durable: true });
    return;
  }
  try {
    writeSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * The session's record file kept open for the rest of this process's lease on the session's
 * lock (lease.ts), or undefined without a lease or while there is no record yet. Nothing
 * else writes the record while the lock is held, so reading and writing through the kept
 * descriptor is reading and writing the record: two system calls a batch instead of seven.
 */
function keptRecord(files: SessionFiles): number | undefined {
  return leaseResource(
    files.lock,
    files.record,
    () => {
      try {
        return openSync(files.record, 'r+');
      } catch {
        // No record yet (or one that cannot be opened): the path-based read says which.
        return undefined;
      }
    },
    closeSync,
  );
}

/** Where records are read into: a record is one or two 512-byte sectors, read on every batch. */
const readBuffer = Buffer.alloc(4096);

function readWhole(fd: number): string {
  const n = readSync(fd, readBuffer, 0, readBuffer.length, 0);
  if (n < readBuffer.length) return readBuffer.toString('utf8', 0, n);
  // Longer than any record this code writes: read it whole all the same.
  const parts = [Buffer.from(readBuffer)];
  for (let at = n; ; ) {
    const buf = Buffer.alloc(readBuffer.length);
    const got = readSync(fd, buf, 0, buf.length, at);
    if (got > 0) parts.push(buf.subarray(0, got));
    at += got;
    if (got < buf.length) break;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Reads the session's record (as readBudget does). Callers hold the session's lock. */
export function readSessionBudget(projectState: string, sessionId: string, now: number): BudgetState {
  const files = sessionFiles(projectState, sessionId);
  const fd = keptRecord(files);
  if (fd === undefined) return readBudget(files.record, sessionId, now);
  let raw: string;
  try {
    raw = readWhole(fd);
  } catch (err) {
    throw unreadable(files.record, err);
  }
  return parseRecord(raw, files.record, sessionId, now);
}

/** Writes the session's record (as writeBudget does). Callers hold the session's lock. */
export function writeSessionBudget(projectState: string, state: BudgetState): void {
  const files = sessionFiles(projectState, state.sessionId);
  const fd = keptRecord(files);
  if (fd === undefined) return writeBudget(files.record, state);
  const buf = recordBytes(state);
  writeSync(fd, buf, 0, buf.length, 0);
}

/** What a surface's judge says about one call. */
export interface BudgetJudgement {
  /** Spend one call (allowed and confirmed calls); refusals cost nothing. */
  charge: boolean;
}

export interface SpendOutcome<J extends BudgetJudgement> {
  /** What the judge returned. */
  judged: J;
  /** Calls the session had spent before this one. */
  callsBefore: number;
  /** Calls spent after this one (callsBefore + 1 when charged). */
  callsAfter: number;
  /** Whether the call was charged (the judge said so and a limit is set). */
  charged: boolean;
}

export interface SpendOptions<J extends BudgetJudgement> {
  /** Runs under the same lock after the ledger is written: the surface's audit goes here. */
  record?: (outcome: SpendOutcome<J>) => void;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  lock?: LockOptions;
}

/**
 * The one entry every surface calls for a call of `sessionId` in a project (its state
 * folder `projectState`, from projectStateDirectory). Under the session's lock: reads the
 * calls spent, asks `judge(callsUsed)` for the decision, charges one call when the judge
 * says `charge` and `limit` is set, writes the ledger, then runs `record`. With no limit
 * nothing is read or written but the judge and `record` still run under the lock.
 * Throws (LockError, BudgetRecordError, write errors) when the ledger cannot be trusted
 * or updated: the surface must refuse the call.
 */
export function spendBudget<J extends BudgetJudgement>(
  projectState: string,
  sessionId: string,
  limit: number | undefined,
  judge: (callsUsed: number) => J,
  options: SpendOptions<J> = {},
): SpendOutcome<J> {
  const clock = options.now ?? Date.now;
  return withSessionLedgerLock(
    projectState,
    sessionId,
    () => {
      let outcome: SpendOutcome<J>;
      if (limit === undefined) {
        const judged = judge(0);
        outcome = { judged, callsBefore: 0, callsAfter: 0, charged: false };
      } else {
        const now = clock();
        const state = readSessionBudget(projectState, sessionId, now);
        const judged = judge(state.callsUsed);
        const charged = judged.charge === true;
        const callsAfter = state.callsUsed + (charged ? 1 : 0);
        if (charged) writeSessionBudget(projectState, { sessionId, callsUsed: callsAfter, lastUpdated: new Date(now).toISOString() });
        outcome = { judged, callsBefore: state.callsUsed, callsAfter, charged };
      }
      options.record?.(outcome);
      return outcome;
    },
    options.lock,
  );
}

/** The calls a session has spent (0 when it has no record), read under its lock. */
export function callsSpent(projectState: string, sessionId: string, now: number = Date.now()): number {
  return withSessionLedgerLock(projectState, sessionId, () => readSessionBudget(projectState, sessionId, now).callsUsed);
}
