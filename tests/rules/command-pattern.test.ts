import { describe, expect, it } from 'vitest';
import { commandPatternMatches, commandPatternWithin, parseCommandPattern } from '../../src/rules/command-pattern.js';
import { RuleSyntaxError } from '../../src/rules/errors.js';
import type { ArgWord } from '../../src/rules/types.js';

const ONE = (text = '"$x"'): ArgWord => ({ unknown: 'one', text });
const MANY = (text = '$x'): ArgWord => ({ unknown: 'many', text });
const words = (s: string): ArgWord[] => s.split(' ');

describe('parseCommandPattern', () => {
  const table: Array<[string, string[]]> = [
    ['git status', ['git', 'status']],
    ['  git   diff  * ', ['git', 'diff', '*']],
    ['git diff:*', ['git', 'diff', '*']],
    ['git:*', ['git', '*']],
    ['npm run *', ['npm', 'run', '*']],
    [`git commit -m 'a b'`, ['git', 'commit', '-m', 'a b']],
    ['echo "say \\"hi\\""', ['echo', 'say "hi"']],
    [`rm '*'`, ['rm', '\\*']],
    ['rm \\*', ['rm', '\\*']],
    ['a"b c"d', ['ab cd']],
    [`x ':*'`, ['x', ':\\*']],
    ['*', ['*']],
    ['git\tlog', ['git', 'log']],
  ];
  it.each(table)('%j → %j', (text, want) => {
    expect(parseCommandPattern(text)).toEqual(want);
  });

  const bad = ['', '   ', '\t', 'a\0b', `git 'x`, 'git "x', 'git x\\', '""x"'];
  it.each(bad)('rejects %j with RuleSyntaxError', (text) => {
    expect(() => parseCommandPattern(text)).toThrow(RuleSyntaxError);
    expect(() => commandPatternMatches(text, ['git'], 'some')).toThrow(RuleSyntaxError);
  });
});

describe('commandPatternMatches: literal argv', () => {
  // pattern, argv (space-split), every, some
  const table: Array<[string, string, boolean, boolean]> = [
    ['git status', 'git status', true, true],
    ['git status', 'git status --short', false, false],
    ['git status', 'git', false, false],
    ['git status *', 'git status', true, true],
    ['git status *', 'git status -s -b', true, true],
    ['git status:*', 'git status -s', true, true],
    ['git status', 'git status; rm', false, false], // the describer splits `;`; a literal `status;` is another word
    ['git diff *', 'git diff HEAD~1', true, true],
    ['git diff *', 'git diffx', false, false],
    ['rm -rf *', 'rm -rf /', true, true],
    ['rm -rf /', 'rm -rf *', false, false], // a literal `*` word is not `/`
    ['rm -rf /', 'rm -rf /', true, true],
    ['rm -rf /', 'rm -rf / --no-preserve-root', false, false],
    ['rm *', 'rm -rf /', true, true],
    ['rm -rf *', 'rm -fr /', false, false],
    ['npm run *', 'npm run build', true, true],
    ['npm run *', 'npm test', false, false],
    ['npm test', 'npm test', true, true],
    ['git * --force', 'git push origin main --force', true, true],
    ['git * --force', 'git push --force origin', false, false],
    ['* --force', 'git push --force', true, true],
    ['*', 'anything at all', true, true],
    ['git log -?', 'git log -p', true, true],
    ['git log -?', 'git log -pp', false, false],
    ['git checkout feat/*', 'git checkout feat/x/y', true, true], // an argument word glob: `*` spans the word
    ['ls *.txt', 'ls a.txt', true, true],
    ['ls *.txt', 'ls a.txt b.txt', false, false],
    ['curl * | sh', 'curl x | sh', true, true],
    [`echo '*'`, 'echo *', true, true],
    [`echo '*'`, 'echo x', false, false],
    ['echo \\?', 'echo x', false, false],
    ['git status', 'GIT status', false, true], // 'some': a case-insensitive filesystem runs `GIT` as git
    ['git status', 'Git status', false, true],
    ['git STATUS', 'git status', false, false], // only the program is case-folded
  ];
  it.each(table)('%j vs %j → every %s, some %s', (pattern, argv, every, some) => {
    expect(commandPatternMatches(pattern, words(argv), 'every')).toBe(every);
    expect(commandPatternMatches(pattern, words(argv), 'some')).toBe(some);
  });

  it('an empty argv matches no pattern, not even *', () => {
    expect(commandPatternMatches('*', [], 'some')).toBe(false);
    expect(commandPatternMatches('*', [], 'every')).toBe(false);
  });

  it('arguments with spaces, quotes and newlines compare as whole words', () => {
    expect(commandPatternMatches(`git commit -m 'a b'`, ['git', 'commit', '-m', 'a b'], 'every')).toBe(true);
    expect(commandPatternMatches('git commit -m *', ['git', 'commit', '-m', 'a\nb'], 'every')).toBe(true);
    expect(commandPatternMatches('echo ?', ['echo', '\n'], 'every')).toBe(true);
    expect(commandPatternMatches('echo ?', ['echo', '\u2028'], 'every')).toBe(true);
    expect(commandPatternMatches('echo a*b', ['echo', 'a\nxb'], 'every')).toBe(true);
    expect(commandPatternMatches('git status', ['git', 'status\nrm'], 'some')).toBe(false);
  });
});

