import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { parse } from '../../src/compiler/parser.js';
import { validateIR } from '../../src/ir/validate.js';

const fixtures = join(__dirname, '..', 'fixtures');
const validDir = join(fixtures, 'valid');
const invalidDir = join(fixtures, 'invalid');
const valid = readdirSync(validDir).filter((f) => f.endsWith('.aex'));
const invalid = readdirSync(invalidDir).filter((f) => f.endsWith('.aex'));

describe('valid fixtures', () => {
  it.each(valid)('%s compiles without errors to schema-valid IR', (f) => {
    const text = readFileSync(join(validDir, f), 'utf8');
    const res = compileSource(text, { path: f });
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(res.ok).toBe(true);
    expect(validateIR(res.ir).errors).toEqual([]);
  });

  it.each(valid)('%s has exactly one parse for every statement', (f) => {
    const text = readFileSync(join(validDir, f), 'utf8');
    expect(parse(text).ambiguities).toEqual([]);
  });
});

describe('invalid fixtures', () => {
  it.each(invalid)('%s reports the expected code, line and column', (f) => {
    const text = readFileSync(join(invalidDir, f), 'utf8');
    const expects = [...text.matchAll(/^# expect (AEX\d{3}) (\d+):(\d+)$/gm)].map((m) => ({
      code: m[1],
      line: Number(m[2]),
      column: Number(m[3]),
    }));
    expect(expects.length).toBeGreaterThan(0);
    const res = compileSource(text, { path: f });
    // The complete list, in order: a fixture also proves that nothing else is reported.
    const byPosition = (a: { code: string; line: number; column: number }, b: typeof a) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
    expect(res.diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column })).sort(byPosition)).toEqual([...expects].sort(byPosition));
    for (const e of expects) {
      expect(res.diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column }))).toContainEqual(e);
    }
    if (expects.some((e) => res.diagnostics.find((d) => d.code === e.code)?.severity === 'error')) {
      expect(res.ok).toBe(false);
    }
  });

  it('every diagnostic code of docs/language.md and docs/language.md has a fixture (AEX015 is tested with a policy)', () => {
    const codes = new Set(invalid.map((f) => f.slice(0, 6)));
    const all = ['AEX001', 'AEX002', 'AEX003', 'AEX004', 'AEX005', 'AEX006', 'AEX010', 'AEX011', 'AEX012', 'AEX013', 'AEX014', 'AEX016', 'AEX017', 'AEX018', 'AEX020', 'AEX021', 'AEX022', 'AEX023', 'AEX024', 'AEX025', 'AEX026', 'AEX032', 'AEX033', 'AEX034', 'AEX035', 'AEX040', 'AEX041', 'AEX043', 'AEX044', 'AEX100', 'AEX101', 'AEX102', 'AEX103', 'AEX120', 'AEX121', 'AEX122'];
    expect(all.filter((c) => !codes.has(c))).toEqual([]);
  });
});
