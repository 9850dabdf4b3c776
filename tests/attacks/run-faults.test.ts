// Faults of `aex run`: killed with SIGKILL in the middle of a run, the audit file holds
// only complete JSON lines; an audit file that cannot be written (a full disk) is a clean
// refusal — exit 1, one clear message, no stack trace — and no call runs unrecorded.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const base = mkdtempSync(path.join(os.tmpdir(), 'aex-run-faults-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const bin = path.resolve(__dirname, '../../bin/aex.js');
const node = process.execPath;

function project(contract: string): string {
  const dir = mkdtempSync(path.join(base, 'p-'));
  writeFileSync(path.join(dir, 'c.aex'), contract);
  return dir;
}

describe('aex run under faults', () => {
  it('--audit /dev/full: exit 1, a clear message, no stack trace, and the tool never runs', () => {
    const dir = project(`task full v1
goal "write a marker"
use file.write
do file.write(path="marker", contents="x") -> out
return out
`);
    const r = spawnSync(node, [bin, 'run', 'c.aex', '--audit', '/dev/full'], { cwd: dir, encoding: 'utf8', input: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error cannot write the audit file \/dev\/full: ENOSPC \(no space left on device\); the run was stopped$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/audit Log written/);
    expect(r.stdout).toBe('');
    expect(existsSync(path.join(dir, 'marker'))).toBe(false);
  }, 30_000);

  it('kill -9 in the middle of a run leaves only complete JSON lines in the audit', async () => {
    const dir = project(`task slow v1
goal "a run that is killed"
use file.write, tests.run
do file.write(path="a.txt", contents="a") -> a
do file.write(path="b.txt", contents="b") -> b
do tests.run(cmd=[${JSON.stringify(node)}, "-e", "setTimeout(() => {}, 1500)"]) -> t
return t
`);
    const audit = path.join(dir, 'audit.jsonl');
    const child = spawn(node, [bin, 'run', 'c.aex', '--audit', 'audit.jsonl'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    // Kill once the slow call is under way (its tool.allowed is in the file).
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000) {
      if (existsSync(audit) && readFileSync(audit, 'utf8').includes('"tool":"tests.run"')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const text = readFileSync(audit, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const events = text.trim().split('\n').map((l) => JSON.parse(l) as { event: string; seq: number });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((e) => e.event === 'tool.allowed')).toBe(true);
    expect(events.some((e) => e.event === 'run.finished')).toBe(false); // killed: no end was recorded
  }, 30_000);
});

describe('aex run killed with SIGKILL while tests.run runs', () => {
  it('the watchdog ends the command and what it started', async () => {
    const dir = project(`task killed v1
goal "killed while a test command runs"
use tests.run
do tests.run(cmd=["sh", "-c", "(sleep 0.4; touch late) >/dev/null 2>&1 & setsid sh -c 'sleep 0.4; touch late2' & echo started > started; sleep 0.4; touch late3"]) -> t
return t
`);
    const child = spawn(node, [bin, 'run', 'c.aex'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    const t0 = Date.now();
    while (!existsSync(path.join(dir, 'started')) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    await new Promise((r) => setTimeout(r, 700));
    expect(['late', 'late2', 'late3'].filter((f) => existsSync(path.join(dir, f)))).toEqual([]);
  }, 30_000);
});
