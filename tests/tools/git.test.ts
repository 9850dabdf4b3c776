import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinTools } from '../../src/runtime/tools/builtins.js';
import { resolveTool } from '../../src/runtime/tools/types.js';
import { tmpDir } from './helpers.js';

const tools = builtinTools();
const status = resolveTool(tools, 'git.status')!;
const diff = resolveTool(tools, 'git.diff')!;
const apply = resolveTool(tools, 'git.apply')!;

function repo(): string {
  const root = tmpDir('aex-git-');
  const git = (...a: string[]) => execFileSync('git', a, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('config', 'user.email', 't@example.invalid');
  git('config', 'user.name', 't');
  writeFileSync(path.join(root, 'a.txt'), 'one\n');
  writeFileSync(path.join(root, 'b.txt'), 'bee\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  return root;
}

describe('git tools', () => {
  it('git.status lists short status lines', async () => {
    const root = repo();
    writeFileSync(path.join(root, 'a.txt'), 'two\n');
    writeFileSync(path.join(root, 'new.txt'), 'n');
    expect(await status({}, { cwd: root })).toEqual([' M a.txt', '?? new.txt']);
  });

  it('git.diff accepts paths or path, confined to the root', async () => {
    const root = repo();
    writeFileSync(path.join(root, 'a.txt'), 'two\n');
    writeFileSync(path.join(root, 'b.txt'), 'bee2\n');
    const all = (await diff({}, { cwd: root })) as string;
    expect(all).toContain('a/a.txt');
    expect(all).toContain('a/b.txt');
    const one = (await diff({ path: 'a.txt' }, { cwd: root })) as string;
    expect(one).toContain('a/a.txt');
    expect(one).not.toContain('b.txt');
    expect(await diff({ paths: ['b.txt'] }, { cwd: root })).toContain('+bee2');
    await expect(diff({ paths: ['../x'] }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(diff({ path: '/etc' }, { cwd: root })).rejects.toThrow(/outside/);
    const outside = tmpDir();
    symlinkSync(outside, path.join(root, 'out'));
    await expect(diff({ path: 'out/x' }, { cwd: root })).rejects.toThrow(/outside/);
    // shell metacharacters are just (missing) file names: execFile, no shell
    await expect(diff({ path: '$(touch pwned)' }, { cwd: root })).resolves.toBe('');
  });

  it('git.apply applies, and throws when the patch does not apply or is missing', async () => {
    const root = repo();
    const patch = 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+uno\n';
    expect(await apply({ diff: patch }, { cwd: root })).toEqual({ applied: true });
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('uno\n');
    await expect(apply({ diff: patch }, { cwd: root })).rejects.toThrow(/git apply failed/);
    await expect(apply({}, { cwd: root })).rejects.toThrow(/required/);
  });

  it('patch paths are relative to the root even inside a larger repository', async () => {
    const top = repo();
    const sub = path.join(top, 'pkg');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'c.txt'), 'sea\n');
    const patch = '--- a/c.txt\n+++ b/c.txt\n@@ -1 +1 @@\n-sea\n+SEA\n';
    expect(await apply({ diff: patch }, { cwd: sub })).toEqual({ applied: true });
    expect(readFileSync(path.join(sub, 'c.txt'), 'utf8')).toBe('SEA\n');
  });
});
