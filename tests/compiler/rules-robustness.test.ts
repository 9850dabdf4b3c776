import { describe, expect, it } from 'vitest';
import { compileSource, parseRuleText } from '../../src/compiler/index.js';
import { formatSource } from '../../src/compiler/index.js';
import { validateIR } from '../../src/ir/validate.js';

// Seeded mutations of AEX 2 rule lines (quotes, where clauses, brackets, unicode,
// newlines): every input ends in IR or diagnostics — no exception, no hang — and
// whatever fmt accepts formats idempotently without changing the meaning. The same
// texts through parseRuleText (JSON policies) give a rule or an error, never both.

const SEEDS = [
  'allow shell.exec:"git status", shell.exec:"git diff *", shell.exec:"npm run *"',
  'confirm before shell.exec:"git push *"',
  'deny shell.exec:"rm -rf *", shell.exec:"sudo *", network.*',
  'allow network.fetch:"*.github.com", network.fetch:registry.npmjs.org',
  'allow mcp.slack.post_message where channel in ["C0123", "C0456"]',
  'deny mcp.github.* where repo matches "secret-org/*"',
  'allow mcp.x.t where a == {"k": [1, {"z": null}], "q": "a,b"} and b not in [true, -1.5e3], file.read:./src/**',
  'deny file.read:"./My Documents/**", file.write:./.git/',
  'shell mcp.runner.exec, mcp.ci.run',
  'allow mcp.fs.read_*, mcp.*.read_file',
];

const PIECES = ['"', '\\"', '\\', ',', ' ', 'where ', ' and ', ' not in ', '==', '!=', ' in ', 'matches', 'has', '[', ']', '{', '}', ':', '.', '*', '**', '#', "'", '\n', '\n  ', '\r', '\t', 'é', '💥', '\u2028', '\u0000', '1e999', 'null', '-', '://', '~', '..', '/'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutate(line: string, r: () => number): string {
  const pick = (n: number) => Math.floor(r() * n);
  let t = line;
  for (let k = 1 + pick(3); k > 0; k--) {
    const i = pick(t.length + 1);
    switch (pick(5)) {
      case 0:
        t = t.slice(0, i) + PIECES[pick(PIECES.length)] + t.slice(i);
        break;
      case 1:
        t = t.slice(0, i) + t.slice(i + 1 + pick(6));
        break;
      case 2:
        t = t.slice(0, i) + String.fromCodePoint(pick(0x2ffff)) + t.slice(i);
        break;
      case 3: {
        const j = pick(t.length + 1);
        t = t.slice(0, Math.min(i, j)) + t.slice(Math.max(i, j)) + t.slice(Math.min(i, j), Math.max(i, j));
        break;
      }
      case 4:
        t = t.slice(0, i) + '['.repeat(1 + pick(40)) + t.slice(i);
        break;
    }
  }
  return t;
}

const noLoc = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'loc' || k === 'source' ? undefined : v));

describe('rule lines under mutation', () => {
  it('never throw or hang; fmt is idempotent and keeps the meaning; JSON rule texts give a rule xor an error', () => {
    const r = rng(Number(process.env.AEX_FUZZ_SEED ?? 20261201));
    const N = 4000;
    let formatted = 0;
    let rulesRead = 0;
    const started = Date.now();
    for (let n = 0; n < N; n++) {
      const line = mutate(SEEDS[n % SEEDS.length]!, r);
      const doc = `policy p v0\ngoal "g"\nallow file.read\n${line}\n`;
      let res;
      try {
        res = compileSource(doc, { path: 'fuzz.aex' });
      } catch (e) {
        throw new Error(`compileSource threw on ${JSON.stringify(line)}: ${(e as Error).stack}`);
      }
      for (const d of res.diagnostics) {
        expect(d.code).toMatch(/^AEX\d{3}$/);
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
      }
      if (res.ok) {
        const v = validateIR(res.ir);
        if (!v.valid) throw new Error(`schema-invalid IR for ${JSON.stringify(line)}: ${JSON.stringify(v.errors)}`);
      }
      const f = formatSource(doc);
      if (f.output !== null) {
        formatted++;
        const again = formatSource(f.output);
        if (again.output !== f.output) throw new Error(`fmt not idempotent for ${JSON.stringify(line)}\n--- once\n${f.output}\n--- twice\n${again.output}`);
        if (noLoc(compileSource(f.output).ir) !== noLoc(res.ir)) throw new Error(`fmt changed the meaning of ${JSON.stringify(line)}\n--- formatted\n${f.output}`);
      }
      const text = line.replace(/^(allow|deny|confirm before|shell) /, '');
      const parsed = parseRuleText(text, 'deny');
      const hasError = parsed.diagnostics.some((d) => d.severity === 'error');
      expect(hasError === (parsed.rule === undefined), JSON.stringify(text)).toBe(true);
      if (parsed.rule) rulesRead++;
    }
    expect(formatted).toBeGreaterThan(200);
    expect(rulesRead).toBeGreaterThan(100);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
