// Grants in `aex run` (docs/grants.md): a person's grant stands in for the policy's missing
// allow of exactly its rule, read when the run starts; the contract's own `use` list still binds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createGrant } from '../../src/grants/store.js';

const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-run-grants-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const env = { ...process.env, AEX_STATE_DIR: path.join(base, 'state') };
const bin = path.resolve(__dirname, '../../bin/aex.js');
const project = path.join(base, 'project');
mkdirSync(path.join(project, 'notes'), { recursive: true });
writeFileSync(path.join(project, 'notes', 'a.txt'), 'hello\n');
writeFileSync(path.join(project, 'secret.txt'), 'no\n');
writeFileSync(path.join(project, 'policy.aex'), 'policy strict v1\ngoal "Nothing but status."\nallow git.status\n');
const task = (file: string) => `task read v1\ngoal "Read one file."\nuse file.read\ndo file.read(path="${file}") -> t\nreturn t\n`;
const run = (file: string) => {
  writeFileSync(path.join(project, 'task.aex'), task(file));
  return spawnSync(process.execPath, [bin, 'run', 'task.aex', '--policy', 'policy.aex'], { cwd: project, encoding: 'utf8', env, input: '' });
};

it('a grant allows exactly its path in a run, nothing wider', () => {
  expect(run('notes/a.txt').status).toBe(1);
  createGrant(project, 'file.read:notes/**', { env });
  const ok = run('notes/a.txt');
  expect(ok.status, ok.stderr).toBe(0);
  expect(ok.stdout).toContain('hello');
  expect(run('secret.txt').status).toBe(1);
});
