import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalPath } from '../../src/runtime/policy/paths.js';

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

// Path arguments of calls and diff files moved to src/describe (tests/describe/).

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
