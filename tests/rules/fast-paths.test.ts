// The matchers' fast paths (literal tool patterns compared as text, wildcards matched in
// place over code points, compiled globs and path segments kept per root) must answer
// exactly as the general matcher does. The attacks: names that differ only past a dot,
// astral and lone-surrogate characters, a case-folding probe changed after a glob was
// compiled, and a deny pattern asked twice in different case.
import { describe, expect, it } from 'vitest';
import { toolMatches } from '../../src/rules/tool-pattern.js';
import { compileWildcard, wildcardMatches } from '../../src/rules/wildcard.js';
import { commandPatternMatches } from '../../src/rules/command-pattern.js';
import { pathGlobMatches } from '../../src/rules/path-glob.js';
import { setRootCaseInsensitive } from '../../src/rules/case-probe.js';

describe('literal tool patterns', () => {
  const cases: Array<[string, string, boolean]> = [
    ['shell.exec', 'shell.exec', true],
    ['shell.exec', 'shell.*', true],
    ['shell', 'shell.*', true],
    ['shellx', 'shell.*', false],
    ['shell.execx', 'shell.exec', false],
    ['shell.exec.x', 'shell.exec', false],
    ['shell.exec.x', 'shell.exec.*', true],
    ['shell..x', 'shell.*', true],
    ['.x', '.*', true],
    ['x', '.*', false],
    ['', '', true],
    ['mcp.fs.read?file', 'mcp.fs.read?file', true],
    ['mcp.fs.readXfile', 'mcp.fs.read?file', false],
    ['network', 'network.*', true],
    ['networkx.y', 'network.*', false],
  ];
  for (const [name, pattern, want] of cases) {
    it(`${JSON.stringify(name)} ${want ? 'matches' : 'does not match'} ${pattern}`, () => expect(toolMatches(name, pattern)).toBe(want));
  }
  it('a name that is not a string throws (the kernel denies)', () => {
    expect(() => toolMatches(42 as unknown as string, 'shell.exec')).toThrow();
    expect(() => toolMatches(undefined as unknown as string, 'mcp.*.read_*')).toThrow();
  });
});

describe('wildcards over code points', () => {
  const cases: Array<[string, string, boolean]> = [
    ['?', '😀', true],
    ['??', '😀', false],
    ['a*b', 'a😀😀b', true],
    ['a*😀', 'ax😀', true],
    ['*😀*', 'xx😀yy', true],
    ['?', '\ud800', true],
    ['??', '\ud800x', true],
    ['a*?', 'a\udc00', true],
    ['*b', 'a\ud83dx😀b', true],
    ['x*y*z', 'x😀y😀', false],
    ['*', '', true],
    ['?', '', false],
  ];
  for (const [w, text, want] of cases) {
    it(`${JSON.stringify(w)} on ${JSON.stringify(text)}`, () => expect(wildcardMatches(compileWildcard(w), text)).toBe(want));
  }
});

describe('compiled command patterns keep their answers', () => {
  it('a deny pattern matches a program in another case every time it is asked', () => {
    for (let i = 0; i < 3; i++) {
      expect(commandPatternMatches('rm -rf *', ['RM', '-rf', '/'], 'some')).toBe(true);
      expect(commandPatternMatches('rm -rf *', ['RM', '-rf', '/'], 'every')).toBe(false);
      expect(commandPatternMatches('./bin/../tool *', ['./tool', 'x'], 'every')).toBe(true);
      expect(commandPatternMatches('./bin/../tool *', ['./bin/tool', 'x'], 'every')).toBe(false);
    }
  });
  it('an argv longer than the pattern and unknown words reuse no stale state', () => {
    expect(commandPatternMatches('git diff *', ['git', 'diff', 'a', 'b', 'c'], 'every')).toBe(true);
    expect(commandPatternMatches('git status', ['git', 'status', 'x'], 'every')).toBe(false);
    expect(commandPatternMatches('git status', ['git', { unknown: 'many', text: '$X' }], 'every')).toBe(false);
    expect(commandPatternMatches('git status', ['git', { unknown: 'many', text: '$X' }], 'some')).toBe(true);
  });
});

describe('compiled path globs follow the case probe and the root', () => {
  it('a root switched to case-insensitive after a glob was compiled matches without case', () => {
    const root = '/fastpath-case-root';
    setRootCaseInsensitive(root, false);
    expect(pathGlobMatches('secrets/**', root, `${root}/SECRETS/key`)).toBe(false);
    setRootCaseInsensitive(root, true);
    expect(pathGlobMatches('secrets/**', root, `${root}/SECRETS/key`)).toBe(true);
    setRootCaseInsensitive(root, false);
    expect(pathGlobMatches('secrets/**', root, `${root}/SECRETS/key`)).toBe(false);
    setRootCaseInsensitive(root, undefined);
  });
  it('the same relative glob under two roots stays apart', () => {
    for (const r of ['/fp-a', '/fp-b']) setRootCaseInsensitive(r, false);
    expect(pathGlobMatches('src/**', '/fp-a', '/fp-a/src/x')).toBe(true);
    expect(pathGlobMatches('src/**', '/fp-b', '/fp-a/src/x')).toBe(false);
    expect(pathGlobMatches('src/**', '/fp-b', '/fp-b/src/x')).toBe(true);
    for (const r of ['/fp-a', '/fp-b']) setRootCaseInsensitive(r, undefined);
  });
  it('path segments are normalised the same on every ask', () => {
    for (let i = 0; i < 3; i++) {
      expect(pathGlobMatches('/p/src/**', '/p', '/p/src/../secrets/k')).toBe(false);
      expect(pathGlobMatches('/p/secrets/**', '/p', '/p/src/../secrets/k')).toBe(true);
    }
  });
});
