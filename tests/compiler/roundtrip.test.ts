import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { formatSource } from '../../src/compiler/index.js';
import type { IRDocument } from '../../src/ir/types.js';

const validDir = join(__dirname, '..', 'fixtures', 'valid');
const files = readdirSync(validDir).filter((f) => f.endsWith('.aex'));

/** The IR with every `loc` removed, for comparing meaning only. */
function withoutLoc(ir: IRDocument | null): unknown {
  return JSON.parse(JSON.stringify(ir, (k, v) => (k === 'loc' ? undefined : v)));
}

describe('fmt round trip', () => {
  it.each(files)('%s: fmt is idempotent and keeps the meaning', (f) => {
    const text = readFileSync(join(validDir, f), 'utf8');
    const once = formatSource(text).output!;
    expect(once).not.toBeNull();
    const twice = formatSource(once).output;
    expect(twice).toBe(once);
    expect(withoutLoc(compileSource(once).ir)).toEqual(withoutLoc(compileSource(text).ir));
  });

  it('keeps every comment', () => {
    for (const f of files) {
      const text = readFileSync(join(validDir, f), 'utf8');
      const out = formatSource(text).output!;
      // Every `#` comment outside strings and instruction text survives, in order.
      const comments = (s: string) => [...s.matchAll(/(?:^|\s)(# [^\n]*)$/gm)].map((m) => m[1]!.trim());
      expect(comments(out)).toEqual(comments(text));
    }
  });

  it('produces the canonical layout', () => {
    const src = [
      'task  layout   v1',
      'deny network.*',
      'use b.tool',
      'goal "g"',
      'use a.tool',
      'need x: str',
      'budget tokens=5',
      'budget calls=3',
      'do b.tool(z=x,a=1)->out',
      'make m: text from $x with',
      '  -   do it',
      'if out has valid diff',
      '    do a.tool(v=[1,2])',
      'return {a: out, b: m}',
      '',
      '',
    ].join('\n');
    expect(formatSource(src).output).toBe(
      [
        'task layout v1',
        '',
        'goal "g"',
        '',
        'use b.tool, a.tool',
        'deny network.*',
        '',
        'need x: str',
        '',
        'budget calls=3, tokens=5',
        '',
        'do b.tool(z=x, a=1) -> out',
        '',
        'make m: text from x with:',
        '  - do it',
        '',
        'if out is valid diff',
        '  do a.tool(v=[1, 2])',
        '',
        'return {',
        '  a: out,',
        '  b: m',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('breaks lists wider than 100 columns one element per line', () => {
    const items = Array.from({ length: 12 }, (_, i) => `"file-number-${i}.txt"`).join(', ');
    const src = `task wide v0\ngoal "g"\nuse file.read\ndo file.read(paths=[${items}]) -> t\nreturn t\n`;
    const out = formatSource(src).output!;
    expect(out).toContain('do file.read(paths=[\n  "file-number-0.txt",\n');
    expect(out).toContain('  "file-number-11.txt"\n]) -> t');
    expect(formatSource(out).output).toBe(out);
  });

  it('leaves files with syntax errors alone and reports them', () => {
    const res = formatSource('task t v0\ngoal "g\nreturn 1\n');
    expect(res.output).toBeNull();
    expect(res.blocking.map((d) => d.code)).toContain('AEX102');
  });

  it('normalises CRLF and BOM to LF without a BOM', () => {
    const out = formatSource('\uFEFFtask t v0\r\ngoal "g"\r\nreturn 1\r\n').output!;
    expect(out).toBe('task t v0\n\ngoal "g"\n\nreturn 1\n');
  });
});
