// Audit sinks: JSON Lines file, JSON Lines to any writer (stderr), human lines on stderr,
// in-memory, and null. The text sinks chain their lines (each ends with `prev`, the hash
// of the line before, see docs/audit.md) and write seals when the emitter asks. The file
// sink writes each line with one write(2) on an fd opened for append, so a kill between
// two events leaves a complete, parseable file, and continues the chain of a file that
// already has lines.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { readChainTail } from '../../audit/tail.js';
import { ChainedLines, type ChainOrigin } from './chained-lines.js';
import type { AuditEvent, AuditSink } from './types.js';

/** A chain id for a destination whose surface gave none: unpredictable, so no two runs share a first link. */
function freshChainId(): string {
  return randomBytes(16).toString('hex');
}

export class NullSink implements AuditSink {
  write(_e: AuditEvent): void {}
}

/** Keeps the events in memory (tests, conformance, the LangGraph backend's comparisons). */
export class MemorySink implements AuditSink {
  readonly events: AuditEvent[] = [];
  write(e: AuditEvent): void {
    this.events.push(e);
  }
}

/** One write(2) per line; a short write (rare on regular files) is completed from a buffer. */
function writeAll(fd: number, text: string): void {
  const n = writeSync(fd, text);
  if (n >= Buffer.byteLength(text)) return;
  const buf = Buffer.from(text, 'utf8');
  let off = n;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

export interface ChainOptions {
  /** The run or session id the first line of a fresh destination links to. */
  chainId?: string;
}

/**
 * Events that record what already happened and after which nothing acts: their lines may
 * wait for the next line or the end of the event-loop turn, so a call costs one write(2)
 * instead of two. Every other line — a decision above all: no allowed call runs before its
 * `tool.allowed` is in the file — is written at once, with whatever waited before it.
 */
const AFTER_THE_FACT = new Set(['tool.result', 'make.result', 'check.passed', 'if.true', 'if.false', 'for.start']);
/** Waiting lines are written once they reach this size, whatever comes next. */
const PENDING_LIMIT = 64 * 1024;

export class JsonlFileSink implements AuditSink {
  private fd: number | undefined;
  private readonly chain: ChainedLines;
  private pending = '';
  private scheduled = false;
  private held = false;
  /** A deferred write that failed: raised by the next write or by close(), never lost. */
  private failure: unknown;
  constructor(
    readonly file: string,
    private readonly opts: { fsync?: boolean } & ChainOptions = {},
  ) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const fd = openSync(file, 'a+', 0o600);
    try {
      const tail = readChainTail(fd);
      this.chain = new ChainedLines(tail ? { head: tail.head } : { id: opts.chainId ?? freshChainId() });
      // A torn last line (a writer killed mid-line) stays as it is; the chain goes on after it.
      if (tail?.torn) writeAll(fd, '\n');
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.fd = fd;
  }
  /** Hash of the last line in the file: what the next line links to. */
  get head(): string {
    return this.chain.head;
  }
  /**
   * Until release(), every line waits, decision lines too, and release() writes them with
   * one write(2). For a surface that judges a batch of calls together: it holds, records
   * the batch, releases, and acts on none of the calls before release() has returned.
   */
  hold(): void {
    this.held = true;
  }
  /** Writes what waited since hold(); throws when the write fails (the batch must then be refused). */
  release(): void {
    this.held = false;
    this.flush('');
  }
  write(e: AuditEvent): void {
    if (this.fd === undefined) return;
    const line = this.chain.line(e) + '\n';
    if (this.held || (AFTER_THE_FACT.has(e.event) && !this.opts.fsync)) {
      this.pending += line;
      if (this.pending.length >= PENDING_LIMIT) this.flush('');
      else this.schedule();
    } else this.flush(line);
  }
  seal(ts: string, seq: number, key: Buffer): void {
    if (this.fd === undefined) return;
    this.flush(this.chain.sealLine(ts, seq, key) + '\n');
  }
  /** Writes the waiting lines and `line` with one write(2). */
  private flush(line: string): void {
    if (this.failure !== undefined) throw this.failure;
    const text = this.pending + line;
    this.pending = '';
    if (text === '') return;
    writeAll(this.fd!, text);
    if (this.opts.fsync) fsyncSync(this.fd!);
  }
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.fd === undefined) return;
      try {
        this.flush('');
      } catch (err) {
        this.failure = err;
      }
    });
  }
  close(): void {
    if (this.fd === undefined) return;
    try {
      this.flush('');
    } finally {
      this.closeFd();
    }
  }
  private closeFd(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } catch {
      // fsync is not supported on every file (e.g. /dev/null); the data is written.
    }
    closeSync(fd);
  }
}

function stripStamp(e: AuditEvent): Record<string, unknown> {
  const { ts: _ts, seq: _seq, event: _event, ...rest } = e;
  return rest;
}

type Writer = (s: string) => void;
const stderrWriter: Writer = (s) => {
  try {
    writeSync(2, s);
  } catch {
    process.stderr.write(s);
  }
};

/** `EVENTNAME(padded to 16) {fields}` per event on stderr. */
export class HumanStderrSink implements AuditSink {
  constructor(private readonly out: Writer = stderrWriter) {}
  write(e: AuditEvent): void {
    this.out(`${e.event.padEnd(16)} ${JSON.stringify(stripStamp(e))}\n`);
  }
}

/** Chained JSON lines to any writer (a stream, a pipe, a buffer): one call per line. */
export class JsonLinesSink implements AuditSink {
  private readonly chain: ChainedLines;
  constructor(
    private readonly out: Writer,
    opts: ChainOptions & { origin?: ChainOrigin } = {},
  ) {
    this.chain = new ChainedLines(opts.origin ?? { id: opts.chainId ?? freshChainId() });
  }
  get head(): string {
    return this.chain.head;
  }
  write(e: AuditEvent): void {
    this.out(this.chain.line(e) + '\n');
  }
  seal(ts: string, seq: number, key: Buffer): void {
    this.out(this.chain.sealLine(ts, seq, key) + '\n');
  }
}

/** One chained JSON object per line on stderr (`--log-json`). */
export class JsonStderrSink extends JsonLinesSink {
  constructor(out: Writer = stderrWriter, opts: ChainOptions = {}) {
    super(out, opts);
  }
}
