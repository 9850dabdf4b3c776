// Audit is data (docs/design.md#audit): step functions and the kernel emit event
// data, the emitter stamps `ts` and `seq` (docs/audit-events.md) and hands the line to sinks.

import type { AuditEventData } from '../kernel/types.js';

/** One stamped audit line: `{"ts","seq","event",...fields}`. */
export interface AuditEvent extends AuditEventData {
  ts: string;
  seq: number;
}

export interface AuditSink {
  write(event: AuditEvent): void;
  /**
   * Writes an HMAC seal over this sink's own chain (text sinks). The emitter calls it
   * instead of write() for an `audit.sealed` line; a sink without it gets a plain event.
   */
  seal?(ts: string, seq: number, key: Buffer): void;
  /** Flushes and releases resources; called once when the run ends. */
  close?(): void | Promise<void>;
}
