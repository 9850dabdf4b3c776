// The gate's standard input and output, synchronous: the input is small, and the stream
// machinery behind process.stdin/process.stdout costs more start-up time than a decision.

import { readSync, writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleepBriefly(): void {
  Atomics.wait(pause, 0, 0, 2);
}

/** All of stdin. */
export function readStdinSync(): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        sleepBriefly();
        continue;
      }
      if (code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function writeAll(fd: number, text: string): void {
  const data = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off, data.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        sleepBriefly();
        continue;
      }
      throw err;
    }
  }
}
