// The git tools must not become code execution, and must not read above the root: a
// repository planted with filter and diff drivers, fsmonitor, hooks and a gitdir file
// pointing at the repository above. Each attack leaves a marker file if git ran it.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinTools } from '../../src/runtime/tools/builtins.js';
import { driverOverrides, gitEnv } from '../../src/runtime/tools/git-exec.js';
import { resolveTool } from '../../src/runtime/tools/types.js';
import { tmpDir } from './helpers.js';

const tools = builtinTools();
const status = resolveTool(tools, 'git.status')!;
const diff = resolveTool(tools, 'git.diff')!;
const apply = resolveTool(tools, 'git.apply')!;
const write = resolveTool(tools, 'file.write')!;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function git(root: string, ...a: string[]): string {
  return execFileSync('git', a, { cwd: root, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } }).toString();
}

function repo(): { root: string; marker: string } {
  const base = tmpDir('aex-git-harden-');
  dirs.push(base);
  const root = path.join(base, 'repo');
  mkdirSync(root);
  git(root, 'init', '-q');
  git(root, 'config', 'user.email', 't@example.invalid');
  git(root, 'config', 'user.name', 't');
  writeFileSync(path.join(root, 'a.txt'), 'one\n');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'init');
  return { root, marker: path.join(base, 'marker') };
}

/** Plants every driver a repository can name, each of which would touch `marker`. */
function plantDrivers(root: string, marker: string, name = 'evil'): void {
  const touch = `touch ${marker}-`;
  writeFileSync(path.join(root, '.gitattributes'), `* filter=${name} diff=${name}\n`);
  for (const [key, cmd] of [
    [`filter.${name}.clean`, `${touch}clean; cat`],
    [`filter.${name}.smudge`, `${touch}smudge; cat`],
    [`filter.${name}.process`, `${touch}process`],
    [`diff.${name}.textconv`, `${touch}textconv; cat`],
    [`diff.${name}.command`, `${touch}command; true`],
    ['core.fsmonitor', `${touch}fsmonitor; true`],
    ['core.pager', `${touch}pager; cat`],
  ] as const) {
    git(root, 'config', key, cmd);
  }
  mkdirSync(path.join(root, '.git', 'hooks'), { recursive: true });
  writeFileSync(path.join(root, '.git', 'hooks', 'post-checkout'), `#!/bin/sh\n${touch}hook\n`, { mode: 0o755 });
  // A modified file with an old mtime: git has to read it (through the clean filter) to compare.
  writeFileSync(path.join(root, 'a.txt'), 'two\n');
}

function markers(marker: string): string[] {
  const dir = path.dirname(marker);
  return ['clean', 'smudge', 'process', 'textconv', 'command', 'fsmonitor', 'pager', 'hook'].filter((k) => existsSync(`${marker}-${k}`)).map((k) => `${dir}:${k}`);
}

