// Nesting beyond what AEX reads is a diagnostic with a position, never an exhausted stack:
// brackets of values, types and where tests, and blocks of if/for.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { MAX_NESTING } from '../../src/compiler/lexer.js';

const head = ['task t v0', 'goal "g"', 'use file.read', 'need f: list[file]', 'do file.read(paths=f) -> r'];
const errorsOf = (lines: string[]) => compileSource(lines.join('\n') + '\n').diagnostics.filter((d) => d.severity === 'error');
// A line left unparsed can leave the task without what it needs (a `return`): only AEX104 is asserted on.
const nestingErrors = (lines: string[]) => errorsOf(lines).filter((d) => d.code === 'AEX104');

describe('nesting limit (AEX104)', () => {
  it('brackets up to the limit compile', () => {
    const v = '['.repeat(MAX_NESTING) + '1' + ']'.repeat(MAX_NESTING);
    expect(errorsOf([...head, `return ${v}`])).toEqual([]);
  });

  it.each([MAX_NESTING + 1, 5_000, 400_000])('brackets %i deep: one AEX104 at the first bracket too many', (depth) => {
    const v = '['.repeat(depth) + '1' + ']'.repeat(depth);
    expect(nestingErrors([...head, `return ${v}`])).toEqual([expect.objectContaining({ code: 'AEX104', line: head.length + 1, column: 'return '.length + MAX_NESTING + 1 })]);
  });

  it('deep objects in arguments, spread over lines, and deep types are refused the same way', () => {
    const obj = '{a: '.repeat(MAX_NESTING + 1) + '1' + '}'.repeat(MAX_NESTING + 1);
    expect(nestingErrors([...head, `do file.read(paths=f, x=${obj})`, 'return r'])).toHaveLength(1);
    const multi = ['do file.read(paths=f, x=', ...Array.from({ length: MAX_NESTING + 1 }, () => '['), '1', ...Array.from({ length: MAX_NESTING + 1 }, () => ']'), ')'];
    // The call's own "(" is the first bracket: the 100th "[" is one too many.
    expect(nestingErrors([...head, multi.join('\n'), 'return r'])).toEqual([expect.objectContaining({ line: head.length + 1 + MAX_NESTING, column: 1 })]);
    const type = 'list['.repeat(MAX_NESTING + 1) + 'str' + ']'.repeat(MAX_NESTING + 1);
    expect(nestingErrors(['task t v0', 'goal "g"', `need x: ${type}`, 'return x'])).toHaveLength(1);
  });

  const nestedFors = (depth: number) => {
    const lines = [...head];
    for (let i = 0; i < depth; i++) lines.push(`${'  '.repeat(i)}for x${i} in f`);
    lines.push(`${'  '.repeat(depth)}check x0 has "a"`, 'return r');
    return lines;
  };

  it('blocks up to the limit compile', () => {
    expect(errorsOf(nestedFors(MAX_NESTING))).toEqual([]);
  });

  it.each([MAX_NESTING + 1, 900])('blocks %i deep: one AEX104 where the block too many starts', (depth) => {
    // The `for` at indentation level k opens block k+1 on the next line: block MAX_NESTING + 1 opens at the line of level MAX_NESTING + 1.
    expect(errorsOf(nestedFors(depth))).toEqual([expect.objectContaining({ code: 'AEX104', line: head.length + 1 + MAX_NESTING + 1, column: 2 * (MAX_NESTING + 1) + 1 })]);
  });
});
