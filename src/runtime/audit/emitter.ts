import type { AuditEventData } from '../kernel/types.js';
import type { AuditEmitter } from '../steps/types.js';
import { SEAL_EVENT, SEAL_EVERY } from '../../audit/seal.js';
import type { AuditEvent, AuditSink } from './types.js';

export interface AuditLog extends AuditEmitter {
  /** The last sequence number handed out. */
  readonly seq: number;
  readonly sinks: readonly AuditSink[];
  /**
   * Writes an `audit.sealed` line now (each text sink seals its own chain). Does nothing
   * without a key, or when nothing was written since the last seal.
   */
  seal(): void;
  /** Seals (when keyed), then closes every sink (once). A sink that fails to close does not stop the others. */
  close(): Promise<void>;
}

export interface AuditLogOptions {
  /** `seq` of the line before the first one this log writes (a resumed run continues its file). */
  startSeq?: number;
  /** HMAC key: the log is sealed every `sealEvery` lines and when it is closed. */
  sealKey?: Buffer;
  /** Lines between two periodic seals (1,000; smaller in tests). */
  sealEvery?: number;
}

/**
 * Creates the emitter of one run or session. `seq` counts from `startSeq + 1` (1 by
 * default; a resumed run continues its audit file). Field order of each line: ts, seq,
 * event, then the event's fields in the order they were given.
 */
export function createAuditLog(sinks: AuditSink[], opts: AuditLogOptions = {}): AuditLog {
  return new Emitter(sinks.slice(), opts.startSeq ?? 0, opts.sealKey, Math.max(1, opts.sealEvery ?? SEAL_EVERY));
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
  /** Lines written since the last seal (only counted with a key). */
  private unsealed = 0;
  constructor(
    readonly sinks: AuditSink[],
    startSeq: number,
    private readonly key: Buffer | undefined,
    private readonly sealEvery: number,
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
    if (this.key !== undefined && ++this.unsealed >= this.sealEvery) this.seal();
  }
  seal(): void {
    const key = this.key;
    if (key === undefined || this.unsealed === 0 || this.closed) return;
    this.unsealed = 0;
    const ts = isoNow();
    const seq = ++this.n;
    for (const s of this.sinks) {
      if (s.seal) s.seal(ts, seq, key);
      else s.write({ ts, seq, event: SEAL_EVENT, count: seq - 1 } as AuditEvent);
    }
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.seal();
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
