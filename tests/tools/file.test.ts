import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinTools } from '../../src/runtime/tools/builtins.js';
import { resolveTool } from '../../src/runtime/tools/types.js';
import { tmpDir } from './helpers.js';

const tools = builtinTools();
const read = resolveTool(tools, 'file.read')!;
const write = resolveTool(tools, 'file.write')!;

function setup() {
  const root = tmpDir();
  const outside = tmpDir('aex-outside-');
  writeFileSync(path.join(root, 'a.txt'), 'A');
  mkdirSync(path.join(root, 'sub'));
  writeFileSync(path.join(root, 'sub/b.txt'), 'B');
  writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
  return { root, outside };
}

describe('file.read', () => {
  it('reads paths (string or list) and path, keyed as given', async () => {
    const { root } = setup();
    expect(await read({ paths: 'a.txt' }, { cwd: root })).toEqual({ 'a.txt': 'A' });
    expect(await read({ paths: ['a.txt', 7, 'sub/b.txt'] }, { cwd: root })).toEqual({ 'a.txt': 'A', 'sub/b.txt': 'B' });
    expect(await read({ path: './sub/b.txt' }, { cwd: root })).toEqual({ './sub/b.txt': 'B' });
    expect(await read({}, { cwd: root })).toEqual({});
  });

  it('refuses .. traversal, absolute paths outside, NUL bytes', async () => {
    const { root, outside } = setup();
    await expect(read({ paths: ['../' + path.basename(outside) + '/secret.txt'] }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(read({ path: path.join(outside, 'secret.txt') }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(read({ path: '/etc/passwd' }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(read({ path: 'a.txt\0.png' }, { cwd: root })).rejects.toThrow(/NUL/);
    // an absolute path inside the root is fine
    expect(await read({ path: path.join(root, 'a.txt') }, { cwd: root })).toEqual({ [path.join(root, 'a.txt')]: 'A' });
  });

  it('refuses a symlink that escapes, follows one that stays inside', async () => {
    const { root, outside } = setup();
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    symlinkSync(outside, path.join(root, 'dirlink'));
    symlinkSync(path.join(root, 'sub/b.txt'), path.join(root, 'inner.txt'));
    await expect(read({ path: 'link.txt' }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(read({ path: 'dirlink/secret.txt' }, { cwd: root })).rejects.toThrow(/outside/);
    expect(await read({ path: 'inner.txt' }, { cwd: root })).toEqual({ 'inner.txt': 'B' });
  });

  it('link/../name is resolved the way the OS opens it', async () => {
    const { root, outside } = setup();
    mkdirSync(path.join(outside, 'deep'));
    symlinkSync(path.join(outside, 'deep'), path.join(root, 'hop'));
    // lexically this is root/a.txt, but open(2) would read outside/a.txt
    await expect(read({ path: 'hop/../secret.txt' }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(write({ path: 'hop/../new.txt', contents: 'x' }, { cwd: root })).rejects.toThrow(/outside/);
  });

  it('a refused path in a list reads nothing', async () => {
    const { root } = setup();
    await expect(read({ paths: ['a.txt', '../x'] }, { cwd: root })).rejects.toThrow();
  });

  it('URL-encoded names are literal file names, not traversal', async () => {
    const { root } = setup();
    mkdirSync(path.join(root, '%2e%2e'));
    writeFileSync(path.join(root, '%2e%2e/x.txt'), 'literal');
    expect(await read({ path: '%2e%2e/x.txt' }, { cwd: root })).toEqual({ '%2e%2e/x.txt': 'literal' });
    await expect(read({ path: '%2e%2e/%2e%2e/etc/passwd' }, { cwd: root })).rejects.toThrow(/ENOENT/);
  });

  it('a file named ..notes inside the root is fine', async () => {
    const { root } = setup();
    writeFileSync(path.join(root, '..notes'), 'n');
    expect(await read({ path: '..notes' }, { cwd: root })).toEqual({ '..notes': 'n' });
  });
});

describe('file.write', () => {
  it('supports every argument shape', async () => {
    const { root } = setup();
    expect(await write({ writes: [{ path: 'w1.txt', contents: 'one' }] }, { cwd: root })).toEqual({ written: ['w1.txt'] });
    expect(await write({ writes: ['w2.txt', 'deep/w3.txt'], contents: 'same' }, { cwd: root })).toEqual({ written: ['w2.txt', 'deep/w3.txt'] });
    expect(await write({ writes: { 'm1.txt': 'x', 'm2.bin': { contents: 'aGk=', encoding: 'base64' } } }, { cwd: root })).toEqual({
      written: ['m1.txt', 'm2.bin'],
    });
    expect(await write({ path: 'p.txt', contents: '6869', encoding: 'hex' }, { cwd: root })).toEqual({ written: ['p.txt'] });
    expect(readFileSync(path.join(root, 'w1.txt'), 'utf8')).toBe('one');
    expect(readFileSync(path.join(root, 'deep/w3.txt'), 'utf8')).toBe('same');
    expect(readFileSync(path.join(root, 'm2.bin'), 'utf8')).toBe('hi');
    expect(readFileSync(path.join(root, 'p.txt'), 'utf8')).toBe('hi');
    // no temp files left behind
    expect(readdirSync(root).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('refuses unknown encodings, non-string contents and no usable argument', async () => {
    const { root } = setup();
    await expect(write({ path: 'x', contents: 'a', encoding: 'latin1' }, { cwd: root })).rejects.toThrow(/encoding/);
    await expect(write({ path: 'x', contents: 5 }, { cwd: root })).rejects.toThrow(/string/);
    await expect(write({ path: 'x', contents: 'zz', encoding: 'hex' }, { cwd: root })).rejects.toThrow(/hex/);
    await expect(write({}, { cwd: root })).rejects.toThrow(/needs/);
    expect(existsSync(path.join(root, 'x'))).toBe(false);
  });

  it('refuses traversal, absolute outside, NUL, and writing through escaping symlinks', async () => {
    const { root, outside } = setup();
    await expect(write({ path: '../evil.txt', contents: 'e' }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(write({ path: path.join(outside, 'evil.txt'), contents: 'e' }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(write({ path: 'a\0b', contents: 'e' }, { cwd: root })).rejects.toThrow(/NUL/);
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    await expect(write({ path: 'link.txt', contents: 'pwned' }, { cwd: root })).rejects.toThrow(/outside/);
    symlinkSync(outside, path.join(root, 'dirlink'));
    await expect(write({ writes: [{ path: 'dirlink/new.txt', contents: 'pwned' }] }, { cwd: root })).rejects.toThrow(/outside/);
    symlinkSync(path.join(outside, 'missing-dir/x'), path.join(root, 'dangling'));
    await expect(write({ path: 'dangling', contents: 'pwned' }, { cwd: root })).rejects.toThrow(/outside/);
    await expect(write({ path: 'dangling/y', contents: 'pwned' }, { cwd: root })).rejects.toThrow();
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('SECRET');
    expect(existsSync(path.join(outside, 'new.txt'))).toBe(false);
    expect(existsSync(path.join(outside, 'missing-dir'))).toBe(false);
    expect(lstatSync(path.join(root, 'link.txt')).isSymbolicLink()).toBe(true);
  });

  it('one refused target writes nothing at all', async () => {
    const { root } = setup();
    await expect(write({ writes: [{ path: 'ok.txt', contents: 'x' }, { path: '../bad.txt', contents: 'y' }] }, { cwd: root })).rejects.toThrow();
    expect(existsSync(path.join(root, 'ok.txt'))).toBe(false);
  });

  it('applies a diff and throws when it does not apply', async () => {
    const { root } = setup();
    writeFileSync(path.join(root, 'f.txt'), 'one\ntwo\n');
    const good = 'diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n';
    expect(await write({ diff: good }, { cwd: root })).toEqual({ applied: true });
    expect(readFileSync(path.join(root, 'f.txt'), 'utf8')).toBe('one\nTWO\n');
    // applying the same diff again no longer matches
    await expect(write({ diff: good }, { cwd: root })).rejects.toThrow(/git apply failed/);
    await expect(write({ diff: 'not a diff' }, { cwd: root })).rejects.toThrow(/valid unified diff/);
    const escape = '--- a/../escape.txt\n+++ b/../escape.txt\n@@ -0,0 +1 @@\n+x\n';
    await expect(write({ diff: escape }, { cwd: root })).rejects.toThrow(/outside/);
    const quoted = '--- "a/\\056\\056/escape.txt"\n+++ "b/\\056\\056/escape.txt"\n@@ -0,0 +1 @@\n+x\n';
    await expect(write({ diff: quoted }, { cwd: root })).rejects.toThrow(/outside/);
    const rename = 'diff --git a/f.txt b/../moved.txt\nsimilarity index 100%\nrename from f.txt\nrename to ../moved.txt\n';
    await expect(write({ diff: rename }, { cwd: root })).rejects.toThrow(/outside/);
    // a rename the diff --git line does not carry is unreadable, so it never gets as far
    const hidden = 'diff --git a/f.txt b/f.txt\nsimilarity index 100%\nrename from f.txt\nrename to ../moved.txt\n';
    await expect(write({ diff: hidden }, { cwd: root })).rejects.toThrow(/valid unified diff/);
    expect(readFileSync(path.join(root, 'f.txt'), 'utf8')).toBe('one\nTWO\n');
  });
});
