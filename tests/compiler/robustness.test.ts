import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { formatSource } from '../../src/compiler/index.js';
import { validateIR } from '../../src/ir/validate.js';

// Mutation testing of the front end: thousands of damaged inputs must each end in
// IR or diagnostics — never an exception, a hang or a schema-invalid IR — and
// whatever fmt accepts it must format idempotently without changing the meaning.

const dirs = ['valid', 'invalid'].map((d) => join(__dirname, '..', 'fixtures', d));
const seeds = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.aex')).map((f) => readFileSync(join(d, f), 'utf8')));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['(', ')', '[', ']', '{', '}', '"', "'", ',', '=', ':', '.', '->', '#', '\t', '\\', '$', '?', '*', '-', ' ', '\n', '\n  ', 'if ', 'for x in ', 'do ', 'return ', 'make ', 'with', 'from', 'true', 'null', '1e999', '\u0000', '\uFEFF', '\r', 'é', '💥'];

function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(r() * n);
  const ops = 1 + pick(3);
  let t = text;
  for (let k = 0; k < ops; k++) {
    switch (pick(9)) {
      case 0: // delete a line
        lines.splice(pick(lines.length), 1);
        t = lines.join('\n');
        break;
      case 1: // duplicate a line
        {
          const i = pick(lines.length);
          lines.splice(i, 0, lines[i] ?? '');
          t = lines.join('\n');
        }
        break;
      case 2: // swap two lines
        {
          const i = pick(lines.length);
          const j = pick(lines.length);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
          t = lines.join('\n');
        }
        break;
      case 3: // insert a piece
        {
          const i = pick(t.length + 1);
          t = t.slice(0, i) + PIECES[pick(PIECES.length)] + t.slice(i);
        }
        break;
      case 4: // delete a span
        {
          const i = pick(t.length);
          t = t.slice(0, i) + t.slice(i + 1 + pick(8));
        }
        break;
      case 5: // random bytes
        {
          const i = pick(t.length + 1);
          const junk = Array.from({ length: 1 + pick(6) }, () => String.fromCharCode(pick(0x3000))).join('');
          t = t.slice(0, i) + junk + t.slice(i);
        }
        break;
      case 6: // swap two tokens on a line
        {
          const i = pick(lines.length);
          const words = (lines[i] ?? '').split(' ');
          const a = pick(words.length);
          const b = pick(words.length);
          [words[a], words[b]] = [words[b]!, words[a]!];
          lines[i] = words.join(' ');
          t = lines.join('\n');
        }
        break;
      case 7: // very long line
        t += '\ndo x(' + 'a="' + 'y'.repeat(5000 + pick(5000)) + '")';
        break;
      case 8: // deep nesting
        {
          const depth = 20 + pick(60);
          let s = '';
          for (let d = 0; d < depth; d++) s += '  '.repeat(d) + `if c${d}\n`;
          s += '  '.repeat(depth) + 'return [' + '['.repeat(depth) + ']'.repeat(depth) + ']\n';
          t += '\n' + s;
        }
        break;
    }
  }
  return t;
}

function noLoc(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === 'loc' || k === 'source' ? undefined : v)));
}

describe('robustness under mutation', () => {
  it('never throws, hangs or emits schema-invalid IR; fmt stays idempotent and meaning-preserving', () => {
    const r = rng(Number(process.env.AEX_FUZZ_SEED ?? 20261122));
    const N = 3000;
    let formatted = 0;
    const started = Date.now();
    for (let n = 0; n < N; n++) {
      const input = mutate(seeds[n % seeds.length]!, r);
      let res;
      try {
        res = compileSource(input, { path: 'fuzz.aex' });
      } catch (e) {
        throw new Error(`compileSource threw on input ${JSON.stringify(input)}: ${(e as Error).stack}`);
      }
      expect(res.ir !== null || res.diagnostics.length > 0).toBe(true);
      for (const d of res.diagnostics) {
        expect(d.code).toMatch(/^AEX\d{3}$/);
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
      }
      if (res.ok) {
        const v = validateIR(res.ir);
        if (!v.valid) throw new Error(`schema-invalid IR for ${JSON.stringify(input)}: ${JSON.stringify(v.errors)}`);
      }
      let f;
      try {
        f = formatSource(input);
      } catch (e) {
        throw new Error(`fmt threw on input ${JSON.stringify(input)}: ${(e as Error).stack}`);
      }
      if (f.output !== null) {
        formatted++;
        const again = formatSource(f.output);
        if (again.output !== f.output) throw new Error(`fmt not idempotent for ${JSON.stringify(input)}\n--- once\n${f.output}\n--- twice\n${again.output}`);
        const a = noLoc(compileSource(f.output).ir);
        const b = noLoc(res.ir);
        if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`fmt changed meaning of ${JSON.stringify(input)}\n--- formatted\n${f.output}`);
      }
    }
    expect(formatted).toBeGreaterThan(100);
    expect(Date.now() - started).toBeLessThan(120_000);
  });
});
