import { describe, expect, it } from 'vitest';
import { RuleSyntaxError } from '../../src/rules/errors.js';
import type { WhereTest } from '../../src/rules/types.js';
import { jsonEqual, whereHolds } from '../../src/rules/where.js';

const t = (arg: string, op: WhereTest['op'], value: WhereTest['value']): WhereTest => ({ arg: arg.split('.'), op, value });

describe('whereHolds (docs/language.md)', () => {
  const args = {
    channel: 'C0123',
    n: 3,
    flag: true,
    none: null,
    tags: ['a', 'b', { k: 1 }],
    opts: { repo: 'secret-org/x', depth: { level: 2 } },
    text: 'hello world',
    multi: 'line1\nline2',
  };
  const table: Array<[WhereTest, boolean]> = [
    [t('channel', '==', 'C0123'), true],
    [t('channel', '==', 'C0456'), false],
    [t('channel', '!=', 'C0456'), true],
    [t('n', '==', 3), true],
    [t('n', '==', '3'), false], // JSON types differ
    [t('n', '==', 3.0), true],
    [t('flag', '==', true), true],
    [t('none', '==', null), true],
    [t('none', '!=', null), false],
    [t('tags', '==', ['a', 'b', { k: 1 }]), true],
    [t('tags', '==', ['b', 'a', { k: 1 }]), false], // arrays in order
    [t('opts.depth', '==', { level: 2 }), true],
    [t('opts', '==', { depth: { level: 2 }, repo: 'secret-org/x' }), true], // object keys in any order
    [t('opts', '==', { repo: 'secret-org/x' }), false],
    [t('channel', 'in', ['C0123', 'C0456']), true],
    [t('channel', 'in', ['C0456']), false],
    [t('channel', 'not in', ['C0456']), true],
    [t('opts.depth', 'in', [{ level: 2 }]), true],
    [t('opts.repo', 'matches', 'secret-org/*'), true],
    [t('opts.repo', 'matches', 'secret-org/?'), true],
    [t('opts.repo', 'matches', 'secret-org'), false],
    [t('opts.repo', 'matches', '*'), true],
    [t('multi', 'matches', 'line1*line2'), true], // `*` spans a newline
    [t('multi', 'matches', 'line1?line2'), true],
    [t('n', 'matches', '*'), false], // not a string
    [t('text', 'has', 'lo wo'), true],
    [t('text', 'has', 'xyz'), false],
    [t('tags', 'has', 'a'), true],
    [t('tags', 'has', { k: 1 }), true],
    [t('tags', 'has', 'c'), false],
    [t('opts', 'has', 'repo'), false], // `has` never looks at object keys
    [t('n', 'has', 3), false],
  ];
  it.each(table)('%j → %s', (test, want) => {
    expect(whereHolds([test], args)).toBe(want);
  });

  it('absent arguments: ==, in, matches, has false; !=, not in true', () => {
    for (const arg of ['missing', 'opts.missing', 'channel.length', 'n.x', 'tags.x', 'none.x']) {
      expect(whereHolds([t(arg, '==', 'x')], args)).toBe(false);
      expect(whereHolds([t(arg, 'in', ['x'])], args)).toBe(false);
      expect(whereHolds([t(arg, 'matches', '*')], args)).toBe(false);
      expect(whereHolds([t(arg, 'has', 'x')], args)).toBe(false);
      expect(whereHolds([t(arg, '!=', 'x')], args)).toBe(true);
      expect(whereHolds([t(arg, 'not in', ['x'])], args)).toBe(true);
    }
  });

  it('inherited properties are never arguments; __proto__ and constructor are ordinary keys', () => {
    const plain: Record<string, unknown> = {};
    expect(whereHolds([t('toString', 'matches', '*')], plain)).toBe(false);
    expect(whereHolds([t('constructor', '!=', 'x')], plain)).toBe(true);
    expect(whereHolds([t('constructor.name', '==', 'Object')], plain)).toBe(false);
    expect(whereHolds([t('__proto__', '==', {})], plain)).toBe(false);
    expect(whereHolds([t('hasOwnProperty', 'matches', '*')], plain)).toBe(false);
    // own keys with those names, as JSON.parse creates them
    const parsed = JSON.parse('{"__proto__": {"admin": true}, "constructor": "c"}') as Record<string, unknown>;
    expect(whereHolds([t('__proto__.admin', '==', true)], parsed)).toBe(true);
    expect(whereHolds([t('constructor', '==', 'c')], parsed)).toBe(true);
    // an object whose prototype carries the key does not have it
    const child = Object.create({ channel: 'C0123' }) as Record<string, unknown>;
    expect(whereHolds([t('channel', '==', 'C0123')], child)).toBe(false);
    expect(whereHolds([t('channel', 'not in', ['C0123'])], child)).toBe(true);
    // array length is an own property of arrays, but only of arrays
    expect(whereHolds([t('tags.0', '==', 'a')], args)).toBe(true);
    expect(whereHolds([t('text.length', '==', 11)], args)).toBe(false);
  });

  it('a conjunction needs every test; no tests hold', () => {
    expect(whereHolds([t('channel', '==', 'C0123'), t('n', '==', 3)], args)).toBe(true);
    expect(whereHolds([t('channel', '==', 'C0123'), t('n', '==', 4)], args)).toBe(false);
    expect(whereHolds([], args)).toBe(true);
  });

  it('malformed tests throw RuleSyntaxError', () => {
    expect(() => whereHolds([t('channel', 'in', 'C0123')], args)).toThrow(RuleSyntaxError);
    expect(() => whereHolds([t('channel', 'matches', 3)], args)).toThrow(RuleSyntaxError);
    expect(() => whereHolds([{ arg: [], op: '==', value: 1 }], args)).toThrow(RuleSyntaxError);
    expect(() => whereHolds([{ arg: ['a'], op: 'like' as WhereTest['op'], value: 1 }], args)).toThrow(RuleSyntaxError);
  });

  it('jsonEqual treats undefined members as absent and -0 as 0', () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual(-0, 0)).toBe(true);
    expect(jsonEqual([1], { 0: 1 })).toBe(false);
  });
});
