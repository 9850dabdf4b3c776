import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyTemplate, policyTestTemplate, taskTemplate } from '../../src/authoring/templates.js';
import { lex, type LogicalLine } from '../../src/compiler/lexer.js';
import { parseLineFast } from '../../src/compiler/line-parser.js';
import { parse, parseLineNearley, parseWithoutFastPath } from '../../src/compiler/parser.js';
import type { Tok } from '../../src/compiler/tokens.js';
import { generateContract } from '../../bench/contract.mjs';
import { seededRandom } from '../helpers/seeded-random.js';

// The fast path (src/compiler/line-parser.ts) against the grammar it stands for
// (grammar/aex.ne through nearley), line by line and file by file: for every logical
// line of every .aex in the repository, the starter templates, generated contracts and
// mutations of their tokens, the fast parser's result equals nearley's only result (in
// a canonical form that keeps key order and tells -0, NaN and Infinity apart), and it
// answers undefined whenever nearley finds no parse. AEX_FUZZ_SEED changes the seed.

const root = join(__dirname, '..', '..');
const SEED = Number(process.env.AEX_FUZZ_SEED ?? 20261207);

const rng = seededRandom;
type Rng = () => number;

/** A canonical text of a value: key order kept; -0, NaN, ±Infinity and undefined spelled out. */
function canon(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return String(v);
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'function';
    case 'object':
      if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
      return '{' + Object.keys(v as object).map((k) => JSON.stringify(k) + ':' + canon((v as Record<string, unknown>)[k])).join(',') + '}';
    default:
      return typeof v;
  }
}

// ---- sources ------------------------------------------------------------------

