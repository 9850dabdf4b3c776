// The gated calls of the relay, judged in batches: every call that arrives in one read of
// the client's input (an agent with 64 calls in flight sends them together) is described,
// judged, charged, audited and forwarded together — one look at the grants, one lock of a
// shared budget ledger, one audit write and one write to the upstream for the batch —
// while each call is still judged in the order it came, sees the budget its predecessors
// left, is recorded before anything of the batch is forwarded, and is refused when
// anything on its way fails. A single call is a batch of one and waits for no timer.

import type { EffectivePermissions } from '../../rules/types.js';
import type { DescribedCall } from '../../describe/types.js';
import type { AuditEventData, CallDecision } from '../../runtime/kernel/types.js';
import { decideCall } from '../../runtime/kernel/decide.js';
import type { KernelGrant } from '../../runtime/kernel/grants.js';
import type { DescribeInput } from '../../runtime/steps/describe.js';
import type { ProxyAudit } from './audit.js';
import type { CallBudget } from './budget.js';
import type { JsonRpcMessage } from './endpoint.js';
import { describeInputOf, judge, refusalReply, type GatedCall, type Judgement } from './enforce.js';
import { errorMessage, INTERNAL_ERROR } from './framing.js';
import type { CallHistory } from './meta.js';

/** A call the kernel let through (directly or after a confirmation), not yet charged. */
export interface GoingAhead {
  call: GatedCall;
  decision: CallDecision;
  described: DescribedCall;
  /** The calls used the verdict was reached at. */
  judgedAt: number;
}

export interface CallPipelineOptions {
  perms: EffectivePermissions;
  autoConfirm: boolean;
  protect?: readonly string[];
  grants?: () => KernelGrant[];
  budget: CallBudget;
  audit: ProxyAudit;
  history: CallHistory;
  describe(input: DescribeInput): Promise<DescribedCall>;
  /** Whether the person can be asked now. */
  canAsk(): boolean;
  /** Asks the person about a call the kernel wants confirmed; the judgement after their answer. */
  confirm(call: GatedCall, decision: CallDecision): Promise<Judgement>;
  /** Sends a message to the client (undefined: nothing to send). */
  reply(message: JsonRpcMessage | undefined): void;
  /** Why a call cannot be forwarded now (no upstream), or undefined when it can. */
  unavailable(): string | undefined;
  /** Sends a charged call on to the upstream. */
  forward(call: GatedCall): void;
  /** Runs a meta-tool in the proxy (no budget, nothing forwarded). */
  runMeta(call: GatedCall, decision: CallDecision): Promise<void>;
  /** Every call submitted so far is forwarded, refused or failed. */
  onIdle(): void;
}

const FAILED_TEXT = 'AEX could not judge this call; it was not run.';

export class CallPipeline {
  private arriving: GatedCall[] = [];
  private unsettled = 0;

  constructor(private readonly opts: CallPipelineOptions) {}

  /** Calls submitted and not yet forwarded, refused or failed. */
  get busy(): number {
    return this.unsettled;
  }

  /**
   * Takes one call. Calls submitted in the same turn (one read of the client's input) are
   * judged as one batch, right after the code that submits them has run.
   */
  submit(call: GatedCall): void {
    this.unsettled++;
    this.arriving.push(call);
    if (this.arriving.length === 1) queueMicrotask(this.judgeArrived);
  }

  private readonly judgeArrived = (): void => {
    const batch = this.arriving;
    this.arriving = [];
    void this.judgeBatch(batch)
      .catch((err: unknown) => {
        // judgeBatch settles every call itself; this is a last resort that still fails closed.
        for (const call of batch) this.failed(call, err);
      })
      .finally(() => {
        this.unsettled -= batch.length;
        if (this.unsettled === 0) this.opts.onIdle();
      });
  };

  private async judgeBatch(batch: GatedCall[]): Promise<void> {
    const o = this.opts;
    const described = await Promise.all(batch.map((c) => o.describe(describeInputOf(c)).then((d) => ({ d }), (err: unknown) => ({ err }))));
    const confirming: Promise<void>[] = [];
    const ahead: GoingAhead[] = [];
    const judgedAt = o.budget.used();
    let grants: KernelGrant[] | undefined;
    // Refusals and confirmation requests of the batch go into the audit with one write too.
    const refusals: Array<JsonRpcMessage | undefined> = [];
    o.audit.hold();
    try {
      batch.forEach((call, i) => {
        const r = described[i]!;
        if ('err' in r) return this.failed(call, r.err);
        try {
          grants ??= o.grants?.() ?? [];
          const j = judge(o.perms, call, r.d, { callsUsed: judgedAt, autoConfirm: o.autoConfirm, canAsk: o.canAsk(), grants, ...(o.protect ? { protect: o.protect } : {}) });
          if (j.kind === 'refuse') {
            refusals.push(this.refused(call, j));
            return;
          }
          for (const e of j.events) o.audit.emit(e);
          if (j.kind === 'confirm') confirming.push(this.afterConfirmation(call, j.decision, r.d, judgedAt));
          else ahead.push({ call, decision: j.decision, described: r.d, judgedAt });
        } catch (err) {
          this.failed(call, err);
        }
      });
    } finally {
      this.releaseAudit(ahead);
    }
    for (const m of refusals) o.reply(m);
    this.proceed(ahead);
    await Promise.all(confirming);
  }

