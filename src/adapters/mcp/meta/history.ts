// The call history a checkpoint records ({tool, timestamp, decision, reason?}), kept to
// its most recent entries so a long session's memory stays bounded.

import { isoNow } from '../../../runtime/audit/emitter.js';

export interface HistoryEntry {
  tool: string;
  timestamp: string;
  decision: 'forward' | 'block';
  reason?: string;
}

export const MAX_HISTORY_ENTRIES = 10_000;

export class CallHistory {
  private items: HistoryEntry[] = [];
  /** Entries let go to keep the bound. */
  dropped = 0;

  constructor(private readonly limit: number = MAX_HISTORY_ENTRIES) {}

  record(tool: string, decision: 'forward' | 'block', reason?: string): void {
    const h: HistoryEntry = { tool, timestamp: isoNow(), decision };
    if (reason !== undefined) h.reason = reason;
    this.items.push(h);
    // Trim in batches: one splice per `limit / 10` entries, not one per call.
    if (this.items.length > this.limit + Math.ceil(this.limit / 10)) this.trim();
  }

  /** `aex.resume`: the checkpoint's history comes before this session's. */
  prepend(entries: HistoryEntry[]): void {
    this.items = [...entries, ...this.items];
    this.trim();
  }

  entries(): HistoryEntry[] {
    this.trim();
    return this.items;
  }

  get length(): number {
    return Math.min(this.items.length, this.limit);
  }

  private trim(): void {
    const over = this.items.length - this.limit;
    if (over > 0) {
      this.items.splice(0, over);
      this.dropped += over;
    }
  }
}
