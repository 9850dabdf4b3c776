// The parser-free trees of plain simple commands (src/describe/shell/simple-line.ts) must be
// exactly the trees tree-sitter-bash builds: same node types, offsets, fields and order.
// Checked on hand-picked lines and on thousands of generated ones over the accepted
// characters, including words the grammar treats specially; every line the fast path
// refuses goes to the parser, and a line the fast path accepts that tree-sitter would
// read otherwise fails here.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadShellParser, parseShellSyntax } from '../../src/describe/shell/parser.js';
import { simpleLineSyntax } from '../../src/describe/shell/simple-line.js';
import type { SyntaxNode } from '../../src/describe/shell/syntax.js';

beforeAll(async () => {
  await loadShellParser();
});

type Shape = { type: string; named: boolean; start: number; end: number; field: string | null; children: Shape[] };
const shape = (n: SyntaxNode): Shape => ({ type: n.type, named: n.isNamed, start: n.startIndex, end: n.endIndex, field: n.fieldName, children: n.children.map(shape) });

function sameAsParser(line: string): boolean {
  const fast = simpleLineSyntax(line);
  if (fast === null) return false;
  const parsed = parseShellSyntax(line).root;
  expect(parsed, line).not.toBeNull();
  expect(shape(fast), line).toEqual(shape(parsed!));
  expect(fast.text).toBe(parsed!.text);
  expect(Object.isFrozen(fast) && Object.isFrozen(fast.children)).toBe(true);
  return true;
}

// Words the grammar or bash may read specially, mixed with ordinary ones.
const VOCABULARY = [
  'git', 'status', 'diff', '--stat', '-n', '-rf', 'src/a.ts', './x', '../y', '/etc/passwd', 'a.b', '.', '..', ':', '@x', '%1', '+x', ',a', 'a,b', 'x:y',
  'CC=gcc', 'a=b=c', '=x', 'x=', '-', '--', '-x=1', 'a-5', 'x5', '_', '__init__', 'a%b', 'a@b', 'a+b',
  '5', '-5', '+5', '.5', '0x1F', '1.5', '08', '5a', '1e3', '10#7',
  'if', 'then', 'fi', 'for', 'in', 'do', 'done', 'while', 'case', 'esac', 'function', 'time', 'coproc', 'select', 'until', 'elif', 'else',
  'export', 'declare', 'typeset', 'readonly', 'local', 'unset', 'unsetenv', 'let', 'test', 'eval', 'exec', 'command', 'builtin', 'source', 'alias', 'echo', 'true', 'sudo', 'env', 'bash', 'sh', '-c',
];
const CHARS = 'abcxyzABZ019_./:@%+,=-';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('simpleLineSyntax', () => {
  it('builds the parser tree of everyday commands', () => {
    for (const line of ['git status', 'npm test', 'ls src/app', '  npm   test  ', 'git diff --stat', 'cat a.txt b.txt', 'node bin/aex.js check', 'x', 'sudo ls', 'ls a:b c+d e,f -x', './run.sh --fast', 'bash -c ls']) {
      expect(sameAsParser(line), line).toBe(true);
    }
  });

  it('leaves to the parser every line with something bash would interpret, and numbers', () => {
    for (const line of [
      '', '   ', ': ok', 'FOO=1 ls', 'make CC=gcc', 'yb9% a', 'a@b', 'Ac+:', '- x=1',  'export A=1', 'unset X', 'if x', 'time ls', 'head -n 5 a.txt', 'ls 12', '5', 'echo $HOME', 'ls *.ts', "echo 'x'", 'echo "x"', 'a;b', 'a | b | c && d', 'a && b | c | d',
      'ls > f', 'ls\tsrc', 'ls\nrm -rf /', 'echo ~', 'echo {a,b}', 'ls # c', 'a\\ b', 'echo `id`', 'echo $(id)', '(ls)', '!ls', 'ls [ab]', 'ls ?', 'a &&', '&& a', 'a && && b', 'a&&b', 'a; b', 'a ;', 'a | ', 'a & b', 'a |& b', 'a &', 'a ;; b', 'a || | b',
    ]) {
      expect(simpleLineSyntax(line), JSON.stringify(line)).toBeNull();
    }
  });

  it('agrees with tree-sitter-bash on thousands of generated lines', () => {
    const rand = rng(20261202);
    let accepted = 0;
    for (let i = 0; i < 8000; i++) {
      const n = 1 + Math.floor(rand() * 5);
      const words: string[] = [];
      for (let w = 0; w < n; w++) {
        if (rand() < 0.7) words.push(VOCABULARY[Math.floor(rand() * VOCABULARY.length)]!);
        else {
          let word = '';
          const len = 1 + Math.floor(rand() * 6);
          for (let c = 0; c < len; c++) word += CHARS[Math.floor(rand() * CHARS.length)];
          words.push(word);
        }
      }
      const gap = () => ' '.repeat(1 + Math.floor(rand() * 2));
      // Operators between words, mostly where they make a line, sometimes where they break it.
      const OPS = ['&&', '||', '|', ';', '&', ';;', '|&'];
      let line = rand() < 0.2 ? ' ' : '';
      words.forEach((w, k) => {
        if (k > 0) line += rand() < 0.35 ? gap() + OPS[Math.floor(rand() * (rand() < 0.9 ? 4 : OPS.length))] + gap() : gap();
        line += w;
      });
      if (rand() < 0.05) line += ' ' + OPS[Math.floor(rand() * OPS.length)];
      if (rand() < 0.2) line += ' ';
      if (sameAsParser(line)) accepted++;
    }
    // The check means something only if many lines take the fast path.
    expect(accepted).toBeGreaterThan(1000);
  });
});
