// Diffs are cross-checked with git before they are applied (docs/shell.md, docs/paths.md): a patch
// whose headers could be read two ways is refused before anything is written, and
// git's own reading must match the parser's file for file.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePatch, type FilePatch } from '../../src/describe/patch.js';
import { builtinTools } from '../../src/runtime/tools/builtins.js';
import { checkGitReading, renderRename } from '../../src/runtime/tools/git-patch-check.js';
import { resolveTool } from '../../src/runtime/tools/types.js';
import { tmpDir } from './helpers.js';

const tools = builtinTools();
const write = resolveTool(tools, 'file.write')!;
const apply = resolveTool(tools, 'git.apply')!;

function repo(): string {
  const root = tmpDir('aex-patch-');
  execFileSync('git', ['init', '-q'], { cwd: root });
  writeFileSync(path.join(root, 'a.txt'), 'one\n');
  return root;
}

function patches(text: string): FilePatch[] {
  const r = parsePatch(text);
  if ('error' in r) throw new Error(r.error);
  return r.patches;
}

describe('applying a patch', () => {
  it('refuses a diff whose diff --git line and ---/+++ names disagree, before writing', async () => {
    const root = repo();
    const crafted = 'diff --git a/a.txt b/a.txt\n--- /dev/null\n+++ b/secret.txt\n@@ -0,0 +1 @@\n+x\n';
    await expect(write({ diff: crafted }, { cwd: root })).rejects.toThrow(/valid unified diff/);
    await expect(apply({ diff: crafted }, { cwd: root })).rejects.toThrow(/valid unified diff/);
    const swapped = 'diff --git a/a.txt b/a.txt\n--- a/secret.txt\n+++ b/secret.txt\n@@ -0,0 +1 @@\n+x\n';
    await expect(apply({ diff: swapped }, { cwd: root })).rejects.toThrow(/valid unified diff/);
    expect(existsSync(path.join(root, 'secret.txt'))).toBe(false);
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('applies quoted names, renames with rename old/new, and mode changes that git reads the same way', async () => {
    const root = repo();
    const diff = [
      'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/caf\\303\\251.txt"',
      '@@ -0,0 +1 @@',
      '+hi',
      'diff --git a/a.txt b/dir/b.txt',
      'similarity index 100%',
      'rename old a.txt',
      'rename new dir/b.txt',
      '',
    ].join('\n');
    expect(await apply({ diff }, { cwd: root })).toEqual({ applied: true });
    expect(readFileSync(path.join(root, 'café.txt'), 'utf8')).toBe('hi\n');
    expect(readFileSync(path.join(root, 'dir/b.txt'), 'utf8')).toBe('one\n');
  });

  it('applies a symlink patch (the kernel, not the tool, requires allow file.symlink)', async () => {
    const root = repo();
    const diff = 'diff --git a/l b/l\nnew file mode 120000\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+a.txt\n\\ No newline at end of file\n';
    await write({ diff }, { cwd: root });
    expect(lstatSync(path.join(root, 'l')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(root, 'l'))).toBe('a.txt');
  });

  it('ignores repository settings that would run programs (hooks, fsmonitor)', async () => {
    const root = repo();
    execFileSync('git', ['config', 'core.fsmonitor', `touch ${path.join(root, 'pwned')}; false`], { cwd: root });
    const diff = '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+uno\n';
    await apply({ diff }, { cwd: root });
    expect(existsSync(path.join(root, 'pwned'))).toBe(false);
  });
});

describe('checkGitReading', () => {
  const one = patches('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n');

  it('accepts git output that names the same files', () => {
    expect(() => checkGitReading('1\t1\tx\0', one)).not.toThrow();
  });

  it('refuses another name, a missing record, or an unexpected summary line', () => {
    expect(() => checkGitReading('1\t1\tsecret\0', one)).toThrow(/git names "secret"/);
    expect(() => checkGitReading('', one)).toThrow(/fewer files/);
    expect(() => checkGitReading('1\t1\tx\0 something new\n', one)).toThrow(/unexpected summary/);
  });

  it('refuses a symlink git creates that the parser did not see', () => {
    expect(() => checkGitReading('1\t1\tx\0 create mode 120000 x\n', one)).toThrow(/symlink/);
    expect(() => checkGitReading('1\t1\tx\0 mode change 100644 => 120000 x\n', one)).toThrow(/symlink/);
  });

  it('refuses renames git reads between other names', () => {
    const r = patches('diff --git a/d/x b/d/y\nrename from d/x\nrename to d/y\n');
    expect(() => checkGitReading('0\t0\td/y\0 rename d/{x => y} (100%)\n', r)).not.toThrow();
    expect(() => checkGitReading('0\t0\td/y\0 rename d/{secret => y} (100%)\n', r)).toThrow(/rename/);
    expect(() => checkGitReading('0\t0\td/y\0', r)).toThrow(/does not read/);
  });

  it('renders renames the way git shortens them', () => {
    expect(renderRename('a/b/x', 'a/b/y')).toBe('a/b/{x => y}');
    expect(renderRename('x', 'd/x')).toBe('x => d/x');
  });
});
