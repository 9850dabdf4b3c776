// Group commit for the budget ledger: several calls of ONE session judged under ONE
// acquisition of the session's lock, with the ledger written once and the calls' audit
// records handed to ONE write. A long-running surface (`aex serve`, `aex proxy`) that
// receives many calls of a session at once pays the lock (create, write, close, unlink)
// and the audit append once per batch instead of once per call.
//
// Nothing about a single call changes: calls are judged one after another in the order
// they were submitted, each sees the count its predecessors in the batch left (exactly
// what spendBudget would show it had they run one by one), each is charged, recorded and
// only then answered. What a gate process writes is read here and the other way round:
// the lock, the record and its format are those of budget.ts.
//
// Fail closed: when the lock cannot be had, the ledger cannot be written or the batch's
// records cannot be written, every call of the batch is refused (its promise rejects or
// its result carries the error); a call whose own judge or records throw is refused alone.
//
// Imported by long-running surfaces only; node built-ins only.

import { readSessionBudget, withSessionLedgerLock, writeSessionBudget, type BudgetJudgement, type BudgetState, type LockOptions, type SpendOutcome } from './budget.js';
import type { LeaseOptions } from './lease.js';

/** One call of a batch. */
export interface LedgerCall<J extends BudgetJudgement, R> {
  /** The call's `budget calls=N` (undefined: no limit; the call is never charged and its judge sees 0, as with spendBudget). */
  limit: number | undefined;
  /** Decides the call from the calls the session has spent before it (earlier calls of the batch included). */
  judge: (callsUsed: number) => J;
  /** The call's audit records given its outcome (may be empty); written with the whole batch's in one write. */
  records: (outcome: SpendOutcome<J>) => R[];
}

/** What became of one call of a batch: its outcome, or why it is refused. */
export type LedgerCallResult<J extends BudgetJudgement> = { ok: true; outcome: SpendOutcome<J> } | { ok: false; error: Error };

