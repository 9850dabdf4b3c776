// physicalPath answers a path that exists all the way with one realpath(3) call and
// walks component by component otherwise (src/describe/physical.ts). Both must land
// where the walk of docs/paths.md lands. The reference below is that walk, written out
// again; the attack paths go through relative, absolute, chained and dangling links,
// `..` after a link, loops, files used as directories and trailing slashes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { physicalPath, withCallPathCache, UnreadablePathError } from '../../src/describe/physical.js';

function referenceWalk(p: string, base: string): string {
  const queue = (path.isAbsolute(p) ? p : base + '/' + p).split('/');
  let current = '/';
  let links = 0;
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = current === '/' ? '/' + c : current + '/' + c;
    let isLink = false;
    try {
      isLink = fs.lstatSync(next).isSymbolicLink();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UnreadablePathError(String(code));
    }
    if (!isLink) {
      current = next;
      continue;
    }
    if (++links > 40) throw new UnreadablePathError('loop');
    const target = fs.readlinkSync(next);
    if (path.isAbsolute(target)) current = '/';
    queue.unshift(...target.split('/'));
  }
  return current;
}

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aex-physical-')));

beforeAll(() => {
  for (const d of ['a/b/c', 'secrets/deep', 'public']) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (const f of ['a/b/c/file', 'secrets/key', 'secrets/deep/k2', 'public/readme']) fs.writeFileSync(path.join(root, f), 'x');
  const link = (target: string, at: string) => fs.symlinkSync(target, path.join(root, at));
  link('secrets', 'rel');
  link(path.join(root, 'secrets'), 'abs');
  link('rel', 'chain');
  link('a/b/c', 'deep');
  link('../secrets', 'public/up');
  link('nowhere/file', 'dangling');
  link('loop2', 'loop1');
  link('loop1', 'loop2');
  link('a/b/c/file', 'filelink');
  link('.', 'self');
  link('/', 'toroot');
});

const CASES = [
  'secrets/key',
  'rel/key',
  'abs/key',
  'chain/deep/k2',
  'deep/../../../secrets/key',
  'deep/..',
  'public/up/key',
  'public/up/../public/readme',
  'rel/../public/readme',
  'dangling',
  'dangling/x',
  'missing/../rel/key',
  'missing/x/y',
  'a/b/c/file/x',
  'a/b/c/file/',
  'a/b/c/',
  'filelink',
  'filelink/..',
  'self/self/rel/key',
  'toroot/etc',
  'toroot/../..',
  './a//b/./c/file',
  'rel/',
  '..',
  '',
];

describe('physicalPath lands where the component walk lands', () => {
  for (const c of CASES) {
    it(JSON.stringify(c), () => {
      expect(physicalPath(c, root)).toBe(referenceWalk(c, root));
      expect(withCallPathCache(() => [physicalPath(c, root), physicalPath(c, root)])).toEqual([referenceWalk(c, root), referenceWalk(c, root)]);
      expect(physicalPath(path.join(root, c), '/')).toBe(referenceWalk(path.join(root, c), '/'));
    });
  }
  it('a symlink loop is unreadable either way', () => {
    expect(() => physicalPath('loop1/x', root)).toThrow(UnreadablePathError);
    expect(() => withCallPathCache(() => physicalPath('loop1', root))).toThrow(UnreadablePathError);
  });
});