describe('commandPatternMatches: programs given with a path', () => {
  const table: Array<[string, string, boolean, boolean]> = [
    ['git status', './git status', false, false],
    ['git status', '/usr/bin/git status', false, false],
    ['git status', '/tmp/x/git status', false, false],
    ['./git status', './git status', true, true],
    ['./git status', 'git status', false, false],
    ['./git status', './x/../git status', true, true],
    ['/usr/bin/git *', '/usr/bin/git log', true, true],
    ['/usr/bin/git *', '/usr/bin//git log', true, true],
    ['/usr/bin/git *', '/usr/local/bin/git log', false, false],
    ['/usr/*/git *', '/usr/bin/git log', true, true],
    ['/usr/*/git *', '/usr/a/b/git log', false, false], // `*` never crosses `/` in a program path
    ['/usr/**/git *', '/usr/a/b/git log', false, false], // no `**` spanning in programs: one segment each
    ['git*', './git-x', false, false],
    ['*git', '/tmp/git', false, false],
    ['** status', '/bin/git status', false, false],
    ['* status', '/bin/git status', true, true], // the spanning `*` absorbs any program
  ];
  it.each(table)('%j vs %j → every %s, some %s', (pattern, argv, every, some) => {
    expect(commandPatternMatches(pattern, words(argv), 'every')).toBe(every);
    expect(commandPatternMatches(pattern, words(argv), 'some')).toBe(some);
  });
});

