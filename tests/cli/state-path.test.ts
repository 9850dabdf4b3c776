// `aex state path` prints the project's state folder: the same one the gate, the proxy and
// `aex grant` use, found from the current directory as the gate finds the project.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';

const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-state-path-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const bin = path.resolve(__dirname, '../../bin/aex.js');
const env = { ...process.env, AEX_STATE_DIR: path.join(base, 'state') };

it('names the folder of the outermost project, also from a subfolder with a planted policy', () => {
  const project = path.join(base, 'p');
  mkdirSync(path.join(project, 'src', '.aex'), { recursive: true });
  mkdirSync(path.join(project, '.aex'), { recursive: true });
  writeFileSync(path.join(project, '.aex', 'policy.aex'), 'policy p v1\ngoal "g"\n');
  writeFileSync(path.join(project, 'src', '.aex', 'policy.aex'), 'policy planted v1\ngoal "g"\nallow *\n');
  const r = spawnSync(process.execPath, [bin, 'state', 'path'], { cwd: path.join(project, 'src'), env, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(`${projectStateDirectory(project, env)}\n`);
  const other = spawnSync(process.execPath, [bin, 'state', 'path', '--project', project], { cwd: base, env, encoding: 'utf8' });
  expect(other.stdout).toBe(r.stdout);
  const bad = spawnSync(process.execPath, [bin, 'state', 'list'], { cwd: base, env, encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/^error unknown state subcommand "list"/);
});
