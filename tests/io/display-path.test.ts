// The one way a path is shown (src/io/display-path.ts).
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { displayPath } from '../../src/io/display-path.js';

describe('displayPath', () => {
  it('shows a path inside the root relative to it', () => {
    expect(displayPath('/p/src/a.ts', '/p')).toBe('src/a.ts');
    expect(displayPath('/p/.aex/policy.aex', '/p')).toBe('.aex/policy.aex');
  });

  it('shows the root itself, a sibling with the same prefix and anything outside absolute (never ../)', () => {
    expect(displayPath('/p', '/p')).toBe('/p');
    expect(displayPath('/project-other/a', '/project')).toBe('/project-other/a');
    expect(displayPath('/etc/passwd', '/p')).toBe('/etc/passwd');
    expect(displayPath('/p/../etc/passwd', '/p')).toBe('/p/../etc/passwd');
  });

  it('folds unnormalised spellings through path.relative, and still never shows ../', () => {
    expect(displayPath('/p/./src//a.ts', '/p')).toBe('src/a.ts');
    expect(displayPath('/p/src/../a.ts', '/p/')).toBe('a.ts');
    // a name that merely starts with `..` is shown absolute too, so no output ever starts with `..`
    expect(displayPath('/p/..x/a', '/p')).toBe('/p/..x/a');
  });

  it('the fast path and path.relative agree on every plain path', () => {
    for (const [p, root] of [
      ['/a/b/c', '/a'],
      ['/a/b', '/a/b'],
      ['/a', '/a/b'],
      ['/ab/c', '/a'],
      ['/a/b/c', '/'],
    ] as const) {
      const rel = path.relative(root, p);
      const expected = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
      expect(displayPath(p, root)).toBe(expected);
    }
  });
});
