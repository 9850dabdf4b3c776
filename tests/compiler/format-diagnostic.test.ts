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

  it('formats 20,000 diagnostics of a 20,000-line source in well under a second', () => {
    const source = Array.from({ length: 20_000 }, (_, i) => `do a.b(x=${i})`).join('\n');
    const t0 = performance.now();
    let last = '';
    for (let i = 1; i <= 20_000; i++) last = formatDiagnostic(at(i, 4), source, 'big.aex');
    expect(last).toBe('big.aex:20000:4: error AEX100: m\n  do a.b(x=19999)\n     ^');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
