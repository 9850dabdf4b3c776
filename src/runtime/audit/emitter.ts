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
  let seq = opts.startSeq ?? 0;
  let closed = false;
  const list = sinks.slice();
  const n = list.length;
  const log: AuditLog = {
    get seq() {
      return seq;
    },
    sinks: list,
    emit(data: AuditEventData): void {
      seq += 1;
      const e = { ts: new Date().toISOString(), seq, ...data } as AuditEvent;
      // `event` must stay the third key even if data listed it later.
      for (let i = 0; i < n; i++) list[i]!.write(e);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const s of list) {
        try {
          await s.close?.();
        } catch {
          // One broken sink must not hide the others' output.
        }
      }
    },
  };
  return log;
}
