import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { ROOT } from './cli-helpers.js';

// Every ```aex block of the language reference is compiled: a plain block must produce
// no diagnostic at all; a block tagged ```aex error CODE must produce that error.
function aexBlocks(markdown: string): Array<{ info: string; code: string; line: number }> {
  const out: Array<{ info: string; code: string; line: number }> = [];
  const re = /^```(aex[^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    out.push({ info: m[1]!.trim(), code: m[2]!, line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

describe('docs/language.md examples', () => {
  const md = readFileSync(join(ROOT, 'docs', 'language.md'), 'utf8');
  const blocks = aexBlocks(md);

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  for (const b of blocks) {
    const expected = /^aex error (AEX\d{3})$/.exec(b.info)?.[1];
    it(`block at line ${b.line} ${expected ? `reports ${expected}` : 'compiles with no diagnostics'}`, () => {
      const r = compileSource(b.code);
      if (expected) {
        expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([expected]);
      } else {
        expect(r.diagnostics).toEqual([]);
      }
    });
  }

  it('lists every diagnostic code the compiler can emit', () => {
    const codes = new Set<string>();
    const dirs = [join(ROOT, 'src', 'compiler'), join(ROOT, 'src', 'compiler', 'validate')];
    for (const d of dirs) {
      for (const f of readdirSync(d).filter((n) => n.endsWith('.ts'))) {
        for (const m of readFileSync(join(d, f), 'utf8').matchAll(/'(AEX\d{3})'/g)) codes.add(m[1]!);
      }
    }
    expect(codes.size).toBeGreaterThan(20);
    for (const c of codes) expect(md).toContain(`| ${c} |`);
  });
});

describe('docs/audit-events.md', () => {
  const md = readFileSync(join(ROOT, 'docs', 'audit-events.md'), 'utf8');

  function sourceFiles(dir: string): string[] {
    const out: string[] = [];
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) out.push(...sourceFiles(p));
      else if (e.name.endsWith('.ts')) out.push(p);
    }
    return out;
  }

  it('documents every audit event the code emits', () => {
    const names = new Set<string>();
    for (const f of sourceFiles(join(ROOT, 'src'))) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/event: '([a-z_]+(?:\.[a-z_]+)+)'/g)) names.add(m[1]!);
      for (const m of text.matchAll(/'(if\.true|if\.false)'/g)) names.add(m[1]!);
    }
    expect(names.size).toBeGreaterThan(25);
    const missing = [...names].filter((n) => !md.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});
