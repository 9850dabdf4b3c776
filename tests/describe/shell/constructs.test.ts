// docs/shell.md: every simple command wherever it occurs yields one shell.exec action.

import { describe, expect, test } from 'vitest';
import { describeShellLine, loadShellParser, shellParserLoaded } from '../../../src/describe/shell/index.js';
import { ctx, describe_, execs, isWholeLineUnresolved, unresolvedWhys } from './helpers.js';

describe('loading', () => {
  test('describeShellLine needs the parser, loadShellParser is idempotent', async () => {
    await Promise.all([loadShellParser(), loadShellParser()]);
    expect(shellParserLoaded()).toBe(true);
    expect(describeShellLine('ls', ctx)[0]!.program).toBe('ls');
  });
});

describe('simple commands everywhere', () => {
  const cases: [string, string[]][] = [
    ['a; b && c || d & e', ['a', 'b', 'c', 'd', 'e']],
    ['a | b |& c', ['a', 'b', 'c']],
    ['(a; b) && { c; }', ['a', 'b', 'c']],
    ['if a; then b; elif c; then d; else e; fi', ['a', 'b', 'c', 'd', 'e']],
    ['while a; do b; done; until c; do d; done', ['a', 'b', 'c', 'd']],
    ['for x in 1 2; do b "$x"; done', ['b <"$x">']],
    ['for ((i=0; i<$(n); i++)); do b; done', ['n', 'b']],
    ['case $x in a) b;; *) c;; esac', ['b', 'c']],
    ['echo $(a) `b`', ['a', 'b', 'echo <$(a)> <`b`>']],
    ['diff <(a) >(b)', ['a', 'b', 'diff <<(a)> <>(b)>']],
    ['((x = $(a) + 1))', ['a']],
    ['echo "${x:-$(a)}"', ['a', 'echo <"${x:-$(a)}">']],
    ['x=$(a) y=`b` c', ['a', 'b', 'c']],
    ['cat < $(a) > "$(b)"', ['cat', 'a', 'b']],
    ['v=$(a)', ['a']],
    ['export V=$(a)', ['a', 'export <V=$(a)>']],
    ['! a', ['a']],
    ['a\nb\n\nc', ['a', 'b', 'c']],
    ['[[ -f $(a) ]]', ['a', 'test -f <$(a)>']],
    ['test -d x', ['test -d x']],
    ['[ -e y ]', ['test -e y']],
  ];
  test.each(cases)('%s', async (line, expected) => {
    expect((await execs(line)).sort()).toEqual([...expected].sort());
  });

  test('command substitutions inside unquoted here-documents run; quoted ones are data', async () => {
    expect(await execs('cat <<EOF\nx $(a) y\nEOF')).toEqual(['cat', 'a']);
    expect(await execs("cat <<'EOF'\nx $(a) y\nEOF")).toEqual(['cat']);
    expect(await execs('cat <<"EOF"\n$(a)\nEOF')).toEqual(['cat']);
    expect(await execs('cat <<\\EOF\n$(a)\nEOF')).toEqual(['cat']);
  });

  test('a command after a here-document on the same line is seen', async () => {
    expect(await execs('cat <<EOF && rm y\nhi\nEOF')).toEqual(['cat', 'rm y']);
    expect(await execs('cat <<EOF | sh\nhi\nEOF')).toContain('sh');
  });

  test('argv, program and command', async () => {
    const [action] = await describe_(`git  log   --format='%H %s' "a b"`);
    expect(action).toMatchObject({ cap: 'shell.exec', program: 'git', argv: ['git', 'log', '--format=%H %s', 'a b'], command: 'git log --format=%H %s a b' });
  });

  test('quote removal', async () => {
    expect(await execs(`"r"m r''m \\rm $'\\x72m' 'a'"b"c`)).toEqual(['rm rm rm rm abc']);
    expect(await execs(`echo "a\\$b" 'c\\d' e\\ f`)).toEqual(['echo a$b c\\d e f']);
  });

  test('unknown words: unquoted many, quoted one', async () => {
    const [action] = await describe_('echo $A "$B" a$C "x$D" *.txt "*.txt" {a,b}');
    expect(action!.argv).toEqual([
      'echo',
      { unknown: 'many', text: '$A' },
      { unknown: 'one', text: '"$B"' },
      { unknown: 'many', text: 'a$C' },
      { unknown: 'one', text: '"x$D"' },
      { unknown: 'many', text: '*.txt' },
      '*.txt',
      { unknown: 'many', text: '{a,b}' },
    ]);
  });

  test('a line without a simple command is one shell.exec with empty argv', async () => {
    for (const line of ['', '   ', '# only a comment', 'x=1', 'x=1; y=2', '\n\n']) {
      const actions = await describe_(line);
      expect(actions).toEqual([{ cap: 'shell.exec', argv: [], command: '' }]);
    }
  });

  test('comments end at the line; # inside a word or quotes is not a comment', async () => {
    expect(await execs('a # b; c\nd')).toEqual(['a', 'd']);
    expect(await execs('echo a#b "#c"')).toEqual(['echo a#b #c']);
  });
});

describe('whole-line unresolved', () => {
  const cases: [string, string][] = [
    ['f() { rm -rf /; }; f', 'unsupported: function definition'],
    ['function f { ls; }', 'unsupported: function definition'],
    ['alias ls="rm -rf /"', 'unsupported: alias'],
    ['source ./x.sh', 'unsupported: source'],
    ['. ./x.sh', 'unsupported: .'],
    ['trap "rm -rf /" EXIT', 'unsupported: trap'],
    ['coproc rm x', 'unsupported: coproc'],
    ['command source x', 'unsupported: source'],
    ['enable -f ./x.so cat', 'unsupported: enable'],
    ['hash -p ./evil git; git status', 'unsupported: hash'],
    ['bash -c "f() { :; }"', 'unsupported: function definition'],
    ['echo "unterminated', 'parse error'],
    ['if true; then', 'parse error'],
    ['echo $(', 'parse error'],
    ['a &&', 'parse error'],
    ['x <> y', 'parse error'],
    ['bash -c "echo \\"oops"', 'parse error'],
    ['ls\rrm -rf /', 'parse error'],
    ['ls\u000crm', 'parse error'],
    ['ec\\\nho hi', 'parse error'],
    ['a\u0000b', 'parse error'],
  ];
  test.each(cases)('%j', async (line, why) => {
    const actions = await describe_(line);
    expect(isWholeLineUnresolved(actions)).toBe(true);
    expect(unresolvedWhys(actions)).toEqual([why]);
  });

  test('over 64 KiB is too long', async () => {
    const actions = await describe_('echo ' + 'a'.repeat(70_000));
    expect(unresolvedWhys(actions)).toEqual(['too long']);
  });

  test('a line continuation after a blank is fine', async () => {
    expect(await execs('ls \\\n  -l')).toEqual(['ls -l']);
  });
});
