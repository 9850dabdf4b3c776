// The describer reads a plain copy of tree-sitter's tree (src/describe/shell/syntax.ts)
// instead of the wasm-backed nodes. The copy must say exactly what the live tree says —
// types, named-ness, offsets, text, parents, fields, descendants — for every line the
// describer may see: the bypass corpus, awkward constructs, and seeded mutations.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import type { Node } from 'web-tree-sitter';
import { loadShellParser } from '../../../src/describe/shell/index.js';
import { parseShellSyntax, parseShellTree } from '../../../src/describe/shell/parser.js';
import type { SyntaxNode } from '../../../src/describe/shell/syntax.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = (JSON.parse(readFileSync(path.join(here, '..', '..', 'bypass', 'corpus.json'), 'utf8')) as Array<{ line: string }>).map((c) => c.line);

const AWKWARD = [
  'echo héllo wörld "ünïcode $(date)" 😀 > "out 😀.txt"',
  'echo 😀😀 `id` 𝒳 $((1+2))',
  "cat <<'EOF' | bash\nrm -rf /\nEOF",
  'cat <<EOF\n$(id) `whoami` ${HOME}\nEOF',
  'x=1 y=$(id) env -i A=b git status 2>/dev/null >&2 <in',
  'for f in *.txt; do sed -i "s/a/b/" "$f"; done',
  'if [[ -f x && $y =~ ^a.*$ ]]; then echo; elif [ -d y ]; then :; else false; fi',
  'case $x in a|b) echo a;; *) echo b;; esac',
  'a() { rm -rf /; }; a',
  'export A=1 B; declare -a x=(1 2 3); unset A',
  'echo $"tr" $\'\\x41\' {a,b}{c,d} ~/x ~root/y',
  'ls <(cat a) >(tee b) | while read -r l; do echo "$l"; done &',
  '(cd /tmp && { rm -rf build; } || (echo fail >&2)) ; echo \\\n done',
  "echo '' \"\" $'' x\\ y",
  '',
  '   ',
  '# just a comment',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [';', '&&', '|', '\n', '\\', '"', "'", '`', '$(', ')', '{', '}', '<', '>', '<<', '<<<', '#', '*', '[', ']', '$', '=', ' ', 'é', '😀', 'EOF'];

function mutations(seeds: readonly string[], count: number): string[] {
  const random = rng(20261201);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let line = seeds[i % seeds.length]!;
    const at = Math.floor(random() * (line.length + 1));
    line = random() < 0.6 ? line.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + line.slice(at) : line.slice(0, at) + line.slice(at + 2);
    out.push(line);
  }
  return out;
}

let fields: string[] = [];

beforeAll(async () => {
  await loadShellParser();
  const tree = parseShellTree('true');
  fields = tree.language.fields.filter((f): f is string => typeof f === 'string');
  tree.delete();
});

const span = (n: { type: string; startIndex: number; endIndex: number } | null) => (n === null ? null : `${n.type}@${n.startIndex}-${n.endIndex}`);

function compare(live: Node, copy: SyntaxNode, where: string): void {
  expect(copy.type, where).toBe(live.type);
  expect(copy.isNamed, where).toBe(live.isNamed);
  expect(copy.startIndex, where).toBe(live.startIndex);
  expect(copy.endIndex, where).toBe(live.endIndex);
  expect(copy.text, where).toBe(live.text);
  expect(span(copy.parent), where).toBe(span(live.parent));
  expect(copy.childCount, where).toBe(live.childCount);
  expect(copy.namedChildCount, where).toBe(live.namedChildCount);
  expect(copy.namedChildren.map(span), where).toEqual(live.namedChildren.map(span));
  for (const f of fields) {
    expect(span(copy.childForFieldName(f)), `${where} field ${f}`).toBe(span(live.childForFieldName(f)));
    expect(copy.childrenForFieldName(f).map(span), `${where} fields ${f}`).toEqual(live.childrenForFieldName(f).map(span));
  }
  const kinds = ['command_substitution', 'process_substitution', 'expansion', 'simple_expansion', 'arithmetic_expansion'];
  expect(copy.descendantsOfType(kinds).map(span), where).toEqual(live.descendantsOfType(kinds).map(span));
  live.children.forEach((child, i) => compare(child!, copy.children[i]!, `${where}/${i}:${child!.type}`));
}

