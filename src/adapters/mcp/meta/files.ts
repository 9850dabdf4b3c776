// File helpers of the meta-tools: everything they read or write stays inside the
// working directory (realpath-confined); writes go through src/io/atomic-write.ts.

import { realpathSync } from 'node:fs';
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
