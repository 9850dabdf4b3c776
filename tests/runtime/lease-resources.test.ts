// What a lease keeps open between its calls (the budget record's descriptor): kept only while
// the lease lasts, closed whenever it ends, and never a way to lose or hide a count.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { leaseResource, releaseAllLeases, withLeasedLock } from '../../src/runtime/state/lease.js';
import { budgetFile, readBudget, spendBudget, withSessionLedgerLock } from '../../src/runtime/state/budget.js';
import { spendBudgetBatch } from '../../src/runtime/state/budget-batch.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'aex-lease-res-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  releaseAllLeases();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = Date.parse('2026-06-01T12:00:00Z');
const charge = (n: number, limit = 100) => Array.from({ length: n }, () => ({ limit, judge: () => ({ charge: true }), records: () => [] as never[] }));

describe('leaseResource', () => {
  it('is undefined outside a lease, opened once per lease, and closed when the lease ends', () => {
    const lock = path.join(tempDir(), 's.lock');
    const opened: number[] = [];
    const closed: number[] = [];
    let next = 0;
    const open = () => (opened.push(++next), next);
    expect(leaseResource(lock, 'r', open, (v) => closed.push(v))).toBeUndefined();
    const seen: Array<number | undefined> = [];
    for (let i = 0; i < 3; i++) withLeasedLock(lock, () => seen.push(leaseResource(lock, 'r', open, (v) => closed.push(v))), {}, { idleMs: 10_000 });
    expect(seen).toEqual([1, 1, 1]);
    expect(closed).toEqual([]);
    releaseAllLeases();
    expect(closed).toEqual([1]);
  });

  it('is closed when a call of the lease throws, and opened afresh for the next lease', () => {
    const lock = path.join(tempDir(), 's.lock');
    const closed: number[] = [];
    let next = 0;
    const use = () => leaseResource(lock, 'r', () => ++next, (v) => closed.push(v));
    expect(() => withLeasedLock(lock, () => {
      use();
      throw new Error('boom');
    }, {}, { idleMs: 10_000 })).toThrow('boom');
    expect(closed).toEqual([1]);
    expect(withLeasedLock(lock, use, {}, { idleMs: 10_000 })).toBe(2);
  });

  it('is closed when the lock file was replaced under the lease', () => {
    const lock = path.join(tempDir(), 's.lock');
    const closed: number[] = [];
    let next = 0;
    const use = () => leaseResource(lock, 'r', () => ++next, (v) => closed.push(v));
    withLeasedLock(lock, use, {}, { idleMs: 10_000 });
    // Removed under the lease: the next call takes the lock afresh and opens anew.
    unlinkSync(lock);
    expect(withLeasedLock(lock, use, {}, { idleMs: 10_000 })).toBe(2);
    expect(closed).toEqual([1]);
  });

  it('is closed after the maximum hold', () => {
    const lock = path.join(tempDir(), 's.lock');
    const closed: number[] = [];
    let t = 0;
    const opts = { idleMs: 10_000, maxHoldMs: 100, now: () => t };
    withLeasedLock(lock, () => leaseResource(lock, 'r', () => 7, (v) => closed.push(v)), {}, opts);
    t = 150;
    withLeasedLock(lock, () => leaseResource(lock, 'r', () => 7, (v) => closed.push(v)), {}, opts);
    expect(closed).toEqual([7]);
  });
});

describe('the budget record under a lease', () => {
  it('a leased batch writes the true count where a gate reads it, from the first record on', () => {
    const state = tempDir();
    // No record yet: the first batch creates it, the next ones go through the kept descriptor.
    for (let i = 0; i < 4; i++) spendBudgetBatch(state, 's1', charge(3), () => {}, { now: () => NOW, lease: { idleMs: 10_000 } });
    // What a gate process would read by path, while the lease is still held.
    expect(readBudget(budgetFile(state, 's1'), 's1', NOW).callsUsed).toBe(12);
    releaseAllLeases();
    expect(JSON.parse(readFileSync(budgetFile(state, 's1'), 'utf8')).callsUsed).toBe(12);
  });

  it('a count written by another process between two leases is read, not the one this process last wrote', () => {
    const state = tempDir();
    spendBudgetBatch(state, 's2', charge(2), () => {}, { now: () => NOW, lease: { idleMs: 10_000 } });
    releaseAllLeases();
    // A gate process charges 5 more between the proxy's leases.
    writeFileSync(budgetFile(state, 's2'), JSON.stringify({ sessionId: 's2', callsUsed: 7, lastUpdated: new Date(NOW).toISOString() }));
    const [r] = spendBudgetBatch(state, 's2', charge(1), () => {}, { now: () => NOW, lease: { idleMs: 10_000 } });
    expect(r).toMatchObject({ ok: true, outcome: { callsBefore: 7, callsAfter: 8 } });
  });

  it('a call of this process that spends inside the lease sees the batch count and the batch sees its charge', () => {
    const state = tempDir();
    spendBudgetBatch(state, 's3', charge(2), () => {}, { now: () => NOW, lease: { idleMs: 10_000 } });
    // spendBudget of the same process runs inside the held lease (holdsLease), on the same record.
    const one = spendBudget(state, 's3', 100, () => ({ charge: true }), { now: () => NOW });
    expect(one.callsAfter).toBe(3);
    const [r] = spendBudgetBatch(state, 's3', charge(1), () => {}, { now: () => NOW, lease: { idleMs: 10_000 } });
    expect(r).toMatchObject({ ok: true, outcome: { callsBefore: 3, callsAfter: 4 } });
  });

  it('a corrupt record is still refused through the kept descriptor', () => {
    const state = tempDir();
    spendBudgetBatch(state, 's4', charge(1), () => {}, { now: () => NOW, lease: { idleMs: 10_000 } });
    spendBudgetBatch(state, 's4', charge(1), () => {}, { now: () => NOW, lease: { idleMs: 10_000 } });
    // Damaged in place (same file, so the kept descriptor sees it).
    withSessionLedgerLock(state, 's4', () => writeFileSync(budgetFile(state, 's4'), 'not json'.padEnd(512)));
    const [r] = spendBudgetBatch(state, 's4', charge(1), () => {}, { now: () => NOW, lease: { idleMs: 10_000 } });
    expect(r).toMatchObject({ ok: false });
    expect((r as { error: Error }).error.message).toMatch(/corrupt budget state/);
  });
});