  private async afterConfirmation(call: GatedCall, decision: CallDecision, described: DescribedCall, judgedAt: number): Promise<void> {
    try {
      const j = await this.opts.confirm(call, decision);
      this.opts.audit.hold();
      let reply: JsonRpcMessage | undefined;
      const ahead: GoingAhead[] = [];
      try {
        if (j.kind === 'refuse') reply = this.refused(call, j);
        else {
          for (const e of j.events) this.opts.audit.emit(e);
          ahead.push({ call, decision: j.decision, described, judgedAt });
        }
      } finally {
        this.releaseAudit(ahead);
      }
      this.opts.reply(reply);
      this.proceed(ahead);
    } catch (err) {
      this.failed(call, err);
    }
  }

  /** Audits a refusal; returns the reply, to be sent once the audit is written. */
  private refused(call: GatedCall, j: Extract<Judgement, { kind: 'refuse' }>): JsonRpcMessage | undefined {
    for (const e of j.events) this.opts.audit.emit(e);
    this.opts.history.record(call.tool, 'block', j.reason);
    return j.reply;
  }

  /**
   * Writes the audit held for a batch. When that fails, no call of the batch goes ahead:
   * each is answered as failed (and `ahead` is emptied).
   */
  private releaseAudit(ahead: GoingAhead[]): void {
    try {
      this.opts.audit.release();
    } catch (err) {
      for (const a of ahead.splice(0)) this.failed(a.call, err);
    }
  }

  /** The calls go ahead: meta-tools run here, the others are charged together and forwarded. */
  private proceed(ahead: GoingAhead[]): void {
    if (ahead.length === 0) return;
    const o = this.opts;
    const toCharge: GoingAhead[] = [];
    for (const a of ahead) {
      if (a.call.meta) {
        // A meta-tool runs in the proxy: nothing is forwarded and no budget is spent.
        void o.runMeta(a.call, a.decision).catch((err: unknown) => this.failed(a.call, err));
        continue;
      }
      const why = o.unavailable();
      // Not a refusal but a failure: the call cannot run, so it costs nothing.
      if (why !== undefined) {
        if (a.call.id !== undefined) o.reply(errorMessage(a.call.id, INTERNAL_ERROR, why));
        continue;
      }
      toCharge.push(a);
    }
    if (toCharge.length === 0) return;
    // Charged against the count as it is now: other calls (or other proxies sharing the
    // budget) may have spent while these were described or confirmed.
    const late: Array<CallDecision | undefined> = [];
    const results = o.budget.chargeAll(
      toCharge.map((a, i) => (usedNow: number) => {
        // Only the budget can have changed the verdict since the call was judged, and only
        // once the count has reached the limit: below it the kernel answers as it did (the
        // calls before this one in its batch raise the count without changing that).
        const limit = o.perms.budget.calls;
        if (usedNow === a.judgedAt || limit === undefined || usedNow < limit) return true;
        const again = decideCall(o.perms, { callsUsed: usedNow }, a.described, { grants: o.grants?.() ?? [], ...(o.protect ? { protect: o.protect } : {}) });
        if (again.verdict === 'allow' || again.verdict === 'confirm') return true;
        late[i] = again;
        return false;
      }),
    );
    const forward: GatedCall[] = [];
    const replies: Array<JsonRpcMessage | undefined> = [];
    o.audit.hold();
    try {
      toCharge.forEach((a, i) => {
        const used = results[i];
        if (used instanceof Error) return this.failed(a.call, used);
        try {
          if (used === undefined) {
            const d = late[i];
            if (d === undefined) throw new Error('the budget refused the call without a decision');
            for (const e of d.events) o.audit.emit(e);
            o.history.record(a.call.tool, 'block', 'budget_exhausted');
            replies.push(refusalReply(a.call, d.message));
            return;
          }
          const charged: Record<string, unknown> = { calls_used: used };
          if (o.perms.budget.calls !== undefined) charged.budget = o.perms.budget.calls;
          for (const e of a.decision.proceed) o.audit.emit({ ...e, ...charged } as AuditEventData);
          forward.push(a.call);
        } catch (err) {
          this.failed(a.call, err);
        }
      });
    } finally {
      try {
        o.audit.release();
      } catch (err) {
        for (const call of forward.splice(0)) this.failed(call, err);
      }
    }
    for (const m of replies) o.reply(m);
    // Recorded in the audit: now they go out (the endpoint writes them together).
    for (const call of forward) {
      o.history.record(call.tool, 'forward');
      o.forward(call);
    }
  }

  /** Fail closed: whatever went wrong, the call was not forwarded. */
  private failed(call: GatedCall, err: unknown): void {
    try {
      this.opts.audit.emit({ event: 'proxy.internal_error', method: call.method, error: err instanceof Error ? err.message : String(err) });
    } catch {
      /* the audit itself failed: the call is still answered as not run */
    }
    if (call.id !== undefined) this.opts.reply(errorMessage(call.id, INTERNAL_ERROR, FAILED_TEXT));
  }
}
