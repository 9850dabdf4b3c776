import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Create missing parent directories first. */
  mkdir?: boolean;
  /**
   * Never replace an existing file: the temporary file is hard-linked into place,
   * which fails with EEXIST when the target exists — decided at the moment of the
   * write, so a file created in between is not clobbered either.
   */
  exclusive?: boolean;
}

/**
 * Writes through a temporary file in the same directory and moves it into place, so a
 * reader never sees a half-written file and a failure leaves nothing behind.
 */
export function writeFileAtomic(path: string, contents: string, opts: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  if (opts.mkdir) mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, contents, { flag: 'wx', mode: 0o644 });
    if (opts.exclusive) {
      linkSync(tmp, path);
      rmSync(tmp, { force: true });
    } else {
      renameSync(tmp, path);
    }
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
