// Filesystem conditions for fault tests: folders nothing may be created in or deleted
// from, even by root (the immutable attribute), where the file system supports it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function chattr(flag: '+i' | '-i', target: string): boolean {
  const r = spawnSync('chattr', [flag, target], { stdio: 'ignore' });
  return r.status === 0;
}

/** Whether this machine can make a folder immutable (root with chattr on ext4 and the like). */
export const CAN_FREEZE: boolean = (() => {
  const d = mkdtempSync(path.join(tmpdir(), 'aex-freeze-probe-'));
  const ok = chattr('+i', d);
  if (ok) chattr('-i', d);
  rmSync(d, { recursive: true, force: true });
  return ok;
})();

/** Runs `fn` while `dir` is immutable (no entry created, renamed or removed in it); always thaws it. */
export async function whileFrozen<T>(dir: string, fn: () => T | Promise<T>): Promise<T> {
  if (!chattr('+i', dir)) throw new Error(`cannot make ${dir} immutable`);
  try {
    return await fn();
  } finally {
    chattr('-i', dir);
  }
}
