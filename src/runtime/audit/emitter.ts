import type { AuditEventData } from '../kernel/types.js';
import type { AuditEmitter } from '../steps/types.js';
import type { AuditEvent, AuditSink } from './types.js';

export interface AuditLog extends AuditEmitter {
  /** The last sequence number handed out. */
  readonly seq: number;
  readonly sinks: readonly AuditSink[];
  /** Closes every sink (once). A sink that fails to close does not stop the others. */
  close(): Promise<void>;
}

/**
 * Creates the emitter of one run or session. `seq` counts from `startSeq + 1` (1 by
 * default; a resumed run continues its audit file). Field order of each line: ts, seq,
 * event, then the event's fields in the order they were given.
 */
export function createAuditLog(sinks: AuditSink[], opts: { startSeq?: number } = {}): AuditLog {
  return new Emitter(sinks.slice(), opts.startSeq ?? 0);
}

/** Date#toISOString is slow (~1 µs); within one millisecond the string is reused. */
let lastMs = -1;
let lastIso = '';
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

class Emitter implements AuditLog {
  private n: number;
  private closed = false;
  constructor(
    readonly sinks: AuditSink[],
    startSeq: number,
  ) {
    this.n = startSeq;
  }
  get seq(): number {
    return this.n;
  }
  emit(data: AuditEventData): void {
    // Object.assign onto a fresh {ts, seq} keeps the line order ts, seq, event, fields.
    const e = Object.assign({ ts: isoNow(), seq: ++this.n }, data) as AuditEvent;
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.write(e);
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.sinks) {
      try {
        await s.close?.();
      } catch {
        // One broken sink must not hide the others' output.
      }
    }
  }
}