function repositoryFiles(): Array<{ name: string; text: string }> {
  const listed = execFileSync('git', ['ls-files', '*.aex'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  return listed.map((f) => ({ name: f, text: readFileSync(join(root, f), 'utf8') }));
}

function templates(): Array<{ name: string; text: string }> {
  const remotes = [{ remote: 'origin', host: 'github.com' }, { remote: 'up stream', host: 'git.example.org' }];
  return [
    { name: 'taskTemplate', text: taskTemplate('sample-task') },
    { name: 'policyTemplate()', text: policyTemplate() },
    { name: 'policyTemplate(remotes)', text: policyTemplate(remotes) },
    // Another format (policy tests); the compiler must still treat it alike on both paths.
    { name: 'policyTestTemplate(remotes)', text: policyTestTemplate(remotes) },
  ];
}

/** Random contracts that use every statement form, most of their lines in the language. */
function generatedContract(r: Rng): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const times = (lo: number, hi: number, f: () => string) => Array.from({ length: lo + Math.floor(r() * (hi - lo + 1)) }, f);
  // Keywords stay names elsewhere; reserved words only where the grammar takes a name.
  const IDENT = ['x', 'y1', '_z', 'files', 'has', 'only', 'does', 'include', 'is', 'valid', 'diff', 'touches', 'citations', 'matches', 'not', 'and', 'before', 'where', 'check', 'make', 'do', 'if', 'for', 'return', 'need', 'budget', 'task', 'use', 'deny', 'confirm', 'shell', 'str', 'constructor', '__proto__', 'abc_DEF9'];
  const RESERVED_NAMES = ['from', 'with', 'in'];
  const ident = () => pick(IDENT);
  const name = () => (chance(0.2) ? pick(RESERVED_NAMES) : ident());
  const sep = () => (chance(0.15) ? pick([',\n      ', ', # inner\n   ', ',\n']) : pick([', ', ',']));
  const STRINGS = ['""', '"a"', '"needle 1"', '"esc \\" \\\\ \\n \\u00e9"', '"in"', '"# not a comment"', '"with, comma"', '"{[("'];
  const NUMBERS = ['0', '-0', '1', '-12', '1.5', '1e3', '-2E-2', '1e999', '-1e999', '0.000', '12345678901234567890'];
  const ref = () => ident() + times(0, 3, () => (chance(0.6) ? '.' + name() : '.' + pick(['0', '1', '007', '42']))).join('');
  const value = (d: number): string => {
    const k = Math.floor(r() * (d > 2 ? 4 : 6));
    if (k === 0) return pick(STRINGS);
    if (k === 1) return pick(NUMBERS);
    if (k === 2) return pick(['true', 'false', 'null']);
    if (k === 3) return ref();
    if (k === 4) return chance(0.15) ? '[]' : '[' + times(1, 3, () => value(d + 1)).join(sep()) + (chance(0.3) ? ',' : '') + ']';
    return chance(0.15) ? '{}' : '{' + times(1, 3, () => (chance(0.7) ? ident() : pick(STRINGS)) + pick([': ', ':']) + value(d + 1)).join(sep()) + (chance(0.3) ? ',' : '') + '}';
  };
  const json = (d: number): string => {
    const k = Math.floor(r() * (d > 2 ? 3 : 5));
    if (k === 0) return pick(STRINGS);
    if (k === 1) return pick(NUMBERS);
    if (k === 2) return pick(['true', 'false', 'null']);
    if (k === 3) return chance(0.15) ? '[]' : '[' + times(1, 3, () => json(d + 1)).join(sep()) + (chance(0.3) ? ',' : '') + ']';
    return chance(0.15) ? '{}' : '{' + times(1, 3, () => (chance(0.7) ? name() : pick(STRINGS)) + ': ' + json(d + 1)).join(sep()) + (chance(0.3) ? ',' : '') + '}';
  };
  const type = (d: number): string => pick(['str', 'list', 'file', 'json', 'int', 'in', 'from', 'has']) + (d < 3 && chance(0.3) ? '[' + type(d + 1) + ']' : '') + '?'.repeat(chance(0.3) ? 1 + Math.floor(r() * 2) : 0);
  const TOOLS = ['file.read', 'network.*', 'shell.exec', 'a-b.c_d', 'mcp__srv__tool', 'where.x', '*', 'in', 'has', 'x/y', 'tool9', 'before'];
  const QUALIFIERS = ['src/**', '*.ts', 'a:b', '-x', 'where', '"a b"', '"q\\"x"', 'git status'];
  const argPath = () => pick([...IDENT.filter((w) => !w.startsWith('_')), ...RESERVED_NAMES]) + times(0, 2, () => '.' + pick(IDENT)).join('');
  const whereTest = () => argPath() + ' ' + pick(['==', '!=', 'in', 'not in', 'matches', 'has']) + ' ' + json(0);
  const rule = () => {
    let s = pick(TOOLS);
    if (chance(0.4)) s += chance(0.8) ? ':' + pick(QUALIFIERS) : ':';
    if (chance(0.3)) s += ' where ' + times(1, 3, whereTest).join(' and ');
    return s;
  };
  const cond = () =>
    ref() +
    pick(['', ' has "x"', ' has citations', ' does not include "x"', ' does not include ' + ref(), ' is valid diff', ' has valid diff', ' touches only ' + ref(), ' touches only [' + times(1, 3, () => value(1)).join(', ') + ']', ' touches only []']);
  const doStep = () => {
    const tool = pick(['file.read', 'a-b.c', 'in.x', 'notes.write', 'has', 't']) + (chance(0.2) ? '.' + pick(['from', 'x-y', 'z']) : '');
    const args = chance(0.15) ? '' : times(1, 3, () => ident() + pick(['=', ' = ']) + value(0)).join(sep());
    return `do ${tool}(${args})` + (chance(0.5) ? pick([' -> ', '->']) + ident() : '');
  };
  const comment = () => (chance(0.1) ? '  # trailing' : '');
  const lines: string[] = [];
  const body = (indent: string, depth: number): void => {
    for (const _ of times(1, 4, () => '')) {
      const k = Math.floor(r() * (depth > 2 ? 4 : 7));
      if (k === 0) lines.push(indent + doStep() + comment());
      else if (k === 1) lines.push(indent + 'check ' + cond() + comment());
      else if (k === 2) lines.push(indent + 'return ' + value(0) + comment());
      else if (k === 3) {
        lines.push(indent + `make ${ident()}: ${name()} from ` + times(1, 3, () => (chance(0.3) ? '$' : '') + ref()).join(', ') + pick([' with', ' with:', ' with :']));
        for (const t of times(1, 3, () => pick(['write it', 'do not touch x', '# not a comment', '-dash', '']))) lines.push(indent + '  - ' + t);
      } else if (k === 4) {
        lines.push(indent + 'if ' + cond() + comment());
        body(indent + '  ', depth + 1);
      } else {
        lines.push(indent + `for ${ident()} in ${ref()}` + comment());
        body(indent + pick(['  ', '    ']), depth + 1);
      }
    }
  };
  lines.push(`${pick(['task', 'agent', 'policy'])} ${pick(['gen', 'a-b', 'x.y', 'n_1'])} ${pick(['v0', 'v1.2.3', 'v'])}`);
  lines.push('goal ' + pick(STRINGS));
  for (const kw of ['use', 'allow', 'deny']) if (chance(0.7)) lines.push(`${kw} ` + times(1, 3, rule).join(pick([', ', ','])) + comment());
  if (chance(0.6)) lines.push('confirm before ' + rule());
  if (chance(0.5)) lines.push('shell ' + times(1, 3, () => pick(TOOLS)).join(', '));
  for (const _ of times(0, 3, () => '')) lines.push(`need ${ident()}${pick([': ', ':'])}${type(0)}`);
  if (chance(0.7)) lines.push('budget ' + times(1, 3, () => pick(['calls', 'tokens', 'max-calls', 'in']) + pick(['=', ' = ']) + pick(['5', '', 'word', '"s"', 'true', '-1'])).join(', '));
  body('', 0);
  return lines.join('\n') + '\n';
}


const gen = rng(SEED);
const sources = [
  ...repositoryFiles(),
  ...templates(),
  ...Array.from({ length: 48 }, (_, k) => ({ name: `generated #${k}`, text: generatedContract(gen) })),
  { name: 'bench-shaped', text: generateContract(300) },
];

function logicalLines(text: string): LogicalLine[] {
  return lex(text).items.filter((it): it is LogicalLine => (it.kind === 'stmt' || it.kind === 'instr') && it.tokens.length > 0);
}

// ---- tokens for mutations -------------------------------------------------------

/**
 * Tokens as the line layer makes them, of every lexer and state: keywords, reserved
 * words, commas of both kinds, brackets, dashes, dots, strings, numbers, tool patterns,
 * globs, header words. Mutations insert these, so every token is one a lexer can produce.
 */
const POOL: Tok[] = logicalLines(
  [
    'do has in not and with from only does include is valid diff touches citations matches before where make check if for return need budget task goal use allow deny confirm shell',
    'do true false null , [ ] { } ( ) = : ? $ * . - -> .0 .12 a-b -x x_1 "s" "" 0 -0 1e999 1.5 ! @ constructor __proto__',
    'allow a.b, where:x, x-y "q" in has : a:src/** b:"x y" c:, d:where e where x == 1, y != "s" and z in [1, 2] and w not in {k: null, "k": true} and v matches "r" and u has false',
    'deny a where x.y.z == [{a: 1}, ], ( ) = ? $ - ! : .',
    'task my-name v1.0 [ , :',
    'confirm before x:"a b" where a has "b"',
  ].join('\n'),
).flatMap((l) => l.tokens);

/** The realistic spellings of a token's value under other lexers (same value, another type). */
const RETYPED = new Map<string, Tok[]>();
for (const t of POOL) {
  const list = RETYPED.get(t.value) ?? [];
  if (!list.some((u) => u.type === t.type)) list.push(t);
  RETYPED.set(t.value, list);
}

function placed(t: Tok, near: Tok | undefined, shift: number): Tok {
  // A copy at the neighbour's position, as moo would have made it there.
  return { ...t, line: near?.line ?? t.line, col: (near?.col ?? t.col) + shift };
}

function mutateTokens(toks: Tok[], r: Rng): Tok[] {
  const out = toks.slice();
  const pick = (k: number) => Math.floor(r() * k);
  const ops = 1 + pick(3);
  for (let k = 0; k < ops; k++) {
    const at = pick(out.length + 1);
    const other = out[pick(out.length)];
    switch (pick(9)) {
      case 0: // drop a token
        out.splice(at, 1);
        break;
      case 1: // duplicate a token
        if (other) out.splice(at, 0, other);
        break;
      case 2: { // swap two tokens
        const b = pick(out.length);
        if (at < out.length) [out[at], out[b]] = [out[b]!, out[at]!];
        break;
      }
      case 3: // replace a token by another of the same line
        if (at < out.length && other) out[at] = other;
        break;
      case 4: // insert a keyword, reserved word, comma, bracket, dash ...
      case 5:
        out.splice(at, 0, placed(POOL[pick(POOL.length)]!, out[at] ?? out[at - 1], 1));
        break;
      case 6: // replace a token by a pool token
        if (at < out.length) out[at] = placed(POOL[pick(POOL.length)]!, out[at], 0);
        break;
      case 7: { // the same value as another lexer types it
        const t = out[at];
        const variants = t ? RETYPED.get(t.value) : undefined;
        if (t && variants) out[at] = placed(variants[pick(variants.length)]!, t, 0);
        break;
      }
      case 8: // cut the line short
        out.length = Math.min(out.length, Math.max(1, at));
        break;
    }
  }
  return out;
}

// ---- the comparison ---------------------------------------------------------------

interface Tally {
  lines: number;
  accepted: number;
  rejected: number;
  types: Set<string>;
  mismatches: string[];
}

function compareLine(l: LogicalLine, tally: Tally): void {
  tally.lines++;
  const oracle = parseLineNearley(l);
  const fast = parseLineFast(l.tokens);
  const where = () => `${l.tokens.map((t) => `${t.type}:${JSON.stringify(t.value)}`).join(' ')}`;
  if (oracle.parses > 1) {
    tally.mismatches.push(`nearley found ${oracle.parses} parses (the fast path would hide the ambiguity): ${where()}`);
    return;
  }
  if (oracle.stmt === undefined) {
    tally.rejected++;
    if (fast !== undefined) tally.mismatches.push(`nearley rejects, fast path accepts: ${where()} -> ${canon(fast)}`);
    return;
  }
  tally.accepted++;
  tally.types.add(oracle.stmt.type);
  const want = canon(oracle.stmt);
  const got = fast === undefined ? 'undefined' : canon(fast);
  if (want !== got) tally.mismatches.push(`${where()}\n  nearley: ${want}\n  fast:    ${got}`);
}

function newTally(): Tally {
  return { lines: 0, accepted: 0, rejected: 0, types: new Set(), mismatches: [] };
}

describe('the fast line parser equals the grammar', () => {
  it('reads the repository and generates contracts', () => {
    expect(sources.filter((s) => s.name.endsWith('.aex')).length).toBeGreaterThan(100);
    // The fast path assumes moo's text equals a token's value (nearley matches literals by text).
    const differ = sources.flatMap((s) => logicalLines(s.text)).flatMap((l) => l.tokens).filter((t) => (t as Tok & { text?: string }).text !== undefined && (t as Tok & { text?: string }).text !== t.value);
    expect(differ).toEqual([]);
  });

  it('on every logical line of every source', () => {
    const tally = newTally();
    for (const s of sources) for (const l of logicalLines(s.text)) compareLine(l, tally);
    expect(tally.mismatches.slice(0, 5)).toEqual([]);
    // Every statement form occurs, and most lines are in the language.
    expect([...tally.types].sort()).toEqual(['budget', 'check', 'confirm', 'do', 'for', 'goal', 'header', 'if', 'instruction', 'make', 'need', 'return', 'rules', 'shell']);
    expect(tally.accepted).toBeGreaterThan(tally.rejected);
  });

  it('on thousands of token mutations per source', () => {
    const r = rng(SEED + 1);
    const tally = newTally();
    const PER_SOURCE = 2000;
    // A token sequence met again (same types and values) is compared once: positions are
    // copied from the tokens by both parsers alike, and nearley's time is most of the test's.
    const seen = new Set<string>();
    for (const s of sources) {
      const lines = logicalLines(s.text);
      if (lines.length === 0) continue;
      for (let k = 0; k < PER_SOURCE; k++) {
        const l = lines[Math.floor(r() * lines.length)]!;
        const tokens = mutateTokens(l.tokens, r);
        if (tokens.length === 0) continue;
        const key = tokens.map((t) => t.type + ' ' + t.value).join('\n');
        if (seen.has(key)) continue;
        seen.add(key);
        compareLine({ ...l, tokens }, tally);
        if (tally.mismatches.length >= 5) break;
      }
    }
    expect(tally.mismatches).toEqual([]);
    // Not vacuous: over a hundred thousand distinct lines, thousands of them still
    // statements (of every form), the others near misses of one.
    expect(tally.lines).toBeGreaterThan(100_000);
    expect(tally.accepted).toBeGreaterThan(3_000);
    expect(tally.rejected).toBeGreaterThan(tally.lines / 2);
    expect(tally.types.size).toBe(14);
  });

  it('on hand-picked edges of the grammar', () => {
    const cases: Array<[string, boolean]> = [
      ['need x: list[str?]??', true],
      ['need in: str', false],
      ['need x-y: str', false],
      ['need x: true', false],
      ['need x: list[str', false],
      ['make a: b from $c.0, d.with with', true],
      ['make a: from from c with:', true],
      ['make a: b-c from c with', false],
      ['make a: b from c with ::', false],
      ['make a: b from with with', false],
      ['do t(x=1,)', false],
      ['do t()', true],
      ['do t() ->', false],
      ['do a-b.in.c(x=[1,], y={a: 1,}) -> with', false],
      ['do a-b.in.c(x=[1,], y={a: 1,}) -> r', true],
      ['do a.0(x=1)', false],
      ['do t(in=1)', false],
      ['do t(x=y-z)', false],
      ['do t(x={in: 1})', false],
      ['do t(x={"in": 1})', true],
      ['do t(x=[,])', false],
      ['do t(x={,})', false],
      ['return a.in.from.007.b', true],
      ['return a.b-c', false],
      ['return a.', false],
      ['return -0', true],
      ['return 1e999', true],
      ['return from', false],
      ['check a has valid diff', true],
      ['check a has valid', false],
      ['check a is valid diff x', false],
      ['check a does not include b.c', true],
      ['check a does not include', false],
      ['check a touches only []', true],
      ['check a touches only [b, "c",]', true],
      ['check a has citations', true],
      ['check has has "x"', true],
      ['if only touches only only', true],
      ['for with in x', false],
      ['for x in with', false],
      ['for in in x', false],
      ['budget calls=, tokens=5, k="s", t=true, w=word', true],
      ['budget calls=,', false],
      ['budget calls', false],
      ['allow a:b where x.y == {in: [1, -0,], "k": null} and z not in [] and w has true, c:', true],
      ['allow a where x == 1 and', false],
      ['allow a where x not == 1', false],
      ['allow a where x == y', false],
      ['allow a where true == 1', false],
      ['allow a,', false],
      ['allow a:"x y", b where in in [1]', true],
      ['confirm before a where x matches "y"', true],
      ['confirm a', false],
      ['shell a, b.c, *', true],
      ['shell a,', false],
      ['task x v1 extra', false],
      ['goal "a" "b"', false],
      ['constructor x', false],
      ['__proto__', false],
      ['toString', false],
      ['hasOwnProperty()', false],
    ];
    const tally = newTally();
    const wrong: string[] = [];
    for (const [text, ok] of cases) {
      const lines = logicalLines(text + '\n');
      expect(lines.length, text).toBe(1);
      compareLine(lines[0]!, tally);
      if ((parseLineFast(lines[0]!.tokens) !== undefined) !== ok) wrong.push(text);
    }
    expect(tally.mismatches).toEqual([]);
    expect(wrong).toEqual([]);
  });
});

describe('the fast line parser under deep nesting', () => {
  it('leaves a line nested deeper than its stack to nearley instead of throwing', () => {
    const depth = 30_000;
    for (const text of ['return ' + '['.repeat(depth) + ']'.repeat(depth), 'do t(a=' + '{k: '.repeat(depth) + '1' + '}'.repeat(depth) + ')', 'allow a where x == ' + '['.repeat(depth) + ']'.repeat(depth)]) {
      const [line] = logicalLines(text + '\n');
      expect(() => parseLineFast(line!.tokens)).not.toThrow();
      // Undefined with any ordinary stack; with a huge one, nearley's answer.
      const fast = parseLineFast(line!.tokens);
      if (fast !== undefined) expect(canon(fast)).toBe(canon(parseLineNearley(line!).stmt));
    }
    // A depth it does reach is parsed, as nearley parses it.
    const tally = newTally();
    compareLine(logicalLines('return ' + '['.repeat(1000) + ']'.repeat(1000) + '\n')[0]!, tally);
    expect(tally.mismatches).toEqual([]);
    expect(tally.accepted).toBe(1);
  });
});

// Text-level damage (as tests/compiler/robustness.test.ts does) for the whole-file comparison.
const PIECES = ['(', ')', '[', ']', '{', '}', '"', ',', '=', ':', '.', '-', '->', '#', ' ', '\n', '\n  ', 'if ', 'for x in ', 'do ', 'make ', 'with', 'from', 'in', 'true', 'null', '-0', '1e999', 'has ', 'not ', ' where ', '$', '?'];

function mutateText(text: string, r: Rng): string {
  const pick = (k: number) => Math.floor(r() * k);
  let t = text;
  for (let k = 1 + pick(3); k > 0; k--) {
    const at = pick(t.length + 1);
    switch (pick(4)) {
      case 0:
        t = t.slice(0, at) + PIECES[pick(PIECES.length)] + t.slice(at);
        break;
      case 1:
        t = t.slice(0, at) + t.slice(at + 1 + pick(6));
        break;
      case 2: {
        const lines = t.split('\n');
        const a = pick(lines.length);
        lines.splice(pick(lines.length), 0, lines[a]!);
        t = lines.join('\n');
        break;
      }
      default: {
        const lines = t.split('\n');
        const a = pick(lines.length);
        const words = lines[a]!.split(' ');
        const i = pick(words.length);
        const j = pick(words.length);
        [words[i], words[j]] = [words[j]!, words[i]!];
        lines[a] = words.join(' ');
        t = lines.join('\n');
      }
    }
  }
  return t;
}

describe('parse() with and without the fast path', () => {
  it('gives the same AST, diagnostics and ambiguities for every source and damaged copies of it', () => {
    const r = rng(SEED + 2);
    const differing: string[] = [];
    let withErrors = 0;
    for (const s of sources) {
      const inputs = [s.text, ...Array.from({ length: 8 }, () => mutateText(s.text, r))];
      for (const text of inputs) {
        const fast = parse(text);
        const slow = parseWithoutFastPath(text);
        if (slow.diagnostics.length > 0) withErrors++;
        if (canon(fast) !== canon(slow)) differing.push(`${s.name}: ${JSON.stringify(text.slice(0, 200))}`);
      }
    }
    expect(differing.slice(0, 5)).toEqual([]);
    expect(withErrors).toBeGreaterThan(sources.length);
  });
});
