import { describe, expect, it } from 'vitest';
import { diag, formatDiagnostic } from '../../src/compiler/diagnostics.js';

// formatDiagnostic keeps the lines of the source it last split: a long document's thousands of
// diagnostics are formatted against one split. The line shown must still be that of the source
// passed with each call, whatever was formatted before it.
describe('formatDiagnostic', () => {
  const a = 'task a v1\ngoal "first"\n';
  const b = '\uFEFFtask b v1\r\ngoal "second"\rreturn x\n';
  const at = (line: number, column: number) => diag('AEX100', 'error', 'm', line, column);

  it('shows the line of the source it is given, alternating between sources', () => {
    expect(formatDiagnostic(at(2, 6), a, 'a.aex')).toBe('a.aex:2:6: error AEX100: m\n  goal "first"\n       ^');
    expect(formatDiagnostic(at(2, 6), b, 'b.aex')).toBe('b.aex:2:6: error AEX100: m\n  goal "second"\n       ^');
    expect(formatDiagnostic(at(1, 1), a, 'a.aex')).toBe('a.aex:1:1: error AEX100: m\n  task a v1\n  ^');
    // A byte order mark is not part of the first line; \r\n and \r end lines as \n does.
    expect(formatDiagnostic(at(1, 1), b, 'b.aex')).toBe('b.aex:1:1: error AEX100: m\n  task b v1\n  ^');
    expect(formatDiagnostic(at(3, 8), b, 'b.aex')).toBe('b.aex:3:8: error AEX100: m\n  return x\n         ^');
  });

  it('a source equal in text but another string gives the same lines; a line past the end shows none', () => {
    const copy = ['task a v1', 'goal "first"', ''].join('\n');
    expect(formatDiagnostic(at(2, 1), copy, 'c.aex')).toBe(formatDiagnostic(at(2, 1), a, 'c.aex'));
    expect(formatDiagnostic(at(9, 1), a, 'a.aex')).toBe('a.aex:9:1: error AEX100: m');
    expect(formatDiagnostic(at(1, 1), undefined, 'a.aex')).toBe('a.aex:1:1: error AEX100: m');
    expect(formatDiagnostic(at(1, 1), '', 'e.aex')).toBe('e.aex:1:1: error AEX100: m\n  \n  ^');
  });

  it('formats every diagnostic of a 20,000-line source against its own line', () => {
    // How fast is bench material (docs/benchmarks.md); here, that each line is the right one.
    const source = Array.from({ length: 20_000 }, (_, i) => `do a.b(x=${i})`).join('\n');
    for (let i = 1; i <= 20_000; i += 997) expect(formatDiagnostic(at(i, 4), source, 'big.aex')).toBe(`big.aex:${i}:4: error AEX100: m\n  do a.b(x=${i - 1})\n     ^`);
    expect(formatDiagnostic(at(20_000, 4), source, 'big.aex')).toBe('big.aex:20000:4: error AEX100: m\n  do a.b(x=19999)\n     ^');
  });

  it('a line longer than 160 characters is shown around the column, cut with "…"', () => {
    const long = 'return ' + '['.repeat(300) + '1' + ']'.repeat(300);
    // Near the start: the beginning shown, the rest cut.
    const near = formatDiagnostic(at(1, 8), long, 'l.aex').split('\n');
    expect(near[1]).toBe('  ' + long.slice(0, 160) + '…');
    expect(near[2]).toBe('  ' + ' '.repeat(7) + '^');
    // In the middle: 60 characters before the column, cut on both sides, the caret under the column's character.
    const mid = formatDiagnostic(at(1, 301), long, 'l.aex').split('\n');
    expect(mid[1]).toBe('  …' + long.slice(240, 400) + '…');
    expect(mid[2].indexOf('^') - 2).toBe(61);
    expect(mid[1][mid[2].indexOf('^')]).toBe(long[300]);
    // At the end: the last 160 characters, and a caret just past the line stays on screen.
    const end = formatDiagnostic(at(1, long.length + 1), long, 'l.aex').split('\n');
    expect(end[1]).toBe('  …' + long.slice(long.length - 160));
    expect(end[2].indexOf('^')).toBe(end[1].length);
    // A line of exactly 160 characters is shown whole.
    const exact = 'x'.repeat(160);
    expect(formatDiagnostic(at(1, 160), exact, 'x.aex').split('\n')[1]).toBe('  ' + exact);
  });
});
