// Reads an audit file line by line as raw bytes (the chain hashes bytes, so a line is never
// decoded and re-encoded before hashing), in bounded chunks, so a large log is not held whole.

import { closeSync, openSync, readSync } from 'node:fs';

export interface RawLine {
  /** 1-based line number in the file. */
  number: number;
  /** The line's bytes, without the newline. */
  bytes: Buffer;
  /** False for a last line with no newline after it (a torn or cut write). */
  terminated: boolean;
}

const CHUNK = 1024 * 1024;

/** Every line of a file, in order. */
export function* readRawLines(file: string): Generator<RawLine> {
  const fd = openSync(file, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    let number = 0;
    const buf = Buffer.alloc(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : Buffer.from(buf.subarray(0, n));
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
        yield { number: ++number, bytes: data.subarray(start, nl), terminated: true };
        start = nl + 1;
      }
      carry = data.subarray(start);
    }
    if (carry.length > 0) yield { number: ++number, bytes: carry, terminated: false };
  } finally {
    closeSync(fd);
  }
}

/** The lines of a text held in memory (tests, `--follow` buffers). */
export function* rawLinesOf(text: string | Buffer): Generator<RawLine> {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let start = 0;
  let number = 0;
  for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
    yield { number: ++number, bytes: data.subarray(start, nl), terminated: true };
    start = nl + 1;
  }
  if (start < data.length) yield { number: ++number, bytes: data.subarray(start), terminated: false };
}
