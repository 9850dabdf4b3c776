import { describe, expect, it } from 'vitest';
import { evalCond, isValidDiff, normalizeFile, textOf, touchedFiles } from '../../src/runtime/checks.js';
import type { Cond } from '../../src/ir/types.js';
import type { RunState } from '../../src/runtime/steps/types.js';

const st = (vars: Record<string, unknown>): RunState => ({ scopes: [vars as RunState['scopes'][0]], callsUsed: 0 });
const ref = (name: string) => ({ ref: name });
const DIFF = 'diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-a\n+b\n';

describe('conditions (docs/design.md#runtime-semantics)', () => {
  it('truthiness: empty arrays are false; {} and "0" are true', () => {
    const c = (v: unknown) => evalCond({ op: 'truthy', subject: ref('x') }, 'x', st({ x: v })).pass;
    expect([c([]), c([0]), c({}), c('0'), c(0), c(''), c(null), c(undefined)]).toEqual([false, true, true, true, false, false, false, false]);
  });

  it('has uses the text form (objects as JSON, so keys match); null is ""', () => {
    const has = (v: unknown, s: string) => evalCond({ op: 'has', subject: ref('x'), needle: { lit: s } }, 'x has', st({ x: v }));
    expect(has({ zz: 1 }, 'zz').pass).toBe(true);
    expect(has(null, 'a')).toEqual({ pass: false, reason: 'Expected "x" to include "a".' });
    expect(textOf([1, 'a'])).toBe('[1,"a"]');
  });

  it('citations: markdown link, [n] marker or URL', () => {
    const cit = (v: string) => evalCond({ op: 'has_citations', subject: ref('x') }, '', st({ x: v })).pass;
    expect([cit('see [docs](http://x)'), cit('as shown [3]'), cit('https://a.b'), cit('[not a cite]'), cit('plain')]).toEqual([true, true, true, false, false]);
  });

  it('does not include: missing subject passes; empty/null needle fails with "needle is empty"', () => {
    const ni = (x: unknown, n: unknown) => evalCond({ op: 'not_includes', subject: ref('x'), needle: ref('n') } as Cond, 'c', st({ x, n }));
    expect(ni(undefined, 'a').pass).toBe(true);
    expect(ni('abc', null)).toEqual({ pass: false, reason: 'needle is empty' });
    expect(ni('abc', '')).toEqual({ pass: false, reason: 'needle is empty' });
    expect(ni('abc', 'b')).toEqual({ pass: false, reason: 'Expected "x" to avoid "b".' });
  });

  it('valid diff: strings, arrays (empty fails), objects', () => {
    expect(isValidDiff(DIFF)).toBe(true);
    expect(isValidDiff('@@ -1 +1 @@\n-a\n+b\n')).toBe(false); // no file name
    expect(isValidDiff('not a diff')).toBe(false);
    expect(isValidDiff([])).toBe(false);
    expect(isValidDiff(['a.ts', { path: 'b.ts' }])).toBe(true);
    expect(isValidDiff(['a.ts', ''])).toBe(false);
    expect(isValidDiff({ diff: DIFF })).toBe(true);
    expect(isValidDiff({ files: [] })).toBe(false);
    expect(isValidDiff({ path: 'x' })).toBe(true);
    expect(isValidDiff(42)).toBe(false);
  });

  it('touches only: normalises both sides; no files → "no files found"', () => {
    expect(touchedFiles(DIFF)).toEqual(['src/a.ts']);
    expect(touchedFiles([{ file: './x//y.ts' }, 'z/./w.ts'])).toEqual(['x/y.ts', 'z/w.ts']);
    expect(normalizeFile('./a//b/./c')).toBe('a/b/c');
    const to = (x: unknown, allowed: unknown) =>
      evalCond({ op: 'touches_only', subject: ref('x'), allowed: ref('a') }, 'x touches only a', st({ x, a: allowed }));
    expect(to(DIFF, ['./src//a.ts']).pass).toBe(true);
    expect(to(DIFF, ['src/b.ts'])).toEqual({ pass: false, reason: 'Patch touches files outside the allowed set: src/a.ts.' });
    expect(to('prose', ['a'])).toEqual({ pass: false, reason: 'no files found' });
    expect(to(DIFF, 'src/a.ts')).toEqual({ pass: false, reason: '"a" must be an array of file paths.' });
    // deletion: +++ /dev/null, the old name counts
    expect(touchedFiles('--- a/gone.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n')).toEqual(['gone.ts']);
  });
});
