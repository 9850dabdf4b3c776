// The one way AEX writes a file: a reader sees the old file or the new one, never a half
// of either, and a failure leaves the old file and no temp file behind.
//
// 1. The data goes to a temp file in the target's own folder (a rename across file
//    systems is not atomic), with a name of its own, created with O_CREAT|O_EXCL|O_NOFOLLOW:
//    if anything already sits at that name — a file, or a symlink planted to redirect the
//    write — the open fails instead of writing through it.
// 2. The temp file gets the requested mode at creation (never wider than the umask
//    allows) and is fsynced, so after a crash the new name never points at empty data.
// 3. It is renamed over the target (or, with `exclusive`, hard-linked to it, which fails
//    when the target exists, decided at the moment of the write).
// 4. With `durable`, the folder is fsynced too, so the rename itself survives a crash.
//
// Imported by `aex gate` (through the policy cache): node built-ins only.

import { closeSync, constants, fsyncSync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of a new file (default 0o644; the umask still applies). */
  mode?: number;
  /** Create missing parent folders first, with this mode (default 0o755; `true` means the default). */
  mkdir?: boolean | { mode: number };
  /** Never replace an existing file: fails with EEXIST when the target exists. */
  exclusive?: boolean;
  /** Also fsync the folder, so the new name survives a crash, not only the data. */
  durable?: boolean;
}

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * The temp file's name for `file`: hidden, beside it, new for every write. It need not be
 * unguessable — O_EXCL|O_NOFOLLOW refuse whatever was planted at it — so it takes no
 * node:crypto, which would cost a gate call more than its decision.
 */
export function tempNameFor(file: string): string {
  const unique = `${process.pid}.${Math.random().toString(36).slice(2, 12)}`;
  return join(dirname(file), `.${basename(file)}.${unique}.tmp`);
}

/** Writes `data` to `file` atomically; see the top of this file for what that guarantees. */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const dir = dirname(file);
  if (opts.mkdir) mkdirSync(dir, { recursive: true, mode: typeof opts.mkdir === 'object' ? opts.mkdir.mode : 0o755 });
  const tmp = tempNameFor(file);
  // No cleanup when the open itself fails: whatever is at `tmp` then is not ours.
  const fd = openSync(tmp, TEMP_FLAGS, opts.mode ?? 0o644);
  let open = true;
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    if (opts.exclusive) linkSync(tmp, file);
    else renameSync(tmp, file);
  } catch (err) {
    if (open) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // renamed or never linked: nothing left to remove
    }
    throw err;
  }
  if (opts.exclusive) {
    try {
      unlinkSync(tmp);
    } catch {
      // the file is in place under its name; a leftover temp name is only untidy
    }
  }
  if (opts.durable) syncFolder(dir);
}

/** fsyncs a folder so a rename or a new name in it is on disk; a no-op where folders cannot be opened (Windows). */
export function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY);
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a folder; the data itself is synced already
  } finally {
    closeSync(fd);
  }
}
