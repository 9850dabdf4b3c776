// Faults the gate must survive without deciding wrongly: killed while it holds the
// session lock, a full disk under its audit, a state folder it cannot write. In each the
// answer is a clean refusal (exit 2 and a message) or, once the fault is gone, a normal
// decision with the budget record still parseable.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetFile, ledgerDirectory, sessionKey } from '../../src/runtime/state/budget.js';
import { BIN, makeGateProject, verdictOf, type GateProject } from '../attacks/gate-project.js';
import { CAN_FREEZE, whileFrozen } from './fs-helpers.js';

const POLICY = 'policy faults v0\ngoal "Fault tests."\nallow file.read\nbudget calls=10\n';
let P: GateProject;
let read: Record<string, unknown>;
beforeAll(() => {
  P = makeGateProject(POLICY);
  read = { file_path: path.join(P.root, 'src', 'a.ts') };
});
afterAll(() => P.cleanup());

describe('kill -9 while the gate holds the lock', () => {
  it('the next call still decides and the budget record stays parseable', async () => {
    expect(verdictOf(await P.gate('Read', read)).decision).toBe('allow');
    // A gate process stopped (SIGSTOP) while it holds the lock, then killed with SIGKILL:
    // its lock file stays behind, naming a process that no longer exists.
    const lockDir = ledgerDirectory(P.projectState);
    const lock = path.join(lockDir, `${sessionKey('attack-session')}.lock`);
    const holder = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(lock)}, String(process.pid), { flag: 'wx' }); process.kill(process.pid, 'SIGSTOP');`], { stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (existsSync(lock) && readFileSync(lock, 'utf8') !== '') {
          clearInterval(t);
          resolve();
        }
      }, 10);
    });
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('exit', r));
    expect(existsSync(lock)).toBe(true);
    const r = await P.gate('Read', read);
    expect(verdictOf(r).decision, r.stderr).toBe('allow');
    expect(existsSync(lock)).toBe(false);
    const rec = JSON.parse(readFileSync(budgetFile(P.projectState, 'attack-session'), 'utf8'));
    expect(rec).toMatchObject({ sessionId: 'attack-session', callsUsed: 2 });
  });

  it('a real gate process killed mid-call leaves state that the next call accepts', async () => {
    // Start real gate processes and kill each at a different moment of its run.
    for (const delay of [5, 40, 120]) {
      const child = spawn(process.execPath, [BIN, 'gate'], { cwd: P.root, env: P.env, stdio: ['pipe', 'ignore', 'ignore'] });
      // Listened for from the start: a gate that finishes before the kill emits 'exit' only once.
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end(P.payload('Read', read));
      await new Promise((r) => setTimeout(r, delay));
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
    const r = await P.gate('Read', read);
    expect(verdictOf(r).decision, r.stderr).toBe('allow');
    const rec = JSON.parse(readFileSync(budgetFile(P.projectState, 'attack-session'), 'utf8'));
    expect(rec.callsUsed).toBeGreaterThanOrEqual(3);
    expect(rec.callsUsed).toBeLessThanOrEqual(6);
    // Every audit line that made it to disk is whole JSON.
    const audit = readFileSync(path.join(P.projectState, 'audit', 'gate-attack-session.jsonl'), 'utf8').trim().split('\n');
    for (const line of audit) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('a full disk under the gate audit', () => {
  it('refuses cleanly: exit 2 and the reason, through the real command', async () => {
    const Q = makeGateProject(POLICY);
    try {
      const audit = path.join(Q.projectState, 'audit');
      mkdirSync(audit, { recursive: true });
      // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
      symlinkSync('/dev/full', path.join(audit, 'gate-attack-session.jsonl'));
      const r = await Q.spawnGate(Q.payload('Read', { file_path: path.join(Q.root, 'src', 'a.ts') }));
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^aex gate: .*(ENOSPC|no space left on device)/i);
    } finally {
      Q.cleanup();
    }
  });
});

describe('a state folder the gate cannot write', () => {
  it('a state path under a regular file: exit 2 with the path and reason', async () => {
    const blocker = path.join(P.base, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const env = { ...P.env, AEX_STATE_DIR: path.join(blocker, 'state') };
    const r = await P.gate('Read', read, {}, [], env);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^aex gate: .*not-a-folder/);
  });

  it.skipIf(!CAN_FREEZE)('an unwritable state folder, through the real command: exit 2 and a clear message', async () => {
    const Q = makeGateProject(POLICY);
    try {
      mkdirSync(Q.stateDir, { recursive: true });
      await whileFrozen(Q.stateDir, async () => {
        const r = await Q.spawnGate(Q.payload('Read', { file_path: path.join(Q.root, 'src', 'a.ts') }));
        expect(r.exitCode).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^aex gate: could not lock .*: cannot create the folder .* \(permission denied\)/);
      });
    } finally {
      rmSync(Q.base, { recursive: true, force: true });
    }
  });
});