function check(line: string): void {
  const tree = parseShellTree(line);
  try {
    const copy = parseShellSyntax(line).root;
    if (tree.rootNode.hasError) {
      expect(copy, JSON.stringify(line)).toBeNull();
      return;
    }
    expect(copy, JSON.stringify(line)).not.toBeNull();
    compare(tree.rootNode, copy!, JSON.stringify(line));
  } finally {
    tree.delete();
  }
}

test('the copy matches the live tree on every bypass corpus line', () => {
  expect(corpus.length).toBeGreaterThan(100);
  for (const line of corpus) check(line);
});

test('the copy matches the live tree on non-ASCII text, here-documents and every construct', () => {
  for (const line of AWKWARD) check(line);
});

test('the copy matches the live tree on 600 seeded mutations (errors give no copy)', () => {
  for (const line of mutations([...AWKWARD, ...corpus.slice(0, 40)], 600)) check(line);
});

test('the copy is read-only and deep nesting does not exhaust the stack', () => {
  const root = parseShellSyntax('echo a b').root!;
  expect(Object.isFrozen(root.children)).toBe(true);
  expect(Object.isFrozen(root.namedChildren)).toBe(true);
  const deep = parseShellSyntax('echo ' + '$('.repeat(400) + 'rm' + ')'.repeat(400)).root;
  expect(deep).not.toBeNull();
});

test('a line described twice reuses its tree but judges paths against each call’s own context', async () => {
  const { describeShellLine } = await import('../../../src/describe/shell/index.js');
  const { syntaxOf, clearSyntaxCache } = await import('../../../src/describe/shell/syntax-cache.js');
  clearSyntaxCache();
  const line = 'cat notes.txt > out.txt';
  expect(syntaxOf(line)).toBe(syntaxOf(line));
  const a = describeShellLine(line, { root: '/a', cwd: '/a', home: '/h' });
  const b = describeShellLine(line, { root: '/b', cwd: '/b', home: '/h' });
  const formsOf = (actions: typeof a) => actions.flatMap((x) => (x.paths ?? []).flatMap((p) => p.forms));
  expect(formsOf(a)).toEqual(['/a/notes.txt', '/a/out.txt']);
  expect(formsOf(b)).toEqual(['/b/notes.txt', '/b/out.txt']);
  // A parse error is remembered as one, and a frozen tree cannot be altered by a caller.
  expect(syntaxOf('echo "unterminated')).toBeNull();
  expect(describeShellLine('echo "unterminated', { root: '/a', cwd: '/a', home: '/h' })[0]!.unresolved?.[0]?.why).toBe('parse error');
  const root = syntaxOf('rm -rf /')!;
  expect(() => {
    (root as unknown as { type: string }).type = 'comment';
  }).toThrow();
  expect(() => (root.children as SyntaxNode[]).pop()).toThrow();
  expect(describeShellLine('rm -rf /', { root: '/a', cwd: '/a', home: '/h' })[0]!.argv).toEqual(['rm', '-rf', '/']);
});

test('a line whose gaps fail the check fails it on every call, cached tree or not', async () => {
  const { describeShellLine } = await import('../../../src/describe/shell/index.js');
  const c = { root: '/a', cwd: '/a', home: '/h' };
  for (const line of ['echo a\rrm -rf /', 'ec\\\nho x', 'ls\fx']) {
    for (let i = 0; i < 3; i++) {
      const actions = describeShellLine(line, c);
      expect(actions, JSON.stringify(line)).toHaveLength(1);
      expect(actions[0]!.unresolved?.[0]?.why, JSON.stringify(line)).toBe('parse error');
    }
  }
});
