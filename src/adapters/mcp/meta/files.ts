// File helpers of the meta-tools: everything they read or write stays inside the
// working directory (realpath-confined); writes go through a temp file and a rename.

import { closeSync, fsyncSync, openSync, realpathSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

export function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

export function realRoot(cwd: string): string {
  return realpathSync(cwd);
}

export function relPosix(root: string, p: string): string {
  return path.relative(root, p).split(path.sep).join('/');
}

/** Writes `data` to `file` through a temp file in the same directory and a rename. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