describe('git tools run no program the repository names', () => {
  it('the planted drivers really run under plain git (the attack is real)', () => {
    const { root, marker } = repo();
    plantDrivers(root, marker);
    try {
      git(root, 'diff', '--textconv');
    } catch {
      // the planted process filter does not speak git's protocol: git fails after running it
    }
    expect(markers(marker).length).toBeGreaterThan(0);
  });

  it('git.status, git.diff and git.apply with filter, diff, fsmonitor, pager and hook planted', async () => {
    const { root, marker } = repo();
    plantDrivers(root, marker);
    expect(await status({}, { cwd: root })).toEqual([' M a.txt', '?? .gitattributes']);
    const out = (await diff({}, { cwd: root })) as string;
    expect(out).toContain('-one');
    expect(out).toContain('+two');
    expect(await diff({ path: 'a.txt' }, { cwd: root })).toContain('+two');
    const patch = 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-two\n+three\n';
    expect(await apply({ diff: patch }, { cwd: root })).toEqual({ applied: true });
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('three\n');
    expect(await write({ diff: patch.replace('-two\n+three', '-three\n+four') }, { cwd: root })).toEqual({ applied: true });
    expect(markers(marker)).toEqual([]);
  });

  it('a driver whose name holds "=" or dots is emptied too (no -c splitting)', async () => {
    const { root, marker } = repo();
    plantDrivers(root, marker, 'a=b.c');
    await status({}, { cwd: root });
    await diff({}, { cwd: root });
    expect(markers(marker)).toEqual([]);
  });

  it('drivers defined through an include are emptied', async () => {
    const { root, marker } = repo();
    writeFileSync(path.join(root, '.gitattributes'), '* filter=inc\n');
    writeFileSync(path.join(root, 'extra.cfg'), `[filter "inc"]\n\tclean = touch ${marker}-clean; cat\n`);
    git(root, 'config', 'include.path', '../extra.cfg');
    writeFileSync(path.join(root, 'a.txt'), 'two\n');
    await diff({}, { cwd: root });
    expect(markers(marker)).toEqual([]);
  });

  it('driverOverrides lists each driver once with empty commands', async () => {
    const { root, marker } = repo();
    plantDrivers(root, marker);
    const env = await driverOverrides(root, gitEnv(root, { GIT_DIR: path.join(root, '.git') }));
    const pairs = Array.from({ length: Number(env.GIT_CONFIG_COUNT) }, (_, i) => `${env[`GIT_CONFIG_KEY_${i}`]}=${env[`GIT_CONFIG_VALUE_${i}`]}`);
    expect(pairs).toEqual([
      'filter.evil.clean=',
      'filter.evil.smudge=',
      'filter.evil.process=',
      'filter.evil.required=false',
      'diff.evil.textconv=',
      'diff.evil.command=',
    ]);
  });

  it('inherited GIT_* variables and the user global config are not used', async () => {
    const { root, marker } = repo();
    const home = path.join(path.dirname(root), 'home');
    mkdirSync(home);
    writeFileSync(path.join(home, '.gitconfig'), `[core]\n\tfsmonitor = touch ${marker}-fsmonitor; true\n[diff]\n\texternal = touch ${marker}-command\n`);
    const saved = { HOME: process.env.HOME, GIT_EXTERNAL_DIFF: process.env.GIT_EXTERNAL_DIFF };
    process.env.HOME = home;
    process.env.GIT_EXTERNAL_DIFF = `${marker}-command`;
    try {
      writeFileSync(path.join(root, 'a.txt'), 'two\n');
      await status({}, { cwd: root });
      await diff({}, { cwd: root });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(markers(marker)).toEqual([]);
  });
});

describe('git tools never read above the root', () => {
  function nested(): { top: string; sub: string } {
    const { root } = repo();
    writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET\n');
    git(root, 'add', 'secret.txt');
    git(root, 'commit', '-q', '-m', 'secret');
    writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET changed\n');
    const sub = path.join(root, 'pkg');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'c.txt'), 'sea\n');
    return { top: root, sub };
  }

  it('git.status and git.diff refuse a root that is a subfolder of a repository', async () => {
    const { sub } = nested();
    await expect(status({}, { cwd: sub })).rejects.toThrow(/git\.status needs a git repository at the root .*repository above it is never read/);
    await expect(diff({}, { cwd: sub })).rejects.toThrow(/git\.diff needs a git repository at the root/);
    await expect(diff({ path: 'c.txt' }, { cwd: sub })).rejects.toThrow(/never read/);
  });

  it('a planted gitdir file pointing at the repository above is refused', async () => {
    const { top, sub } = nested();
    writeFileSync(path.join(sub, '.git'), `gitdir: ${path.join(top, '.git')}\n`);
    for (const t of [status, diff]) await expect(t({}, { cwd: sub })).rejects.toThrow(/is not a directory/);
    await expect(apply({ diff: '--- a/c.txt\n+++ b/c.txt\n@@ -1 +1 @@\n-sea\n+SEA\n' }, { cwd: sub })).rejects.toThrow(/is not a directory/);
    expect(readFileSync(path.join(sub, 'c.txt'), 'utf8')).toBe('sea\n');
  });

  it('a core.worktree pointing above the root is ignored: the root is the work tree', async () => {
    const { top, sub } = nested();
    git(sub, 'init', '-q');
    git(sub, 'config', 'core.worktree', top);
    const lines = (await status({}, { cwd: sub })) as string[];
    expect(lines).toEqual(['?? c.txt']);
    expect(((await diff({}, { cwd: sub })) as string).includes('SECRET')).toBe(false);
  });

  it('git.apply in a subfolder still applies, as a plain patch relative to the root', async () => {
    const { sub, top } = nested();
    expect(await apply({ diff: '--- a/c.txt\n+++ b/c.txt\n@@ -1 +1 @@\n-sea\n+SEA\n' }, { cwd: sub })).toEqual({ applied: true });
    expect(readFileSync(path.join(sub, 'c.txt'), 'utf8')).toBe('SEA\n');
    expect(readFileSync(path.join(top, 'secret.txt'), 'utf8')).toBe('TOP-SECRET changed\n');
  });
});
