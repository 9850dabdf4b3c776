// Path forms of actions (docs/paths.md, docs/paths.md): every spelling an agent might use to
// reach a protected file yields a form the kernel's deny rule will see.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PathError, pathAttr, pathAttrCandidates, unresolvedPath } from '../../src/describe/paths.js';
import type { DescribeContext } from '../../src/describe/types.js';

let root: string;
let home: string;
let ctx: DescribeContext;

beforeAll(() => {
  const top = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-paths-')));
  root = path.join(top, 'proj');
  home = path.join(top, 'home');
  mkdirSync(path.join(root, 'notes'), { recursive: true });
  mkdirSync(path.join(root, 'secrets'), { recursive: true });
  mkdirSync(path.join(top, 'elsewhere', 'deep'), { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(root, 'secrets', 'key'), 'k');
  // notes/link → ../secrets : the lexical form says notes/, the physical says secrets/.
  symlinkSync('../secrets', path.join(root, 'notes', 'link'));
  // deeplink → elsewhere/deep : `deeplink/../x` is elsewhere/x to open(2).
  symlinkSync(path.join(top, 'elsewhere', 'deep'), path.join(root, 'deeplink'));
  symlinkSync('loop2', path.join(root, 'loop1'));
  symlinkSync('loop1', path.join(root, 'loop2'));
  symlinkSync(path.join(root, 'secrets', 'new-file'), path.join(root, 'dangling'));
  ctx = { root, cwd: root, home };
});

describe('pathAttr', () => {
  it('joins a relative path to its base and removes . and .. textually', () => {
    expect(pathAttr('notes/./a/../b.txt', root, ctx)).toEqual({ given: 'notes/./a/../b.txt', forms: [path.join(root, 'notes/b.txt')] });
  });

  it('gives both forms of a path through a symlink', () => {
    const a = pathAttr('notes/link/key', root, ctx);
    expect(a.forms).toEqual([path.join(root, 'notes/link/key'), path.join(root, 'secrets/key')]);
  });

  it('applies .. after the symlink, as open(2) does (link/../x)', () => {
    const a = pathAttr('deeplink/../x', root, ctx);
    expect(a.forms).toContain(path.join(root, 'x'));
    expect(a.forms).toContain(path.join(path.dirname(root), 'elsewhere', 'x'));
  });

  it('reaches a protected file through .. back out of a symlinked folder (notes/link/../secrets/key)', () => {
    const a = pathAttr('notes/link/../secrets/key', root, ctx);
    expect(a.forms).toEqual([path.join(root, 'notes/secrets/key'), path.join(root, 'secrets/key')]);
  });

  it('follows a dangling symlink to where a write would create the file', () => {
    expect(pathAttr('dangling', root, ctx).forms).toEqual([path.join(root, 'dangling'), path.join(root, 'secrets/new-file')]);
  });

  it('expands ~ and ~/ to the home directory', () => {
    expect(pathAttr('~', root, ctx).forms).toEqual([home]);
    expect(pathAttr('~/.ssh/id', root, ctx).forms).toEqual([path.join(home, '.ssh/id')]);
  });

  it('leaves ~user unresolved', () => {
    expect(pathAttr('~root/.ssh/id', root, ctx)).toEqual(unresolvedPath('~root/.ssh/id', 'home of another user'));
  });

  it('normalises NFD names to NFC in every form', () => {
    const nfd = 'secrets/cafe\u0301';
    const a = pathAttr(nfd, root, ctx);
    expect(a.forms).toEqual([path.join(root, 'secrets/caf\u00e9')]);
    expect(a.given).toBe(nfd);
  });

  it('keeps a newline in a name as part of the name', () => {
    expect(pathAttr('notes/a\nb', root, ctx).forms).toEqual([path.join(root, 'notes/a\nb')]);
  });

  it('refuses a NUL byte', () => {
    expect(() => pathAttr('notes/a\0b', root, ctx)).toThrow(PathError);
  });

  it('makes a symlink loop unresolved, never a guess', () => {
    expect(pathAttr('loop1/x', root, ctx).unresolved?.what).toBe('path');
  });

  it('makes a relative path against a relative base unresolved', () => {
    expect(pathAttr('a', 'rel', ctx).unresolved?.why).toBe('unknown base');
  });

  it('keeps absolute paths absolute whatever the base', () => {
    expect(pathAttr('/etc/../etc/passwd', root, ctx).forms[0]).toBe('/etc/passwd');
  });
});

describe('pathAttrCandidates (MCP)', () => {
  it('judges a relative path against every candidate base, both forms each', () => {
    const other = path.join(path.dirname(root), 'elsewhere');
    const a = pathAttrCandidates('notes/link/key', [root, other], ctx);
    expect(a.forms).toEqual([path.join(root, 'notes/link/key'), path.join(root, 'secrets/key'), path.join(other, 'notes/link/key')]);
  });

  it('leaves relative and ~ paths unresolved when the base is unknown', () => {
    expect(pathAttrCandidates('a.txt', undefined, ctx).unresolved?.why).toBe('unknown base');
    expect(pathAttrCandidates('~/a.txt', undefined, ctx).unresolved?.why).toBe('unknown base');
    expect(pathAttrCandidates('a.txt', [], ctx).unresolved?.why).toBe('unknown base');
  });

  it('resolves absolute paths without a base', () => {
    expect(pathAttrCandidates(path.join(root, 'secrets/key'), undefined, ctx).forms).toEqual([path.join(root, 'secrets/key')]);
  });

  it('expands ~/ to the home of the user AEX runs as when bases are known', () => {
    expect(pathAttrCandidates('~/x', [root], ctx).forms).toEqual([path.join(home, 'x')]);
  });

  it('is unresolved when any candidate base is', () => {
    expect(pathAttrCandidates('loop1/x', [path.dirname(root), root], ctx).unresolved).toBeDefined();
  });
});
