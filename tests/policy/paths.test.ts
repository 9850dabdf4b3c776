import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalPath, diffTouchedFiles, extractCallPaths } from '../../src/runtime/policy/paths.js';

function tmp(): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-paths-')));
}

describe('canonicalPath', () => {
  it('resolves against cwd, follows symlinks, keeps the missing remainder', () => {
    const root = tmp();
    mkdirSync(path.join(root, 'real'));
    symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    expect(canonicalPath('link/new/file.txt', root)).toBe(path.join(root, 'real/new/file.txt'));
    expect(canonicalPath('a/../real', root)).toBe(path.join(root, 'real'));
    expect(canonicalPath('/etc/../etc', root)).toBe(realpathSync('/etc'));
  });

  it('rejects NUL bytes', () => {
    expect(() => canonicalPath('a\0b', tmp())).toThrow(/NUL/);
  });

  it('keeps %2e%2e as a literal name', () => {
    const root = tmp();
    expect(canonicalPath('%2e%2e/x', root)).toBe(path.join(root, '%2e%2e/x'));
  });
});

describe('extractCallPaths', () => {
  const root = tmp();
  writeFileSync(path.join(root, 'a.txt'), 'a');
  const j = (p: string) => path.join(root, p);

  it('built-ins: paths, path, writes entries and keys, diff files', () => {
    expect(extractCallPaths('file.read', { paths: ['a.txt', 'b/c.txt', 3] }, root)).toEqual([j('a.txt'), j('b/c.txt')]);
    expect(extractCallPaths('file.read', { paths: 'a.txt', path: 'z' }, root)).toEqual([j('a.txt'), j('z')]);
    expect(extractCallPaths('file.write', { writes: [{ path: 'x', contents: '' }, 'y'] }, root)).toEqual([j('x'), j('y')]);
    expect(extractCallPaths('file.write', { writes: { m: 'c', n: { contents: 'd' } } }, root)).toEqual([j('m'), j('n')]);
    const diff = 'diff --git a/src/old.ts b/src/new.ts\n--- a/src/old.ts\n+++ b/src/new.ts\n@@ -1,2 +1,2 @@\n--- not a header\n+x\n context\n';
    expect(extractCallPaths('file.write', { diff }, root)).toEqual([j('src/old.ts'), j('src/new.ts')]);
    expect(extractCallPaths('git.apply', { diff: '--- /dev/null\n+++ b/created.txt\n@@ -0,0 +1 @@\n+hi\n' }, root)).toEqual([j('created.txt')]);
  });

  it('other tools: path, paths, file_path, filePath, notebook_path', () => {
    const got = extractCallPaths('fs.thing', { file_path: '/etc/hosts', filePath: ['q'], notebook_path: 'n.ipynb', other: 'ignored' }, root);
    expect(got).toEqual([realpathSync('/etc/hosts'), j('q'), j('n.ipynb')]);
    expect(extractCallPaths('fs.thing', { writes: ['w'] }, root)).toEqual([]);
  });

  it('throws on NUL so callers deny', () => {
    expect(() => extractCallPaths('file.read', { path: 'x\0' }, root)).toThrow();
  });

  it('diffTouchedFiles skips hunk bodies', () => {
    expect(diffTouchedFiles('--- a/f\n+++ b/f\n@@ -1 +1 @@\n--- a/evil\n+++ b/evil2\n')).toEqual(['f']);
  });
});

describe('diffTouchedFiles mirrors git apply -p1', () => {
  it('strips one leading component whatever it is', () => {
    expect(diffTouchedFiles('--- src/a.ts\n+++ src/a.ts\n@@ -1 +1 @@\n-x\n+y\n')).toEqual(['a.ts']);
    expect(diffTouchedFiles('--- a/src/a.ts\t2024-01-01\n+++ b/src/a.ts\t2024-01-01\n@@ -1 +1 @@\n-x\n+y\n')).toEqual(['src/a.ts']);
    expect(diffTouchedFiles('--- /dev/null\n+++ /etc/passwd\n@@ -0,0 +1 @@\n+x\n')).toEqual(['etc/passwd']);
  });

  it('decodes quoted names, including octal-escaped dots', () => {
    const d = 'diff --git "a/x\\tb" "b/\\056\\056/evil"\n--- "a/x\\tb"\n+++ "b/\\056\\056/evil"\n@@ -1 +1 @@\n-x\n+y\n';
    expect(diffTouchedFiles(d)).toEqual(['x\tb', '../evil']);
  });

  it('includes rename and copy sources and targets', () => {
    const d = 'diff --git a/old.txt b/new.txt\nsimilarity index 100%\nrename from old.txt\nrename to ../outside.txt\n';
    expect(diffTouchedFiles(d)).toEqual(['old.txt', 'new.txt', '../outside.txt']);
  });

  it('names with spaces on the diff --git line', () => {
    expect(diffTouchedFiles('diff --git a/my file.txt b/my file.txt\n')).toEqual(['my file.txt']);
  });
});

describe('canonicalPath follows the OS, not the lexical path', () => {
  it('link/../x is resolved after following the link', () => {
    const root = tmp();
    const other = tmp();
    mkdirSync(path.join(other, 'deep'));
    symlinkSync(path.join(other, 'deep'), path.join(root, 'link'));
    expect(canonicalPath('link/../x', root)).toBe(path.join(other, 'x'));
  });

  it('a dangling symlink resolves to where a write would land', () => {
    const root = tmp();
    symlinkSync('/nonexistent-aex-dir/file', path.join(root, 'dangling'));
    expect(canonicalPath('dangling', root)).toBe('/nonexistent-aex-dir/file');
    symlinkSync('rel-target', path.join(root, 'rel'));
    expect(canonicalPath('rel', root)).toBe(path.join(root, 'rel-target'));
  });

  it('symlink loops throw', () => {
    const root = tmp();
    symlinkSync(path.join(root, 'b'), path.join(root, 'a'));
    symlinkSync(path.join(root, 'a'), path.join(root, 'b'));
    expect(() => canonicalPath('a/x', root)).toThrow(/symbolic links/);
  });
});
