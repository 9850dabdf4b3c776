// The proxy's audit: the runtime's emitter (seq from 1) writing to the --audit file, or
// as JSON Lines to stderr. For the checkpoint meta-tool it keeps only the lines logged
// since the session's previous checkpoint, and at most one checkpoint's worth of them:
// a long session must not hold its whole history in memory.

import type { AuditEventData } from '../../runtime/kernel/types.js';
import { createAuditLog } from '../../runtime/audit/emitter.js';
import { JsonLinesSink, JsonlFileSink } from '../../runtime/audit/sinks.js';
import type { AuditEvent, AuditSink } from '../../runtime/audit/types.js';

/** The audit lines a checkpoint may hold (the rest of the checkpoint is small). */
export const CHECKPOINT_AUDIT_BYTES = 16 * 1024 * 1024;

export interface CheckpointWindow {
  /** The lines logged since the previous checkpoint, each ending with "\n". */
  lines: string[];
  /** False when more was logged than a checkpoint may hold (the window then holds nothing). */
  complete: boolean;
  /** How many lines were logged since the previous checkpoint. */
  count: number;
}

export interface ProxyAudit {
  emit(data: AuditEventData): void;
  /** What a checkpoint taken now would hold. */
  sinceCheckpoint(): CheckpointWindow;
  /** A checkpoint was written: the next one starts here. */
  markCheckpoint(): void;
  /**
   * Lines emitted from now until release() go to the file with one write (a batch of calls
   * judged together). Nothing of the batch may be acted on before release() returns.
   */
  hold(): void;
  /** Writes what waited since hold(); throws when that fails (the batch is then refused). */
  release(): void;
  close(): void;
}

/** Keeps the lines since the last checkpoint, up to a byte limit. */
export class WindowSink implements AuditSink {
  lines: string[] = [];
  bytes = 0;
  count = 0;
  overflowed = false;
  constructor(private readonly limit: number) {}
  write(e: AuditEvent): void {
    this.count++;
    if (this.overflowed) return;
    const line = JSON.stringify(e) + '\n';
    this.bytes += line.length;
    if (this.bytes > this.limit) {
      this.overflowed = true;
      this.lines = [];
      return;
    }
    this.lines.push(line);
  }
  reset(): void {
    this.lines = [];
    this.bytes = 0;
    this.count = 0;
    this.overflowed = false;
  }
}

export function openProxyAudit(
  file: string | undefined,
  stderr: NodeJS.WritableStream,
  opts: { windowBytes?: number; sealKey?: Buffer; sinks?: AuditSink[] } = {},
): ProxyAudit {
  const window = new WindowSink(opts.windowBytes ?? CHECKPOINT_AUDIT_BYTES);
  // Synchronous file writes: a crash of the proxy or of the upstream loses nothing. Both
  // destinations are chained by their writers (docs/audit.md).
  const fileSink = file !== undefined ? new JsonlFileSink(file) : undefined;
  const out: AuditSink = fileSink ?? new JsonLinesSink((t) => void stderr.write(t));
  // With a key, the log is sealed every 1,000 lines and when the proxy closes it.
  // `sinks`: more readers of every event (the HTTP listener's per-session checkpoint windows).
  const log = createAuditLog([out, window, ...(opts.sinks ?? [])], opts.sealKey ? { sealKey: opts.sealKey } : {});
  return {
    emit: (data) => log.emit(data),
    sinceCheckpoint: () => ({ lines: window.lines, complete: !window.overflowed, count: window.count }),
    markCheckpoint: () => window.reset(),
    // On stderr every line is one write to a pipe already; only the file batches.
    hold: () => fileSink?.hold(),
    release: () => fileSink?.release(),
    close: () => void log.close(),
  };
}
