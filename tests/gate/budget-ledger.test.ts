// The budget ledger every surface shares (src/runtime/state/budget.ts): charging, records
// that cannot be trusted, locks that cannot be had (never a spin, always within limits),
// and the state folder a git worktree shares with its main project.

import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BudgetRecordError,
  LockError,
  LockTimeoutError,
  budgetFile,
  callsSpent,
  ledgerDirectory,
  sessionKey,
  spendBudget,
  withSessionLedgerLock,
} from '../../src/runtime/state/budget.js';
import { withLockFile } from '../../src/runtime/state/lock.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';
import { CAN_FREEZE, whileFrozen } from '../faults/fs-helpers.js';

const TMP = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-ledger-')));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = path.join(TMP, `p${++n}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const charge = (yes: boolean) => () => ({ charge: yes });

describe('spendBudget', () => {
  it('charges only what the judge charges, under a limit, and shows the count to the judge', () => {
    const state = fresh();
    const seen: number[] = [];
    const judge = (yes: boolean) => (used: number) => (seen.push(used), { charge: yes });
    expect(spendBudget(state, 's', 3, judge(true))).toMatchObject({ callsBefore: 0, callsAfter: 1, charged: true });
    expect(spendBudget(state, 's', 3, judge(false))).toMatchObject({ callsBefore: 1, callsAfter: 1, charged: false });
    expect(spendBudget(state, 's', 3, judge(true))).toMatchObject({ callsBefore: 1, callsAfter: 2, charged: true });
    expect(seen).toEqual([0, 1, 1]);
    expect(callsSpent(state, 's')).toBe(2);
    // Another session has its own record.
    expect(spendBudget(state, 'other', 3, judge(true)).callsBefore).toBe(0);
    const rec = JSON.parse(readFileSync(budgetFile(state, 's'), 'utf8'));
    expect(rec).toMatchObject({ sessionId: 's', callsUsed: 2 });
    expect(path.basename(budgetFile(state, 's'))).toBe(`${sessionKey('s')}.json`);
  });

  it('runs record under the same lock, after the ledger is written; no limit writes nothing', () => {
    const state = fresh();
    const lock = path.join(ledgerDirectory(state), `${sessionKey('s')}.lock`);
    let during: { locked: boolean; spent: number } | undefined;
    spendBudget(state, 's', 5, charge(true), {
      record: (o) => (during = { locked: existsSync(lock), spent: JSON.parse(readFileSync(budgetFile(state, 's'), 'utf8')).callsUsed + 0 * o.callsAfter }),
    });
    expect(during).toEqual({ locked: true, spent: 1 });
    expect(existsSync(lock)).toBe(false);
    const unlimited = fresh();
    const o = spendBudget(unlimited, 's', undefined, charge(true));
    expect(o).toMatchObject({ charged: false, callsBefore: 0 });
    expect(existsSync(budgetFile(unlimited, 's'))).toBe(false);
  });

  it('a record of another session, or a malformed one, is an error and stays as it was', () => {
    const cases: Array<[string, string | Buffer]> = [
      ['foreign', JSON.stringify({ sessionId: 'someone-else', callsUsed: 0, lastUpdated: new Date().toISOString() })],
      ['garbage', '{not json'],
      ['empty', ''],
      ['array', '[]'],
      ['negative', JSON.stringify({ sessionId: 's', callsUsed: -1, lastUpdated: new Date().toISOString() })],
      ['fraction', JSON.stringify({ sessionId: 's', callsUsed: 0.5, lastUpdated: new Date().toISOString() })],
      ['no date', JSON.stringify({ sessionId: 's', callsUsed: 0 })],
      ['string count', JSON.stringify({ sessionId: 's', callsUsed: '0', lastUpdated: new Date().toISOString() })],
    ];
    for (const [name, text] of cases) {
      const state = fresh();
      const file = budgetFile(state, 's');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      // Even a record untouched for a day: a malformed or foreign record never resets the count.
      const old = new Date(Date.now() - 24 * 3600 * 1000);
      utimesSync(file, old, old);
      let judged = false;
      expect(() => spendBudget(state, 's', 10, () => ((judged = true), { charge: true })), name).toThrow(BudgetRecordError);
      expect(judged, name).toBe(false);
      expect(readFileSync(file, 'utf8'), name).toBe(String(text));
    }
  });

  it('a valid record untouched for 4 hours starts over (the session is over)', () => {
    const state = fresh();
    const file = budgetFile(state, 's');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ sessionId: 's', callsUsed: 7, lastUpdated: new Date(Date.now() - 5 * 3600 * 1000).toISOString() }));
    expect(spendBudget(state, 's', 10, charge(true))).toMatchObject({ callsBefore: 0, callsAfter: 1 });
  });

  it('a record is created whole: no empty or half file is ever visible', () => {
    const state = fresh();
    spendBudget(state, 's', 10, charge(true));
    const text = readFileSync(budgetFile(state, 's'), 'utf8');
    expect(text.length % 512).toBe(0);
    expect(JSON.parse(text)).toMatchObject({ callsUsed: 1 });
  });
});

