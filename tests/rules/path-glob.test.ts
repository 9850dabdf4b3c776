import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rootIsCaseInsensitive, setRootCaseInsensitive } from '../../src/rules/case-probe.js';
import { RuleSyntaxError } from '../../src/rules/errors.js';
import { globCoversSubtree, globMayMatchUnder, pathGlobMatches, resolvePathGlob } from '../../src/rules/path-glob.js';

const R = '/proj';
setRootCaseInsensitive(R, false);
const CI = '/ci-proj';
setRootCaseInsensitive(CI, true);
afterAll(() => {
  setRootCaseInsensitive(R, undefined);
  setRootCaseInsensitive(CI, undefined);
});

describe('resolvePathGlob (lexical only)', () => {
  const home = os.homedir();
  const table: Array<[string, string]> = [
    ['src/**', '/proj/src/**'],
    ['./src/**', '/proj/src/**'],
    ['a/../b/*', '/proj/b/*'],
    ['a/./b', '/proj/a/b'],
    ['../x/**', '/x/**'],
    ['/abs//x/', '/abs/x/**'],
    ['secrets/', '/proj/secrets/**'],
    ['*.env', '/proj/**/*.env'],
    ['.env', '/proj/.env'],
    ['~', home],
    ['~/', path.posix.join(home, '**')],
    ['~/.ssh/**', path.posix.join(home, '.ssh/**')],
    ['/', '/**'],
  ];
  it.each(table)('%j → %j', (glob, want) => {
    expect(resolvePathGlob(glob, R)).toBe(want);
  });

  it.each(['', 'a\0b', '~root/x'])('rejects %j', (g) => {
    expect(() => resolvePathGlob(g, R)).toThrow(RuleSyntaxError);
    expect(() => pathGlobMatches(g, R, '/proj/x')).toThrow(RuleSyntaxError);
  });
});

