// The run-time tools as an agent meets them through `aex run`: a repository planted with
// filter and diff drivers and fsmonitor runs none of them under git.status and git.diff;
// a root inside a larger repository never shows the parent's files; and a background job
// started by tests.run does not act after run.finished.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-run-tools-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const bin = path.resolve(__dirname, '../../bin/aex.js');
const aex = (args: string[], cwd: string) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', input: '', env: { ...process.env, AEX_STATE_DIR: path.join(base, 'state') } });
const git = (cwd: string, ...a: string[]) => execFileSync('git', a, { cwd, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });

function repo(): string {
  const root = mkdtempSync(path.join(base, 'repo-'));
  git(root, 'init', '-q');
  git(root, 'config', 'user.email', 't@example.invalid');
  git(root, 'config', 'user.name', 't');
  writeFileSync(path.join(root, 'a.txt'), 'one\n');
  writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET\n');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'init');
  return root;
}

const GIT_CONTRACT = `task look v1
goal "look at the repository"
use git.status, git.diff
do git.status() -> st
do git.diff() -> d
return {status: st, diff: d}
`;

describe('git tools through aex run', () => {
  it('planted filter, textconv, diff command and fsmonitor never run', () => {
    const root = repo();
    const marker = path.join(base, `marker-${path.basename(root)}`);
    writeFileSync(path.join(root, '.gitattributes'), '* filter=evil diff=evil\n');
    git(root, 'config', 'filter.evil.clean', `touch ${marker}; cat`);
    git(root, 'config', 'diff.evil.textconv', `touch ${marker}; cat`);
    git(root, 'config', 'diff.evil.command', `touch ${marker}`);
    git(root, 'config', 'core.fsmonitor', `touch ${marker}; true`);
    writeFileSync(path.join(root, 'a.txt'), 'two\n');
    writeFileSync(path.join(root, 'look.aex'), GIT_CONTRACT);
    const r = aex(['run', 'look.aex'], root);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string[]; diff: string };
    expect(out.status).toContain(' M a.txt');
    expect(out.diff).toContain('+two');
    expect(existsSync(marker)).toBe(false);
  }, 30_000);

  it('a root inside a larger repository: refused with a clear error, the parent secret never shown', () => {
    const top = repo();
    writeFileSync(path.join(top, 'secret.txt'), 'TOP-SECRET changed\n');
    const sub = path.join(top, 'pkg');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'look.aex'), GIT_CONTRACT);
    const r = aex(['run', 'look.aex', '--audit', 'audit.jsonl'], sub);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/AEX055: Tool "git\.status" failed: git\.status needs a git repository at the root/);
    expect(r.stdout + r.stderr + readFileSync(path.join(sub, 'audit.jsonl'), 'utf8')).not.toMatch(/SECRET|secret\.txt/);
  }, 30_000);
});

describe('tests.run through aex run', () => {
  it('a background job the command left behind does not act after run.finished', async () => {
    const dir = mkdtempSync(path.join(base, 'bg-'));
    writeFileSync(
      path.join(dir, 'bg.aex'),
      `task bg v1
goal "leave a job behind"
use tests.run
do tests.run(cmd=["sh", "-c", "(sleep 0.3; touch late) >/dev/null 2>&1 & setsid sh -c 'sleep 0.3; touch late2' >/dev/null 2>&1 &"]) -> t
return t
`,
    );
    const r = aex(['run', 'bg.aex', '--audit', 'audit.jsonl'], dir);
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(dir, 'audit.jsonl'), 'utf8')).toMatch(/"event":"run\.finished","status":"success"/);
    await new Promise((res) => setTimeout(res, 500));
    expect(existsSync(path.join(dir, 'late'))).toBe(false);
    expect(existsSync(path.join(dir, 'late2'))).toBe(false);
  }, 30_000);
});