describe('the session lock never spins', () => {
  /** A clock that moves only when the lock sleeps: counts sleeps and attempts. */
  function fakeTime() {
    let now = 1_000_000;
    const t = { sleeps: 0, now: () => now, sleep: (ms: number) => void ((now += ms), t.sleeps++) };
    return t;
  }

  it('a lock held by a live owner ends in LockTimeoutError after the owner limit, sleeping between tries', () => {
    const state = fresh();
    const lock = path.join(ledgerDirectory(state), `${sessionKey('s')}.lock`);
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, String(process.ppid));
    const t = fakeTime();
    const err = (() => {
      try {
        spendBudget(state, 's', 5, charge(true), { lock: { now: t.now, sleep: t.sleep, pidAlive: () => true, staleLockMs: 1e12 } });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(LockTimeoutError);
    expect(err!.message).toMatch(/could not lock .*\.lock: another process held it for 2 s/);
    // Every failed try slept: about 2 s of sleeps of 2–11 ms each.
    expect(t.sleeps).toBeGreaterThan(150);
    expect(t.sleeps).toBeLessThan(1100);
    expect(existsSync(budgetFile(state, 's'))).toBe(false);
  });

  it('waits without burning CPU (real clock, short limit)', () => {
    const dir = fresh();
    const lock = path.join(dir, 'x.lock');
    writeFileSync(lock, String(process.ppid));
    const wall0 = Date.now();
    const cpu0 = process.cpuUsage();
    expect(() => withLockFile(lock, () => 1, { ownerWaitMs: 150, pidAlive: () => true })).toThrow(LockTimeoutError);
    const wall = Date.now() - wall0;
    const cpu = process.cpuUsage(cpu0);
    expect(wall).toBeGreaterThanOrEqual(140);
    expect(wall).toBeLessThan(1000);
    // A spinning waiter would use as much CPU as wall time.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(wall * 0.5);
  });

  it('a lock path that is a directory is an error at once, not a wait', () => {
    const state = fresh();
    const lock = path.join(ledgerDirectory(state), `${sessionKey('s')}.lock`);
    mkdirSync(lock, { recursive: true });
    // Old, so a stale-lock breaker would try (and fail) to remove it.
    const old = new Date(Date.now() - 3600 * 1000);
    utimesSync(lock, old, old);
    const t = fakeTime();
    expect(() => spendBudget(state, 's', 5, charge(true), { lock: { now: t.now, sleep: t.sleep } })).toThrow(/could not lock .*: the lock path is a directory; remove it by hand/);
    expect(t.sleeps).toBe(0);
    expect(lstatSync(lock).isDirectory()).toBe(true);
  });

  it('a ledger folder that cannot be created is a clear error', () => {
    const state = fresh();
    writeFileSync(path.join(state, 'gate-budget'), 'a file where the folder should be');
    expect(() => spendBudget(state, 's', 5, charge(true))).toThrow(LockError);
    expect(() => spendBudget(state, 's', 5, charge(true))).toThrow(/could not lock .*: (cannot create the folder|a parent of it is not a directory)/);
  });

  it.skipIf(!CAN_FREEZE)('a stale lock that cannot be removed, or a folder no lock can be created in, fails within the limit', async () => {
    const state = fresh();
    const dir = ledgerDirectory(state);
    const lock = path.join(dir, `${sessionKey('s')}.lock`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(lock, '999999999');
    const t = fakeTime();
    await whileFrozen(dir, () => {
      expect(() => spendBudget(state, 's', 5, charge(true), { lock: { now: t.now, sleep: t.sleep, pidAlive: () => false } })).toThrow(
        /could not lock .*: a stale lock is left and cannot be removed \(permission denied\); remove it by hand/,
      );
    });
    expect(t.sleeps).toBe(0);
    rmSync(lock);
    await whileFrozen(dir, () => {
      expect(() => spendBudget(state, 's', 5, charge(true))).toThrow(/could not lock .*: permission denied/);
    });
  });

  it('a lock left by a dead process is broken and the call decides', () => {
    const state = fresh();
    const lock = path.join(ledgerDirectory(state), `${sessionKey('s')}.lock`);
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, '999999999');
    expect(spendBudget(state, 's', 5, charge(true), { lock: { pidAlive: () => false } }).callsAfter).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('withSessionLedgerLock releases the lock when its function throws', () => {
    const state = fresh();
    expect(() => withSessionLedgerLock(state, 's', () => { throw new Error('boom'); })).toThrow('boom');
    expect(withSessionLedgerLock(state, 's', () => 42)).toBe(42);
  });
});

describe('worktrees share their main project\'s state folder', () => {
  const git = (cwd: string, ...args: string[]) =>
    spawnSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'user.email=a@b', '-c', 'user.name=a', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: TMP } });
  const hasGit = spawnSync('git', ['--version']).status === 0;

  it.skipIf(!hasGit)('a linked worktree (git worktree add) and its subfolders map to the main tree', () => {
    const main = fresh();
    expect(git(main, 'init', '-q').status).toBe(0);
    expect(git(main, 'commit', '-q', '--allow-empty', '-m', 'x').status).toBe(0);
    const wt = path.join(TMP, `wt${n}`);
    expect(git(main, 'worktree', 'add', '-q', wt).status).toBe(0);
    const env = { AEX_STATE_DIR: path.join(TMP, 'state') };
    expect(projectStateDirectory(wt, env)).toBe(projectStateDirectory(main, env));
    mkdirSync(path.join(wt, 'sub'));
    mkdirSync(path.join(main, 'sub'));
    expect(projectStateDirectory(path.join(wt, 'sub'), env)).toBe(projectStateDirectory(path.join(main, 'sub'), env));
    // The budget is one: a call in the worktree spends the main project's session budget.
    spendBudget(projectStateDirectory(main, env), 'sess', 2, charge(true));
    expect(spendBudget(projectStateDirectory(wt, env), 'sess', 2, charge(true)).callsBefore).toBe(1);
  });

  it('a .git file planted in a project does not move it to a fresh state folder', () => {
    const env = { AEX_STATE_DIR: path.join(TMP, 'state') };
    const proj = fresh();
    const before = projectStateDirectory(proj, env);
    // A fake "main repository" inside the project, with every back-link in place.
    const common = path.join(proj, 'fake', '.git');
    mkdirSync(path.join(common, 'worktrees', 'w'), { recursive: true });
    writeFileSync(path.join(common, 'worktrees', 'w', 'commondir'), '../..\n');
    writeFileSync(path.join(common, 'worktrees', 'w', 'gitdir'), `${path.join(proj, '.git')}\n`);
    writeFileSync(path.join(proj, '.git'), `gitdir: ${path.join(common, 'worktrees', 'w')}\n`);
    expect(projectStateDirectory(proj, env)).toBe(before);
    // Nor a .git file whose git folder does not name it back.
    const elsewhere = fresh();
    const common2 = path.join(elsewhere, '.git');
    mkdirSync(path.join(common2, 'worktrees', 'w'), { recursive: true });
    writeFileSync(path.join(common2, 'worktrees', 'w', 'commondir'), '../..\n');
    writeFileSync(path.join(common2, 'worktrees', 'w', 'gitdir'), '/somewhere/else/.git\n');
    writeFileSync(path.join(proj, '.git'), `gitdir: ${path.join(common2, 'worktrees', 'w')}\n`);
    expect(projectStateDirectory(proj, env)).toBe(before);
  });
});
