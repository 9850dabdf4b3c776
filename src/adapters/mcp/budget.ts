// The proxy's call budget behind one small interface, so the relay does not care whether
// the count lives in this process or in the project session's ledger shared with other
// proxies and the gate.

import { readSessionBudget, spendBudget, withSessionLedgerLock, writeSessionBudget } from '../../runtime/state/budget.js';
import { spendBudgetBatch } from '../../runtime/state/budget-batch.js';

export interface CallBudget {
  /** Calls charged so far in this budget's session. */
  used(): number;
  /**
   * Charges one call if `stillAllowed(usedNow)` says the call may proceed at the count
   * as it is at the moment of charging (another proxy may have spent since the call was
   * judged). Returns the count after charging, or undefined when it was not charged.
   */
  charge(stillAllowed: (usedNow: number) => boolean): number | undefined;
  /**
   * Charges several calls at once, in order, each as `charge` would (every one sees the
   * count its predecessors left), with one lock on a shared ledger for all of them. One
   * result per call: the count after charging it, undefined when it was not charged, or
   * the error that keeps it from running (the ledger could not be read, locked or written).
   */
  chargeAll(stillAllowed: ReadonlyArray<(usedNow: number) => boolean>): Array<number | undefined | Error>;
  /** `aex.resume`: the count never goes down. */
  raiseTo(used: number): void;
}

/** A budget held by this proxy alone. */
export function memoryBudget(start = 0): CallBudget {
  let n = start;
  return {
    used: () => n,
    charge: (ok) => (ok(n) ? ++n : undefined),
    chargeAll: (oks) => oks.map((ok) => (ok(n) ? ++n : undefined)),
    raiseTo: (u) => void (n = Math.max(n, u)),
  };
}

/**
 * A budget in the project session's ledger (src/runtime/state/budget.ts), shared by every
 * proxy and gate that use the same session id: three proxied servers share one
 * `budget calls=N`. The count a call is judged at may be stale (another proxy may have
 * spent meanwhile); `charge` re-judges under the ledger's lock with the true count, so
 * the limit holds across processes. A ledger that cannot be read or locked throws, and
 * the relay refuses the call.
 */
export function ledgerBudget(projectState: string, sessionId: string, limit: number, opts: { now?: () => number } = {}): CallBudget {
  const clock = opts.now ?? Date.now;
  let known = 0;
  return {
    used: () => known,
    charge(stillAllowed) {
      const outcome = spendBudget(projectState, sessionId, limit, (usedNow) => ({ charge: stillAllowed(usedNow) }), { now: clock });
      known = outcome.callsAfter;
      return outcome.charged ? outcome.callsAfter : undefined;
    },
    chargeAll(oks) {
      // The ledger's group commit: one lock, one read and at most one write for the batch.
      // The audit is the proxy's own file, written by the relay once the batch is charged.
      const calls = oks.map((ok) => ({ limit, judge: (usedNow: number) => ({ charge: ok(usedNow) }), records: () => [] as never[] }));
      // The proxy is long-running: it keeps the session's lock between batches (lease.ts)
      // rather than creating and removing the lock file for every call.
      const results = spendBudgetBatch(projectState, sessionId, calls, () => {}, { now: clock, lease: {} });
      return results.map((r) => {
        if (!r.ok) return r.error;
        known = Math.max(known, r.outcome.callsAfter);
        return r.outcome.charged ? r.outcome.callsAfter : undefined;
      });
    },
    raiseTo(used) {
      withSessionLedgerLock(projectState, sessionId, () => {
        const now = clock();
        const state = readSessionBudget(projectState, sessionId, now);
        if (used > state.callsUsed) writeSessionBudget(projectState, { sessionId, callsUsed: used, lastUpdated: new Date(now).toISOString() });
        known = Math.max(state.callsUsed, used);
      });
    },
  };
}

/**
 * The session a proxy's budget belongs to: `AEX_SESSION_ID` when the host (or the user)
 * sets it, else the host process that started this proxy, which every MCP server of one
 * agent session shares (hosts start each server as their own child).
 */
export function proxySessionId(env: NodeJS.ProcessEnv = process.env, parentPid: number = process.ppid): string {
  const explicit = env.AEX_SESSION_ID;
  if (typeof explicit === 'string' && explicit !== '') return explicit;
  return `mcp-host-process:${parentPid}`;
}