describe('commandPatternMatches: unknown words (docs/design.md#unresolved-parts)', () => {
  const table: Array<[string, ArgWord[], boolean, boolean]> = [
    // unknown program
    ['git status', [ONE(), 'status'], false, true],
    ['git status', [MANY(), 'status'], false, true],
    ['* status', [ONE(), 'status'], true, true],
    ['* status', [MANY(), 'status'], true, true],
    ['** status', [ONE(), 'status'], false, true], // a one-word glob is not enough for a program
    ['rm -rf *', [MANY()], false, true],
    // unknown argument under `*`
    ['git diff *', ['git', 'diff', ONE()], true, true],
    ['git diff *', ['git', 'diff', MANY()], true, true],
    ['git diff *', ['git', 'diff', MANY(), 'x', ONE()], true, true],
    ['git diff *', ['git', ONE(), 'x'], false, true],
    ['git diff *', ['git', MANY()], false, true],
    ['git diff', ['git', 'diff', MANY()], false, true], // many may be zero words
    ['git diff', ['git', 'diff', ONE()], false, false], // one is exactly one more word
    ['git diff', ['git', MANY(), 'diff'], false, true],
    ['git status', ['git', 'status', MANY()], false, true],
    // unknown under a one-word glob
    ['git log **', ['git', 'log', ONE()], true, true],
    ['git log **', ['git', 'log', MANY()], false, true],
    ['git log -?', ['git', 'log', ONE()], false, true],
    ['git log x*', ['git', 'log', ONE()], false, true],
    // deny shapes: something may be `-rf /`
    ['rm -rf /', ['rm', MANY()], false, true],
    ['rm -rf /', ['rm', ONE(), '/'], false, true],
    ['rm -rf /', ['rm', ONE(), ONE()], false, true],
    ['rm -rf /', ['rm', ONE()], false, false],
    ['rm -rf /', ['rm', MANY(), MANY(), MANY()], false, true],
    ['sudo *', ['sudo', MANY()], true, true],
    ['sudo *', [MANY(), 'x'], false, true],
    ['curl *', ['curl', ONE('"$u"')], true, true],
  ];
  it.each(table)('%j vs %j → every %s, some %s', (pattern, argv, every, some) => {
    expect(commandPatternMatches(pattern, argv, 'every')).toBe(every);
    expect(commandPatternMatches(pattern, argv, 'some')).toBe(some);
  });

  it('unknowns in every position of a three-word command', () => {
    const pattern = 'git push *';
    const base: ArgWord[] = ['git', 'push', 'origin'];
    for (let k = 0; k < base.length; k++) {
      for (const u of [ONE(), MANY()]) {
        const argv = [...base];
        argv[k] = u;
        // 'some' always: the unknown may be exactly the missing word
        expect(commandPatternMatches(pattern, argv, 'some')).toBe(true);
        // 'every' only when the unknown sits under the final `*`
        expect(commandPatternMatches(pattern, argv, 'every')).toBe(k === 2);
      }
    }
  });
});

describe('commandPatternMatches: long argv stays fast (memoised, no backtracking blow-up)', () => {
  it('5,000 words against patterns with many stars', () => {
    const argv: ArgWord[] = Array.from({ length: 5000 }, (_, k) => (k % 7 === 3 ? MANY() : k % 11 === 5 ? ONE() : 'a'));
    argv[0] = 'x';
    const patterns = ['x * a * a * a * a * a * b', 'x * * * * * * * * * *', 'x a* *a* *a* *a* * *b', 'x ' + 'a '.repeat(60) + '*'];
    const t0 = performance.now();
    for (const p of patterns) {
      commandPatternMatches(p, argv, 'some');
      commandPatternMatches(p, argv, 'every');
    }
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(commandPatternMatches('x * b', argv, 'some')).toBe(true); // a 'many' unknown may be `b`
    expect(commandPatternMatches('x * b', argv, 'every')).toBe(false);
  });

  it('a long word against a glob with many stars', () => {
    const word = 'a'.repeat(20000);
    const t0 = performance.now();
    expect(commandPatternMatches('echo *a*a*a*a*a*a*a*a*b', ['echo', word], 'some')).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('commandPatternWithin (conservative)', () => {
  const table: Array<[string, string, boolean]> = [
    ['git status', 'git status', true],
    ['git status', 'git *', true],
    ['git diff *', 'git *', true],
    ['git *', 'git diff *', false],
    ['git status', 'git', false],
    ['git log -p', 'git log -?', true],
    ['git log -?', 'git log -p', false],
    ['git log **', 'git log *', true],
    ['git log *', 'git log **', false],
    ['./git x', 'git *', false],
    ['git x', '* x', true],
    ['a * b', 'a *', true],
    ['a *', 'a * b', false],
  ];
  it.each(table)('%j within %j → %s', (inner, outer, want) => {
    expect(commandPatternWithin(inner, outer)).toBe(want);
  });
});
