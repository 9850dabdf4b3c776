// Gate audit: `gate-<session>.jsonl` in the state folder, one audit line per event. Each gate
// process sees one call, so `seq` and the hash chain continue from the last line already in
// the file (read from its end); the caller holds the session lock while appending, so
// concurrent hooks of the same session never reuse a number or a link. With a key, every
// append ends with a seal: each gate process is a surface that exits, and its log is then
// sealed up to its last line.

import { closeSync, fstatSync, mkdirSync, openSync, statSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { readChainTail } from '../../audit/tail.js';
import type { AuditEventData } from '../kernel/types.js';
import { ChainedLines } from './chained-lines.js';
import { sessionKey } from '../state/budget.js';

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

/** The text of one append after `seq` (its lines, then the seal when keyed), and the seq it ends at. */
function appendText(chain: ChainedLines, seq: number, torn: boolean, events: AuditEventData[], opts: GateAuditOptions): { buf: Buffer; seq: number } {
  const ts = (opts.now ?? new Date()).toISOString();
  // A torn last line stays as it is (verify reports it); the chain goes on after it.
  let text = torn ? '\n' : '';
  for (const e of events) {
    const { event, ...fields } = e;
    text += chain.line({ ts, seq: ++seq, event, ...fields }) + '\n';
  }
  if (opts.sealKey !== undefined) text += chain.sealLine(ts, ++seq, opts.sealKey) + '\n';
  return { buf: Buffer.from(text, 'utf8'), seq };
}

/** One write(2) for the whole append, so a reader never sees half of it (a short write, rare on regular files, is completed). */
function writeWhole(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

export function appendGateAudit(file: string, events: AuditEventData[], opts: GateAuditOptions = {}): void {
  if (events.length === 0) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a+', 0o600);
  try {
    const tail = readChainTail(fd);
    const chain = new ChainedLines(tail ? { head: tail.head } : { id: opts.chainId ?? path.basename(file, '.jsonl') });
    writeWhole(fd, appendText(chain, tail?.seq ?? 0, tail?.torn === true, events, opts).buf);
  } finally {
    closeSync(fd);
  }
}

interface OpenLog {
  fd: number;
  dev: number;
  ino: number;
  /** The file's size after this process's last append: any other size means another writer appended. */
  size: number;
  head: string;
  seq: number;
}

/**
 * appendGateAudit for a long-running surface (`aex serve`): the session files stay open and
 * their chain heads stay in memory, so an append costs one stat and one write instead of an
 * open, a read of the tail and a close. Other processes (gates, proxies) append the same
 * files under the same session lock; when a file's size is not what this process last wrote,
 * or the path names another file now, the tail is read again (or the file reopened), so the
 * chain and the sequence numbers go on from whatever is really in the file. Callers hold the
 * session lock, as for appendGateAudit.
 */
export class GateAuditAppender {
  private readonly logs = new Map<string, OpenLog>();
  /** Tail reads since start (tests: an undisturbed file is read once). */
  tailReads = 0;

  constructor(private readonly maxOpen = 256) {}

  append(file: string, events: AuditEventData[], opts: GateAuditOptions = {}): void {
    if (events.length === 0) return;
    let st: Stats | undefined;
    try {
      st = statSync(file);
    } catch {
      st = undefined;
    }
    let log = this.logs.get(file);
    if (log !== undefined && (st === undefined || st.dev !== log.dev || st.ino !== log.ino)) {
      this.forget(file);
      log = undefined;
    }
    let torn = false;
    if (log === undefined || st!.size !== log.size) {
      if (log === undefined) log = this.open(file);
      const tail = readChainTail(log.fd);
      this.tailReads++;
      log.head = tail?.head ?? new ChainedLines({ id: opts.chainId ?? path.basename(file, '.jsonl') }).head;
      log.seq = tail?.seq ?? 0;
      log.size = fstatSync(log.fd).size;
      torn = tail?.torn === true;
    }
    const chain = new ChainedLines({ head: log.head });
    const { buf, seq } = appendText(chain, log.seq, torn, events, opts);
    try {
      writeWhole(log.fd, buf);
    } catch (err) {
      // What reached the file is unknown: the next append reads the tail again.
      this.forget(file);
      throw err;
    }
    log.size += buf.length;
    log.head = chain.head;
    log.seq = seq;
    // Most recently used last, so the oldest open file is closed first.
    this.logs.delete(file);
    this.logs.set(file, log);
    while (this.logs.size > this.maxOpen) this.forget(this.logs.keys().next().value as string);
  }

  /** Closes every open file. */
  close(): void {
    for (const file of [...this.logs.keys()]) this.forget(file);
  }

  private open(file: string): OpenLog {
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(file, 'a+', 0o600);
    const st = fstatSync(fd);
    // size -1: never equal, so the tail is read right after opening.
    return { fd, dev: st.dev, ino: st.ino, size: -1, head: '', seq: 0 };
  }

  private forget(file: string): void {
    const log = this.logs.get(file);
    if (log === undefined) return;
    this.logs.delete(file);
    try {
      closeSync(log.fd);
    } catch {
      /* already closed */
    }
  }
}
