// Group commit on the budget ledger (src/runtime/state/budget-batch.ts): calls of one session
// judged in order under one lock, one ledger write and one records write per batch, the same
// ledger as spendBudget (a gate process), and every call refused when the batch cannot be
// committed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetFile, callsSpent, ledgerDirectory, sessionKey, spendBudget } from '../../src/runtime/state/budget.js';
import { LedgerBatcher, spendBudgetBatch, type LedgerCall } from '../../src/runtime/state/budget-batch.js';

const TMP = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-batch-')));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = path.join(TMP, `p${++n}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const lockOf = (state: string, sid: string) => path.join(ledgerDirectory(state), `${sessionKey(sid)}.lock`);

/** A call allowed while the session has spent fewer than `limit`; its record names it and its outcome. */
const underLimit = (name: string, limit: number | undefined, seen: number[] = []): LedgerCall<{ charge: boolean; allowed: boolean }, string> => ({
  limit,
  judge: (used) => {
    seen.push(used);
    const allowed = limit === undefined || used < limit;
    return { charge: allowed, allowed };
  },
  records: (o) => [`${name}:${o.judged.allowed ? 'allow' : 'deny'}:${o.callsAfter}`],
});

describe('spendBudgetBatch', () => {
  it('judges in order, each call seeing the count its predecessors left; one ledger write, one records write', () => {
    const state = fresh();
    const writes: string[][] = [];
    const seen: number[] = [];
    const results = spendBudgetBatch(state, 's', [underLimit('a', 2, seen), underLimit('b', 2, seen), underLimit('c', 2, seen)], (r) => {
      // Still under the session's lock, after the ledger is written.
      expect(existsSync(lockOf(state, 's'))).toBe(true);
      expect(JSON.parse(readFileSync(budgetFile(state, 's'), 'utf8')).callsUsed).toBe(2);
      writes.push(r);
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(results.map((r) => r.ok && [r.outcome.callsBefore, r.outcome.callsAfter, r.outcome.charged])).toEqual([
      [0, 1, true],
      [1, 2, true],
      [2, 2, false],
    ]);
    expect(writes).toEqual([['a:allow:1', 'b:allow:2', 'c:deny:2']]);
    expect(existsSync(lockOf(state, 's'))).toBe(false);
    expect(callsSpent(state, 's')).toBe(2);
  });

  it('shares the ledger with spendBudget (the gate) both ways', () => {
    const state = fresh();
    spendBudget(state, 's', 3, () => ({ charge: true }));
    const batch = spendBudgetBatch(state, 's', [underLimit('a', 3), underLimit('b', 3), underLimit('c', 3)], () => {});
    expect(batch.map((r) => r.ok && r.outcome.judged.allowed)).toEqual([true, true, false]);
    // The gate now finds the limit reached.
    expect(spendBudget(state, 's', 3, (used) => ({ charge: used < 3 })).charged).toBe(false);
    expect(callsSpent(state, 's')).toBe(3);
  });

  it('with no limit reads and writes no ledger, and its judge sees 0 as with spendBudget', () => {
    const state = fresh();
    const seen: number[] = [];
    const writes: string[][] = [];
    const r = spendBudgetBatch(state, 's', [underLimit('a', undefined, seen), underLimit('b', undefined, seen)], (x) => writes.push(x));
    expect(seen).toEqual([0, 0]);
    expect(r.every((x) => x.ok && !x.outcome.charged)).toBe(true);
    expect(existsSync(budgetFile(state, 's'))).toBe(false);
    expect(writes).toEqual([['a:allow:0', 'b:allow:0']]);
  });

  it('does not call write when no call has records', () => {
    const state = fresh();
    let called = false;
    spendBudgetBatch(state, 's', [{ limit: 1, judge: () => ({ charge: true }), records: () => [] }], () => (called = true));
    expect(called).toBe(false);
    expect(callsSpent(state, 's')).toBe(1);
  });

  it('refuses every call when the lock cannot be had, and writes nothing', () => {
    const state = fresh();
    mkdirSync(ledgerDirectory(state), { recursive: true });
    // A live holder (this very process) that never lets go.
    writeFileSync(lockOf(state, 's'), String(process.pid));
    let clock = 0;
    let wrote = false;
    const r = spendBudgetBatch(state, 's', [underLimit('a', 5), underLimit('b', undefined)], () => (wrote = true), {
      lock: { now: () => clock, sleep: (ms) => void (clock += ms), ownerWaitMs: 50, totalWaitMs: 100 },
    });
    expect(r.map((x) => x.ok)).toEqual([false, false]);
    expect(r.every((x) => !x.ok && /could not lock/.test(x.error.message))).toBe(true);
    expect(wrote).toBe(false);
    expect(existsSync(budgetFile(state, 's'))).toBe(false);
  });

  it('refuses every call when the records cannot be written', () => {
    const state = fresh();
    const r = spendBudgetBatch(state, 's', [underLimit('a', 5), underLimit('b', 5)], () => {
      throw new Error('disk full');
    });
    expect(r).toEqual([
      { ok: false, error: new Error('disk full') },
      { ok: false, error: new Error('disk full') },
    ]);
    // The lock is released all the same.
    expect(existsSync(lockOf(state, 's'))).toBe(false);
  });

  it('refuses every call when the ledger cannot be written', () => {
    const state = fresh();
    mkdirSync(budgetFile(state, 's'), { recursive: true }); // a directory where the record goes
    const r = spendBudgetBatch(state, 's', [underLimit('a', 5), underLimit('b', undefined)], () => {});
    // The record cannot even be read: the limited call is refused; then nothing is charged and
    // the call without a limit stands.
    expect(r.map((x) => x.ok)).toEqual([false, true]);
  });

  it('refuses the limited calls on a record it cannot trust, and lets calls without a limit through', () => {
    const state = fresh();
    mkdirSync(ledgerDirectory(state), { recursive: true });
    writeFileSync(budgetFile(state, 's'), JSON.stringify({ sessionId: 'someone-else', callsUsed: 0, lastUpdated: new Date().toISOString() }));
    const writes: string[][] = [];
    const r = spendBudgetBatch(state, 's', [underLimit('a', 5), underLimit('b', undefined), underLimit('c', 5)], (x) => writes.push(x));
    expect(r.map((x) => x.ok)).toEqual([false, true, false]);
    expect(!r[0]!.ok && r[0]!.error.message).toMatch(/does not belong to this session/);
    expect(writes).toEqual([['b:allow:0']]);
    // The foreign record is left as it was.
    expect(JSON.parse(readFileSync(budgetFile(state, 's'), 'utf8')).sessionId).toBe('someone-else');
  });

  it('refuses a call whose judge or records throw, alone', () => {
    const state = fresh();
    const boom: LedgerCall<{ charge: boolean; allowed: boolean }, string> = { limit: 5, judge: () => { throw new Error('judge failed'); }, records: () => [] };
    const badRecords: LedgerCall<{ charge: boolean; allowed: boolean }, string> = { ...underLimit('x', 5), records: () => { throw new Error('no records'); } };
    const writes: string[][] = [];
    const r = spendBudgetBatch(state, 's', [underLimit('a', 5), boom, badRecords, underLimit('b', 5)], (x) => writes.push(x));
    expect(r.map((x) => (x.ok ? 'ok' : x.error.message))).toEqual(['ok', 'judge failed', 'no records', 'ok']);
    // The call whose records failed was charged before they failed: a refused call may cost, never the reverse.
    expect(r[3]!.ok && r[3]!.outcome.callsBefore).toBe(2);
    expect(writes).toEqual([['a:allow:1', 'b:allow:3']]);
  });
});

describe('LedgerBatcher', () => {
  const manual = () => {
    const runs: (() => void)[] = [];
    return { schedule: (f: () => void) => void runs.push(f), run: () => runs.splice(0).forEach((f) => f()), pending: () => runs.length };
  };

  it('groups the calls of each session submitted before a flush into one batch, and answers after the write', async () => {
    const state = fresh();
    const sched = manual();
    const b = new LedgerBatcher({ schedule: sched.schedule });
    const written: string[][] = [];
    const target = (sid: string) => ({ projectState: state, sessionId: sid, write: (r: string[]) => written.push(r) });
    const order: string[] = [];
    const ps = [b.submit(target('s1'), underLimit('a', 2)), b.submit(target('s2'), underLimit('x', 2)), b.submit(target('s1'), underLimit('b', 2)), b.submit(target('s1'), underLimit('c', 2))].map((p, i) =>
      p.then((o) => (order.push(`answer${i}:${written.length}`), o)),
    );
    expect(sched.pending()).toBe(1);
    expect(written).toEqual([]);
    sched.run();
    const outs = await Promise.all(ps);
    expect(written).toEqual([['a:allow:1', 'b:allow:2', 'c:deny:2'], ['x:allow:1']]);
    expect(outs.map((o) => o.judged.allowed)).toEqual([true, true, true, false]);
    // Every answer came after both writes of the flush.
    expect(order.every((o) => o.endsWith(':2'))).toBe(true);
    expect(b.stats).toEqual({ batches: 2, calls: 4, largest: 3 });
    expect(callsSpent(state, 's1')).toBe(2);
  });

  it('puts a call submitted while a batch is answered into the next batch', async () => {
    const state = fresh();
    const sched = manual();
    const b = new LedgerBatcher({ schedule: sched.schedule });
    const written: string[][] = [];
    const target = { projectState: state, sessionId: 's', write: (r: string[]) => written.push(r) };
    let second: Promise<unknown> | undefined;
    const first = b.submit(target, underLimit('a', 5)).then(() => {
      second = b.submit(target, underLimit('b', 5));
    });
    sched.run();
    await first;
    expect(written).toEqual([['a:allow:1']]);
    expect(sched.pending()).toBe(1);
    sched.run();
    await second;
    expect(written).toEqual([['a:allow:1'], ['b:allow:2']]);
  });

  it('rejects every call of a batch whose records cannot be written; other sessions are not affected', async () => {
    const state = fresh();
    const b = new LedgerBatcher();
    const bad = { projectState: state, sessionId: 'bad', write: () => { throw new Error('EIO'); } };
    const good = { projectState: state, sessionId: 'good', write: () => {} };
    const results = await Promise.allSettled([b.submit(bad, underLimit('a', 5)), b.submit(good, underLimit('b', 5)), b.submit(bad, underLimit('c', undefined))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('EIO');
  });

  it('keeps batches apart by key (e.g. two audit files of one session)', async () => {
    const state = fresh();
    const b = new LedgerBatcher();
    const w1: string[][] = [];
    const w2: string[][] = [];
    await Promise.all([
      b.submit({ projectState: state, sessionId: 's', key: 'one', write: (r: string[]) => w1.push(r) }, underLimit('a', 5)),
      b.submit({ projectState: state, sessionId: 's', key: 'two', write: (r: string[]) => w2.push(r) }, underLimit('b', 5)),
    ]);
    expect(w1).toEqual([['a:allow:1']]);
    expect(w2.length).toBe(1);
    expect(callsSpent(state, 's')).toBe(2);
  });
});
