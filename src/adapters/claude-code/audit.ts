// Gate audit: `gate-<session>.jsonl` in the state folder, one D1 line per event. Each gate
// process sees one call, so `seq` and the hash chain continue from the last line already in
// the file (read from its end); the caller holds the session lock while appending, so
// concurrent hooks of the same session never reuse a number or a link. With a key, every
// append ends with a seal: each gate process is a surface that exits, and its log is then
// sealed up to its last line.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { readChainTail } from '../../audit/tail.js';
import type { AuditEventData } from '../../runtime/kernel/types.js';
import { ChainedLines } from '../../runtime/audit/chained-lines.js';
import { sessionKey } from './budget.js';

/** File-name part for a session: the id itself when harmless, else its hash. */
export function sessionFilePart(sessionId: string): string {
  return /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/.test(sessionId) ? sessionId : sessionKey(sessionId).slice(0, 32);
}

export function gateAuditPath(cwd: string, sessionId: string): string {
  return path.join(cwd, '.aex', 'audit', `gate-${sessionFilePart(sessionId)}.jsonl`);
}

export interface GateAuditOptions {
  /** HMAC key: the append ends with an `audit.sealed` line. */
  sealKey?: Buffer;
  /** The session id a fresh file's first line links to (default: the file's base name). */
  chainId?: string;
  /** Clock (tests). */
  now?: Date;
}

export function appendGateAudit(file: string, events: AuditEventData[], opts: GateAuditOptions = {}): void {
  if (events.length === 0) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a+', 0o600);
  try {
    const tail = readChainTail(fd);
    const chain = new ChainedLines(tail ? { head: tail.head } : { id: opts.chainId ?? path.basename(file, '.jsonl') });
    let seq = tail?.seq ?? 0;
    const ts = (opts.now ?? new Date()).toISOString();
    // A torn last line stays as it is (verify reports it); the chain goes on after it.
    let text = tail?.torn ? '\n' : '';
    for (const e of events) {
      const { event, ...fields } = e;
      text += chain.line({ ts, seq: ++seq, event, ...fields }) + '\n';
    }
    if (opts.sealKey !== undefined) text += chain.sealLine(ts, ++seq, opts.sealKey) + '\n';
    // One write(2) for the whole append, so a reader never sees half of it (a short write,
    // rare on regular files, is completed).
    const buf = Buffer.from(text, 'utf8');
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
  } finally {
    closeSync(fd);
  }
}