export interface BatchOptions {
  /** Clock in ms (default Date.now), read once per batch. */
  now?: () => number;
  lock?: LockOptions;
  /** Keep the session's lock between batches (lease.ts): for long-running surfaces only. */
  lease?: LeaseOptions;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * Judges `calls` of `sessionId` in order under one acquisition of the session's lock in
 * the project's state folder `projectState`: the ledger is read at most once and written
 * at most once, and `write` receives every record of the batch, in call order, once (not
 * at all when there are none), still under the lock. Returns one result per call, in
 * order; never throws for a call's sake: when the lock, the ledger write or `write` fails,
 * every result carries that error and nothing of the batch counts as recorded.
 */
export function spendBudgetBatch<J extends BudgetJudgement, R>(
  projectState: string,
  sessionId: string,
  calls: readonly LedgerCall<J, R>[],
  write: (records: R[]) => void,
  options: BatchOptions = {},
): LedgerCallResult<J>[] {
  if (calls.length === 0) return [];
  const clock = options.now ?? Date.now;
  try {
    return withSessionLedgerLock(
      projectState,
      sessionId,
      () => {
        const now = clock();
        // Read only when a call has a limit, as spendBudget does; a record that cannot be
        // trusted refuses the calls that need it and leaves calls without a limit alone.
        let ledger: { used: number } | { error: Error } | undefined;
        const ledgerNow = (): { used: number } | { error: Error } => {
          if (ledger === undefined) {
            try {
              ledger = { used: readSessionBudget(projectState, sessionId, now).callsUsed };
            } catch (err) {
              ledger = { error: asError(err) };
            }
          }
          return ledger;
        };
        let charges = 0;
        const results: LedgerCallResult<J>[] = [];
        const records: R[] = [];
        for (const call of calls) {
          try {
            let outcome: SpendOutcome<J>;
            if (call.limit === undefined) {
              outcome = { judged: call.judge(0), callsBefore: 0, callsAfter: 0, charged: false };
            } else {
              const l = ledgerNow();
              if ('error' in l) throw l.error;
              const judged = call.judge(l.used);
              const charged = judged.charge === true;
              outcome = { judged, callsBefore: l.used, callsAfter: l.used + (charged ? 1 : 0), charged };
              if (charged) {
                l.used++;
                charges++;
              }
            }
            records.push(...call.records(outcome));
            results.push({ ok: true, outcome });
          } catch (err) {
            // A charge already counted stays counted: a refused call may cost, never the reverse.
            results.push({ ok: false, error: asError(err) });
          }
        }
        if (charges > 0 && ledger !== undefined && 'used' in ledger) {
          const state: BudgetState = { sessionId, callsUsed: ledger.used, lastUpdated: new Date(now).toISOString() };
          writeSessionBudget(projectState, state);
        }
        if (records.length > 0) write(records);
        return results;
      },
      options.lock,
      options.lease,
    );
  } catch (err) {
    const error = asError(err);
    return calls.map(() => ({ ok: false, error }));
  }
}

/** Where a submitted call's batch goes: one session, one sink for its records. */
export interface BatchTarget<R> {
  projectState: string;
  sessionId: string;
  /** Calls are grouped by projectState, sessionId and this key (e.g. the audit file); default ''. */
  key?: string;
  /** Writes one batch's records (one audit append); calls with the same grouping must pass an equivalent one. */
  write: (records: R[]) => void;
}

export interface BatcherOptions extends BatchOptions {
  /** Runs a flush later (default setImmediate: after the I/O already received has been read). */
  schedule?: (flush: () => void) => void;
}

interface Pending {
  call: LedgerCall<BudgetJudgement, unknown>;
  resolve: (o: SpendOutcome<BudgetJudgement>) => void;
  reject: (e: Error) => void;
}

interface Queue {
  target: BatchTarget<unknown>;
  pending: Pending[];
}

/**
 * Queues calls per session and judges each session's queue as one batch
 * (spendBudgetBatch) on the next flush. Calls submitted while a batch is being judged
 * (or whose promises resolve meanwhile) join the next batch of their session. A call's
 * promise resolves after the batch's records are written, and rejects with the reason it
 * is refused.
 */
export class LedgerBatcher {
  private queues = new Map<string, Queue>();
  private scheduled = false;
  /** Batches judged and calls in them since start (tests, the bench). */
  readonly stats = { batches: 0, calls: 0, largest: 0 };

  constructor(private readonly options: BatcherOptions = {}) {}

  submit<J extends BudgetJudgement, R>(target: BatchTarget<R>, call: LedgerCall<J, R>): Promise<SpendOutcome<J>> {
    const key = `${target.projectState}\0${target.sessionId}\0${target.key ?? ''}`;
    return new Promise<SpendOutcome<J>>((resolve, reject) => {
      let q = this.queues.get(key);
      if (q === undefined) {
        q = { target: target as BatchTarget<unknown>, pending: [] };
        this.queues.set(key, q);
      }
      q.pending.push({ call: call as unknown as LedgerCall<BudgetJudgement, unknown>, resolve: resolve as (o: SpendOutcome<BudgetJudgement>) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        (this.options.schedule ?? setImmediate)(() => this.flush());
      }
    });
  }

  /** Judges every queued batch now (normally called by the scheduler). */
  flush(): void {
    this.scheduled = false;
    const queues = this.queues;
    this.queues = new Map();
    for (const q of queues.values()) {
      const { projectState, sessionId, write } = q.target;
      let results: LedgerCallResult<BudgetJudgement>[];
      try {
        results = spendBudgetBatch(projectState, sessionId, q.pending.map((p) => p.call), write, this.options);
      } catch (err) {
        // spendBudgetBatch does not throw; should it ever, nothing of the batch is answered as allowed.
        const error = asError(err);
        results = q.pending.map(() => ({ ok: false, error }));
      }
      this.stats.batches++;
      this.stats.calls += q.pending.length;
      this.stats.largest = Math.max(this.stats.largest, q.pending.length);
      q.pending.forEach((p, i) => {
        const r = results[i]!;
        if (r.ok) p.resolve(r.outcome);
        else p.reject(r.error);
      });
    }
  }
}