describe('pathGlobMatches', () => {
  const table: Array<[string, string, boolean]> = [
    ['src/**', '/proj/src', true], // D/** matches D
    ['src/**', '/proj/src/a/b/c.ts', true],
    ['src/**', '/proj/srcx/a', false],
    ['src/**', '/proj/src/.env', true],
    ['src/**', '/proj/src/.git/config', true],
    ['src/*', '/proj/src/.hidden', true],
    ['src/*', '/proj/src/a/b', false],
    ['src/*', '/proj/src', false],
    ['src/?.ts', '/proj/src/a.ts', true],
    ['src/?.ts', '/proj/src/ab.ts', false],
    ['src/?.ts', '/proj/src/é.ts', true], // one character, even when not one UTF-16 unit
    ['src/?.ts', '/proj/src/😀.ts', true],
    ['**/*.ts', '/proj/a.ts', true],
    ['**/*.ts', '/proj/a/b/c.ts', true],
    ['**/*.ts', '/elsewhere/a.ts', false],
    ['*.env', '/proj/.env', true], // `*` matches a leading dot
    ['*.env', '/proj/a/b/prod.env', true], // at any depth under root
    ['*.env', '/other/prod.env', false],
    ['*.env', '/proj/prod.env.bak', false],
    ['secrets/', '/proj/secrets', true],
    ['secrets/', '/proj/secrets/a/b', true],
    ['secrets/', '/proj/secretsx', false],
    ['secrets', '/proj/secrets/a', false], // without `/` a literal name is just that path
    ['a/../b/*', '/proj/b/x', true],
    ['a/../b/*', '/proj/a/x', false],
    ['/etc/passwd', '/etc/passwd', true],
    ['/etc/passwd', '/etc/passwd/', true],
    ['/etc/passwd', '/etc//passwd', true],
    ['/etc/passwd', '/etc/./passwd', true],
    ['/etc/*', '/etc/x/../passwd', true], // paths are normalised lexically too
    ['{a,b}.ts', '/proj/a.ts', false], // braces, brackets, ! and \ are literal
    ['[ab].ts', '/proj/a.ts', false],
    ['[ab].ts', '/proj/[ab].ts', true],
    ['!x', '/proj/y', false],
    ['a\\*', '/proj/a\\b', true],
    ['x/**/y', '/proj/x/y', true],
    ['x/**/y', '/proj/x/a/b/y', true],
    ['x/**/y', '/proj/x/a/b/yz', false],
    ['x/**/**/y', '/proj/x/y', true],
    ['**', '/proj', true],
    ['**', '/proj/anything/at/all', true],
    ['/**', '/', true],
  ];
  it.each(table)('%j vs %j → %s', (glob, p, want) => {
    expect(pathGlobMatches(glob, R, p)).toBe(want);
  });

  it('every character is matched like any other: \\n, \\r, U+2028, U+2029 in names', () => {
    for (const ch of ['\n', '\r', '\u2028', '\u2029', '\u0085', '\t', '\\']) {
      expect(pathGlobMatches('src/**', R, `/proj/src/a${ch}b`)).toBe(true);
      expect(pathGlobMatches('src/*', R, `/proj/src/${ch}`)).toBe(true);
      expect(pathGlobMatches('src/?', R, `/proj/src/${ch}`)).toBe(true);
      expect(pathGlobMatches('secrets/**', R, `/proj/secrets/${ch}x`)).toBe(true);
      expect(pathGlobMatches('**/*.env', R, `/proj/a${ch}/b.env`)).toBe(true);
      expect(pathGlobMatches('*.env', R, `/proj/x${ch}.env`)).toBe(true);
      // and a name with the character in it is not a different name
      expect(pathGlobMatches('src/a', R, `/proj/src/a${ch}`)).toBe(false);
    }
  });

  it('NFD and NFC spell the same name', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    expect(pathGlobMatches(`${nfc}/**`, R, `/proj/${nfd}/x`)).toBe(true);
    expect(pathGlobMatches(`${nfd}/**`, R, `/proj/${nfc}/x`)).toBe(true);
    expect(pathGlobMatches('caf?/x', R, `/proj/${nfd}/x`)).toBe(true);
  });

  it('case: exact on a case-sensitive root, folded on a case-insensitive one', () => {
    expect(pathGlobMatches('secrets/**', R, '/proj/SECRETS/x')).toBe(false);
    expect(pathGlobMatches('secrets/**', CI, '/ci-proj/SECRETS/x')).toBe(true);
    expect(pathGlobMatches('Secrets/*.ENV', CI, '/ci-proj/sEcReTs/a.env')).toBe(true);
    expect(pathGlobMatches('/CI-PROJ/**', CI, '/ci-proj/a')).toBe(true);
  });

  it('a path with NUL or a relative path throws (callers fail closed)', () => {
    expect(() => pathGlobMatches('**', R, '/proj/a\0b')).toThrow();
    expect(() => pathGlobMatches('**', R, 'proj/a')).toThrow();
  });

  it('many ** against a deep path stays fast', () => {
    const deep = '/proj/' + Array.from({ length: 400 }, (_, k) => `d${k}`).join('/') + '/z';
    const glob = Array.from({ length: 30 }, () => '**/d*').join('/') + '/y';
    const t0 = performance.now();
    expect(pathGlobMatches(glob, R, deep)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('globCoversSubtree / globMayMatchUnder (reach, docs/paths.md)', () => {
  // glob, dir, covers, mayMatch
  const table: Array<[string, string, boolean, boolean]> = [
    ['src/**', '/proj/src', true, true],
    ['src/**', '/proj/src/a', true, true],
    ['src/**', '/proj', false, true],
    ['src/**', '/', false, true],
    ['src/**', '/proj/docs', false, false],
    ['src/**', '/proj/srcx', false, false],
    ['**', '/proj', true, true],
    ['**', '/proj/a/b', true, true],
    ['**', '/elsewhere', false, false],
    ['src/*', '/proj/src', false, true], // src itself does not match src/*
    ['src/*', '/proj/src/a', false, true], // src/a/b does not match
    ['src/*/**', '/proj/src/a', true, true],
    ['src/*/**', '/proj/src', false, true],
    ['src/**/*.ts', '/proj/src', false, true],
    ['src/**/*.ts', '/proj/src/x.ts', false, true],
    ['src/a', '/proj/src', false, true],
    ['src/a', '/proj/src/a', false, true], // covers needs every path below too
    ['src/a', '/proj/src/a/b', false, false],
    ['secrets/', '/proj', false, true],
    ['secrets/', '/proj/secrets', true, true],
    ['*.env', '/proj', false, true],
    ['*.env', '/proj/deep/dir', false, true],
    ['*.env', '/other', false, false],
    ['/etc/**', '/', false, true],
    ['/etc/**', '/etc', true, true],
    ['**/.git/**', '/proj', false, true],
    ['**/.git/**', '/proj/a/.git', true, true],
    ['**/.git/**', '/proj/a/.git/hooks', true, true],
    ['src/**/**', '/proj/src', true, true],
    ['src/**/?*', '/proj/src/a', true, true], // ?* matches every name; src/a matches via ** = none
    ['src/**/?*', '/proj/src', false, true], // src itself is not src/**/?*
  ];
  it.each(table)('%j over %j → covers %s, may match %s', (glob, dir, covers, may) => {
    expect(globCoversSubtree(glob, R, dir)).toBe(covers);
    expect(globMayMatchUnder(glob, R, dir)).toBe(may);
  });

  it('coverage is the disjunction of lengths: x, x/* and x/*/** together cover x', () => {
    // `x/**` written as a union of depths reachable through one glob: `x/**` vs `x/*/**`
    expect(globCoversSubtree('x/**', R, '/proj/x')).toBe(true);
    expect(globCoversSubtree('x/*/**', R, '/proj/x')).toBe(false);
  });

  it('case-insensitive roots fold the directory too', () => {
    expect(globMayMatchUnder('secrets/**', CI, '/ci-proj/SECRETS')).toBe(true);
    expect(globCoversSubtree('secrets/**', CI, '/ci-proj/Secrets/x')).toBe(true);
    expect(globMayMatchUnder('secrets/**', R, '/proj/SECRETS')).toBe(false);
  });

  it('names with newlines in the directory', () => {
    expect(globCoversSubtree('src/**', R, '/proj/src/a\nb')).toBe(true);
    expect(globMayMatchUnder('secrets/**', R, '/proj/secrets\n')).toBe(false);
    expect(globMayMatchUnder('secrets*/**', R, '/proj/secrets\n')).toBe(true);
  });
});

describe('case probe', () => {
  it('probes a real directory once and caches the answer', () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-case-')));
    mkdirSync(path.join(dir, 'Sub'));
    const first = rootIsCaseInsensitive(dir);
    expect(typeof first).toBe('boolean');
    expect(rootIsCaseInsensitive(dir)).toBe(first);
    // this test host (Linux, tmpfs/ext4) is case-sensitive; macOS default volumes are not
    if (process.platform === 'linux') expect(first).toBe(false);
    // a root that does not exist yet is judged by its nearest existing ancestor
    expect(rootIsCaseInsensitive(path.join(dir, 'missing/deeper'))).toBe(first);
  });
});
