// Gate audit: `.aex/audit/gate-<session>.jsonl`, one D1 line per event. Each gate
// process sees one call, so `seq` continues from the last line already in the file;
// the caller holds the session lock while appending, so concurrent hooks of the same
// session never reuse a number.

import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { AuditEventData } from '../../runtime/kernel/types.js';
import { auditLine } from '../audit-line.js';
import { sessionKey } from './budget.js';

/** File-name part for a session: the id itself when harmless, else its hash. */
export function sessionFilePart(sessionId: string): string {
  return /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/.test(sessionId) ? sessionId : sessionKey(sessionId).slice(0, 32);
}

export function gateAuditPath(cwd: string, sessionId: string): string {
  return path.join(cwd, '.aex', 'audit', `gate-${sessionFilePart(sessionId)}.jsonl`);
}

/** The `seq` of the last complete line of an audit file (0 when empty or absent). */
function lastSeq(fd: number): number {
  const size = fstatSync(fd).size;
  if (size === 0) return 0;
  const len = Math.min(size, 64 * 1024);
  const buf = Buffer.alloc(len);
  readSync(fd, buf, 0, len, size - len);
  const lines = buf.toString('utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      const seq = (JSON.parse(line) as { seq?: unknown }).seq;
      if (typeof seq === 'number' && Number.isInteger(seq)) return seq;
    } catch {
      /* a torn or foreign line: look further back */
    }
  }
  return 0;
}

export function appendGateAudit(file: string, events: AuditEventData[]): void {
  if (events.length === 0) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a+', 0o600);
  try {
    let seq = lastSeq(fd);
    const now = new Date();
    const text = events.map((e) => auditLine(++seq, e, now)).join('');
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
