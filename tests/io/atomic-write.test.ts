// The one atomic writer (src/io/atomic-write.ts): each guarantee it gives, and the ways a
// write could be redirected or leave debris.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A fixed Math.random makes the temp name predictable for the tests that plant something
// there; fsyncSync is wrapped to see what is synced.
const fixed = vi.hoisted(() => ({ on: false, synced: [] as string[] }));
const realRandom = Math.random;
Math.random = () => (fixed.on ? 0.5 : realRandom());
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const fsyncSync = (fd: number) => {
    fixed.synced.push(fs.fstatSync(fd).isDirectory() ? 'dir' : 'file');
    return real.fsyncSync(fd);
  };
  return { ...real, default: { ...real, fsyncSync }, fsyncSync };
});

const { writeFileAtomic, tempNameFor } = await import('../../src/io/atomic-write.js');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aex-atomic-'));
  fixed.on = false;
  fixed.synced = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const leftovers = () => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an existing one by rename (a new inode, never a rewrite in place)', () => {
    const f = path.join(dir, 'a.json');
    writeFileAtomic(f, 'one');
    expect(fs.readFileSync(f, 'utf8')).toBe('one');
    const before = fs.statSync(f).ino;
    writeFileAtomic(f, Buffer.from('two'));
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    expect(fs.statSync(f).ino).not.toBe(before);
    expect(leftovers()).toEqual([]);
  });

  it('gives a new file the requested mode (0o644 by default)', () => {
    const secret = path.join(dir, 'secret');
    writeFileAtomic(secret, 'k', { mode: 0o600 });
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
    const plain = path.join(dir, 'plain');
    writeFileAtomic(plain, 'p');
    expect(fs.statSync(plain).mode & 0o077 & ~0o044).toBe(0);
  });

  it('puts the temp file in the target folder, under a name that differs every time', () => {
    const f = path.join(dir, 'x');
    const a = tempNameFor(f);
    const b = tempNameFor(f);
    expect(path.dirname(a)).toBe(dir);
    expect(a).not.toBe(b);
    expect(path.basename(a).startsWith('.x.')).toBe(true);
  });

  it('fsyncs the data, and the folder too when asked to be durable', () => {
    writeFileAtomic(path.join(dir, 'a'), 'a');
    expect(fixed.synced).toEqual(['file']);
    fixed.synced = [];
    writeFileAtomic(path.join(dir, 'b'), 'b', { durable: true });
    expect(fixed.synced).toEqual(['file', 'dir']);
  });

  it('refuses to write through a symlink planted at the temp name, and leaves the target alone', () => {
    fixed.on = true;
    const f = path.join(dir, 'policy.aex');
    fs.writeFileSync(f, 'original');
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'victim');
    fs.symlinkSync(victim, tempNameFor(f));
    expect(() => writeFileAtomic(f, 'evil')).toThrow(/EEXIST/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('victim');
    expect(fs.readFileSync(f, 'utf8')).toBe('original');
    // the planted link is not ours to remove
    expect(fs.lstatSync(tempNameFor(f)).isSymbolicLink()).toBe(true);
  });

  it('refuses a dangling symlink at the temp name as well (it would create the file it points at)', () => {
    fixed.on = true;
    const f = path.join(dir, 'out.json');
    const target = path.join(dir, 'created-elsewhere');
    fs.symlinkSync(target, tempNameFor(f));
    expect(() => writeFileAtomic(f, 'x')).toThrow(/EEXIST/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(f)).toBe(false);
  });

  it('removes its temp file when the final rename fails, and the error reaches the caller', () => {
    const f = path.join(dir, 'busy');
    fs.mkdirSync(f);
    fs.writeFileSync(path.join(f, 'inside'), 'x');
    expect(() => writeFileAtomic(f, 'data')).toThrow();
    expect(leftovers()).toEqual([]);
    expect(fs.statSync(f).isDirectory()).toBe(true);
  });

  it('exclusive: never replaces an existing file, even one created just before, and leaves no temp', () => {
    const f = path.join(dir, 'grant.json');
    writeFileAtomic(f, 'first', { exclusive: true });
    expect(fs.readFileSync(f, 'utf8')).toBe('first');
    expect(() => writeFileAtomic(f, 'second', { exclusive: true })).toThrow(/EEXIST/);
    expect(fs.readFileSync(f, 'utf8')).toBe('first');
    expect(leftovers()).toEqual([]);
  });

  it('exclusive: a symlink at the target name is not followed (the link itself counts as existing)', () => {
    const f = path.join(dir, 'new.json');
    const elsewhere = path.join(dir, 'elsewhere');
    fs.symlinkSync(elsewhere, f);
    expect(() => writeFileAtomic(f, 'x', { exclusive: true })).toThrow(/EEXIST/);
    expect(fs.existsSync(elsewhere)).toBe(false);
  });

  it('a symlink at the target name is replaced, not written through', () => {
    const f = path.join(dir, 'settings.json');
    const outside = path.join(dir, 'outside');
    fs.writeFileSync(outside, 'keep');
    fs.symlinkSync(outside, f);
    writeFileAtomic(f, 'new');
    expect(fs.lstatSync(f).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(f, 'utf8')).toBe('new');
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep');
  });

  it('mkdir creates missing folders with the given mode; without it a missing folder is an error', () => {
    const f = path.join(dir, 'a', 'b', 'c.json');
    expect(() => writeFileAtomic(f, 'x')).toThrow(/ENOENT/);
    writeFileAtomic(f, 'x', { mkdir: { mode: 0o700 } });
    expect(fs.readFileSync(f, 'utf8')).toBe('x');
    expect(fs.statSync(path.join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
  });

  it('writes large data whole (every byte, not one write call)', () => {
    const f = path.join(dir, 'big');
    const big = Buffer.alloc(5 * 1024 * 1024, 7);
    writeFileAtomic(f, big);
    expect(fs.readFileSync(f).equals(big)).toBe(true);
  });
});
