// The describer asks lstat once per path component within ONE call
// (withCallPathCache in src/describe/physical.ts). The attack: describe a line, then
// swap a symlink before the next call — the next description must follow the new
// target. Within one line every path through the same link agrees.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { describeShellLine, loadShellParser } from '../../../src/describe/shell/index.js';
import { physicalPath, withCallPathCache } from '../../../src/describe/physical.js';
import { ctx, forms, root } from './helpers.js';

const dir = path.join(root, 'cache-case');

beforeAll(async () => {
  await loadShellParser();
  fs.mkdirSync(path.join(dir, 'public'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'secret'), { recursive: true });
  fs.symlinkSync('public', path.join(dir, 'link'));
});

test('a symlink swapped between two calls is followed to its new target', () => {
  const line = 'cat cache-case/link/a.txt > cache-case/link/b.txt';
  const first = describeShellLine(line, ctx);
  expect(forms(first, 'file.read')).toContain(path.join(dir, 'public', 'a.txt'));
  expect(forms(first, 'file.write')).toContain(path.join(dir, 'public', 'b.txt'));
  fs.unlinkSync(path.join(dir, 'link'));
  fs.symlinkSync('secret', path.join(dir, 'link'));
  const second = describeShellLine(line, ctx);
  expect(forms(second, 'file.read')).toContain(path.join(dir, 'secret', 'a.txt'));
  expect(forms(second, 'file.write')).toContain(path.join(dir, 'secret', 'b.txt'));
  expect(forms(second, 'file.read')).not.toContain(path.join(dir, 'public', 'a.txt'));
});

test('a link that appears between two calls is followed; outside a call nothing is cached', () => {
  const p = path.join(dir, 'later', 'x');
  expect(physicalPath(p, '/')).toBe(p);
  fs.symlinkSync('secret', path.join(dir, 'later'));
  expect(physicalPath(p, '/')).toBe(path.join(dir, 'secret', 'x'));
});

test('the cache ends with the call, even when the description throws', () => {
  expect(() =>
    withCallPathCache(() => {
      physicalPath(path.join(dir, 'gone', 'x'), '/');
      throw new Error('boom');
    }),
  ).toThrow('boom');
  fs.symlinkSync('public', path.join(dir, 'gone'));
  expect(physicalPath(path.join(dir, 'gone', 'x'), '/')).toBe(path.join(dir, 'public', 'x'));
});

test('a symlink loop leaves every path through it unresolved inside a call', () => {
  fs.symlinkSync('loop-b', path.join(dir, 'loop-a'));
  fs.symlinkSync('loop-a', path.join(dir, 'loop-b'));
  const actions = describeShellLine('cat cache-case/loop-a/x cache-case/loop-a/y', ctx);
  expect(forms(actions, 'file.read')).toEqual(['?cache-case/loop-a/x', '?cache-case/loop-a/y']);
});
