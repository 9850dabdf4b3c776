// Where an audit file's chain ends: the hash and seq of its last line, read from the end of
// the file backwards (a gate session's log grows one call at a time; reading it whole on
// every call would make each call slower than the last).

import { fstatSync, readSync } from 'node:fs';
import { lineHash } from './chain.js';

export interface ChainTail {
  /** Hash of the last line's text: the next line's `prev`. */
  head: string;
  /** `seq` of the last line that has one (0 when none does). */
  seq: number;
  /** The file does not end with a newline (a torn write): the next writer starts a new line. */
  torn: boolean;
}

const CHUNK = 64 * 1024;
/** A last line longer than this is refused rather than read without limit. */
export const MAX_TAIL_LINE = 64 * 1024 * 1024;

function seqOf(line: string): number | undefined {
  try {
    const seq = (JSON.parse(line) as { seq?: unknown }).seq;
    return typeof seq === 'number' && Number.isInteger(seq) && seq >= 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}

/** The chain tail of an open file, or undefined when the file is empty. */
export function readChainTail(fd: number): ChainTail | undefined {
  const size = fstatSync(fd).size;
  if (size === 0) return undefined;
  // Read backwards until the chunk holds a newline before the last line (or the file start).
  const chunks: Buffer[] = [];
  let start = size;
  let text = '';
  while (start > 0) {
    const len = Math.min(CHUNK, start);
    start -= len;
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, start);
    chunks.unshift(buf);
    const all = Buffer.concat(chunks);
    // Skip the final newline itself when looking for the start of the last line.
    const searchEnd = all[all.length - 1] === 0x0a ? all.length - 2 : all.length - 1;
    const nl = searchEnd >= 0 ? all.lastIndexOf(0x0a, searchEnd) : -1;
    if (nl >= 0 || start === 0) {
      const lineStart = nl + 1;
      // Decode only the bytes after the newline (a byte offset, not a string index).
      text = all.subarray(lineStart).toString('utf8');
      break;
    }
    if (size - start > MAX_TAIL_LINE) throw new Error(`the last line of the audit file is longer than ${MAX_TAIL_LINE} bytes`);
  }
  const torn = !text.endsWith('\n');
  const last = torn ? text : text.slice(0, -1);
  let seq = seqOf(last);
  if (seq === undefined) seq = earlierSeq(fd, size - Buffer.byteLength(text));
  return { head: lineHash(last), seq: seq ?? 0, torn };
}

/** The seq of the last parseable line before `end` (a torn or foreign last line), within 64 KiB. */
function earlierSeq(fd: number, end: number): number | undefined {
  if (end <= 0) return undefined;
  const len = Math.min(CHUNK, end);
  const buf = Buffer.alloc(len);
  readSync(fd, buf, 0, len, end - len);
  const lines = buf.toString('utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const s = seqOf(lines[i]!);
    if (s !== undefined) return s;
  }
  return undefined;
}
