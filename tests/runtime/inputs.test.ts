import { describe, expect, it } from 'vitest';
import { matchesType, validateInputs } from '../../src/runtime/inputs.js';
import type { Need } from '../../src/ir/types.js';

const need = (name: string, type: Need['type'], optional = false): Need => ({ name, type, optional, loc: { line: 1, column: 1 } });

describe('input validation (docs/design.md#runtime-semantics)', () => {
  it('type table', () => {
    expect(matchesType('x', { base: 'str' })).toBe(true);
    expect(matchesType(Infinity, { base: 'num' })).toBe(false);
    expect(matchesType(2, { base: 'int' })).toBe(true);
    expect(matchesType(2.5, { base: 'int' })).toBe(false);
    expect(matchesType('a\0b', { base: 'file' })).toBe(false);
    expect(matchesType('', { base: 'file' })).toBe(false);
    expect(matchesType('https://example.org/x', { base: 'url' })).toBe(true);
    expect(matchesType('javascript:alert(1)', { base: 'url' })).toBe(false);
    expect(matchesType('file:///etc/passwd', { base: 'url' })).toBe(false);
    expect(matchesType(null, { base: 'json' })).toBe(true);
    expect(matchesType([['a']], { base: 'list', item: { base: 'list', item: { base: 'str' } } })).toBe(true);
    expect(matchesType([1, 'a'], { base: 'list', item: { base: 'int' } })).toBe(false);
  });

  it('optional inputs: absent or null bind to null; undeclared keys are dropped', () => {
    const r = validateInputs([need('a', { base: 'str' }, true), need('b', { base: 'int' }, true)], { a: null, extra: 1 });
    expect(r).toEqual({ scope: { a: null, b: null }, problems: [] });
  });

  it('problems carry AEX030/AEX031 and the events of docs/design.md#runtime-semantics', () => {
    const r = validateInputs([need('a', { base: 'str' }), need('n', { base: 'int' }), need('l', { base: 'list', item: { base: 'str' } })], { n: null, l: 'x' });
    expect(r.problems.map((p) => p.reason)).toEqual([
      { code: 'AEX030', message: 'Missing required input "a" of type "str".' },
      { code: 'AEX031', message: 'Input "n" expected int, got null.' },
      { code: 'AEX031', message: 'Input "l" expected list[str], got string.' },
    ]);
    expect(r.problems.map((p) => p.event)).toEqual([
      { event: 'input.missing', input: 'a', expected: 'str' },
      { event: 'input.invalid', input: 'n', expected: 'int', actual: 'null' },
      { event: 'input.invalid', input: 'l', expected: 'list[str]', actual: 'string' },
    ]);
  });
});
