// One reader for every file AEX loads to decide with — policies and each file of their
// `extends` chains, contracts, inputs files, key files. It reads only regular files and
// at most `maxBytes`: a name pointing at a FIFO would otherwise hang the reader, a
// device such as /dev/zero would be read until memory runs out, and a directory or a
// huge file would end in a crash instead of a clear refusal.
//
// Imported by `aex gate` on every call: node built-ins only.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { AexError } from '../errors.js';

export const MAX_LOADED_FILE_BYTES = 1024 * 1024;

export interface BoundedReadOptions {
  /** Refuse files larger than this (default 1 MiB). */
  maxBytes?: number;
  /** What the file is, for messages: "policy", "contract", "inputs file", "key file". */
  what: string;
}

/** A file that cannot be loaded: `file` and `reason` say which and why. */
export class BoundedReadError extends AexError {
  readonly file: string;
  readonly reason: string;
  readonly code: string;
  constructor(file: string, what: string, reason: string, code: string) {
    super(`cannot read ${what} ${file}: ${reason}`);
    this.name = 'BoundedReadError';
    this.file = file;
    this.reason = reason;
    this.code = code;
  }
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

function openError(err: unknown): { reason: string; code: string } {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
  switch (code) {
    case 'ENOENT':
      return { reason: 'no such file', code };
    case 'EACCES':
    case 'EPERM':
      return { reason: 'permission denied', code };
    case 'ENOTDIR':
      return { reason: 'a parent of it is not a directory', code };
    case 'ELOOP':
      return { reason: 'too many levels of symbolic links', code };
    case 'ENXIO':
      return { reason: 'a FIFO (named pipe) or socket', code: 'ENOTREG' };
    default:
      return { reason: (err as Error).message, code };
  }
}

/** The bytes of `file`, refusing anything but a regular file of at most `maxBytes`. */
export function readBoundedBytes(file: string, opts: BoundedReadOptions): Buffer {
  const max = opts.maxBytes ?? MAX_LOADED_FILE_BYTES;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const e = openError(err);
    throw new BoundedReadError(file, opts.what, e.reason, e.code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new BoundedReadError(file, opts.what, `it is ${kindOf(st)}, not a regular file`, 'ENOTREG');
    if (st.size > max) throw new BoundedReadError(file, opts.what, `it is ${sizeText(st.size)}, over the ${sizeText(max)} limit`, 'EFBIG');
    // Read until end of file, never more than max + 1 bytes whatever the size said: a
    // file may grow meanwhile, and some (under /proc) report size 0.
    const chunks: Buffer[] = [];
    let total = 0;
    const chunkSize = Math.min(max + 1, Math.max(st.size + 1, 4096));
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, max + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > max) throw new BoundedReadError(file, opts.what, `it is larger than the ${sizeText(max)} limit`, 'EFBIG');
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof BoundedReadError) throw err;
    const e = openError(err);
    throw new BoundedReadError(file, opts.what, e.reason, e.code);
  } finally {
    closeSync(fd);
  }
}

/** `readBoundedBytes` decoded as UTF-8. */
export function readBoundedText(file: string, opts: BoundedReadOptions): string {
  return readBoundedBytes(file, opts).toString('utf8');
}
