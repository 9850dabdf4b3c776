// Audit sinks: JSON Lines file, human lines on stderr, JSON Lines on stderr, in-memory,
// and null. The file sink writes each line with one write(2) on an fd opened for
// append, so a kill between two events leaves a complete, parseable file.

import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { AuditEvent, AuditSink } from './types.js';

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

export class JsonlFileSink implements AuditSink {
  private fd: number | undefined;
  constructor(
    readonly file: string,
    private readonly opts: { fsync?: boolean } = {},
  ) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.fd = openSync(file, 'a', 0o600);
  }
  write(e: AuditEvent): void {
    if (this.fd === undefined) return;
    writeAll(this.fd, JSON.stringify(e) + '\n');
    if (this.opts.fsync) fsyncSync(this.fd);
  }
  close(): void {
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

/** One JSON object per line on stderr (`--log-json`). */
export class JsonStderrSink implements AuditSink {
  constructor(private readonly out: Writer = stderrWriter) {}
  write(e: AuditEvent): void {
    this.out(JSON.stringify(e) + '\n');
  }
}
