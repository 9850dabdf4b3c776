// The lock lease of long-running surfaces: one lock file for a run of calls, released when
// idle, after a maximum hold, after a failure and at exit; a lock file replaced under the
// lease is never taken for ours.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { heldLeases, releaseAllLeases, withLeasedLock } from '../../src/runtime/state/lease.js';
import { LockTimeoutError } from '../../src/runtime/state/lock.js';

const dirs: string[] = [];
const lockIn = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'aex-lease-'));
  dirs.push(d);
  return path.join(d, 'session.lock');
};
afterEach(() => {
  releaseAllLeases();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withLeasedLock', () => {
  it('keeps one lock file across calls that follow each other, and removes it once idle', async () => {
    const lock = lockIn();
    const inos: number[] = [];
    for (let i = 0; i < 3; i++) withLeasedLock(lock, () => inos.push(lstatSync(lock).ino), {}, { idleMs: 40 });
    expect(new Set(inos).size).toBe(1);
    expect(existsSync(lock)).toBe(true);
    await pause(80);
    expect(existsSync(lock)).toBe(false);
    expect(heldLeases()).toBe(0);
  });

  it('lets go after the maximum hold however busy, so another process gets its turn', () => {
    const lock = lockIn();
    let t = 0;
    const now = () => t;
    withLeasedLock(lock, () => {}, {}, { idleMs: 10_000, maxHoldMs: 100, now });
    t = 50;
    withLeasedLock(lock, () => {}, {}, { idleMs: 10_000, maxHoldMs: 100, now });
    expect(existsSync(lock)).toBe(true);
    t = 100;
    withLeasedLock(lock, () => {}, {}, { idleMs: 10_000, maxHoldMs: 100, now });
    expect(existsSync(lock)).toBe(false);
  });

  it('keeps nothing after a call that throws', () => {
    const lock = lockIn();
    expect(() => withLeasedLock(lock, () => {
      throw new Error('boom');
    }, {}, { idleMs: 10_000 })).toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock file removed and taken by someone else under the lease is waited for, not used', () => {
    const lock = lockIn();
    withLeasedLock(lock, () => {}, {}, { idleMs: 10_000 });
    // Someone removes our lock file and another live process takes the lock.
    unlinkSync(lock);
    writeFileSync(lock, String(process.ppid));
    let ran = false;
    let t = 0;
    expect(() =>
      withLeasedLock(lock, () => (ran = true), { ownerWaitMs: 50, now: () => t, sleep: (ms) => (t += ms), pidAlive: () => true }, { idleMs: 10_000 }),
    ).toThrow(LockTimeoutError);
    expect(ran).toBe(false);
    // Their lock is left alone.
    expect(existsSync(lock)).toBe(true);
  });

  it('a nested call of the same lock runs inside the held lease instead of waiting for itself', () => {
    const lock = lockIn();
    const seen = withLeasedLock(lock, () => withLeasedLock(lock, () => 'inner', {}, { idleMs: 10_000 }), {}, { idleMs: 10_000 });
    expect(seen).toBe('inner');
    expect(existsSync(lock)).toBe(true);
  });

  it('a process that exits while holding a lease removes its lock file', () => {
    const lock = lockIn();
    const lease = pathToFileURL(path.resolve('dist/runtime/state/lease.js')).href;
    const script = `import { withLeasedLock } from ${JSON.stringify(lease)}; withLeasedLock(${JSON.stringify(lock)}, () => {}, {}, { idleMs: 600000 }); process.stdout.write('held');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stdout).toBe('held');
    expect(existsSync(lock)).toBe(false);
  });
});
