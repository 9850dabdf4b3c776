import { describe, expect, it } from 'vitest';
import { createHash as nodeCreateHash, randomBytes } from 'node:crypto';
import { createHash, sha256Hex } from '../../scripts/gate-crypto.mjs';

// The gate's bundle hashes with scripts/gate-crypto.mjs instead of node:crypto. Every
// digest must equal node:crypto's, or the gate and the other surfaces would disagree on
// the compiled-policy cache, the budget file and the project's state folder.
const nodeSha = (data: string | Uint8Array) => nodeCreateHash('sha256').update(data).digest('hex');

describe('the gate bundle’s sha256', () => {
  it('matches node:crypto at every length around the block and padding boundaries', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = randomBytes(n);
      expect(sha256Hex(bytes)).toBe(nodeSha(bytes));
    }
  });

  it('matches node:crypto on large and random inputs', () => {
    for (const n of [1000, 4096, 65_536, 1_000_003]) {
      const bytes = randomBytes(n);
      expect(sha256Hex(bytes)).toBe(nodeSha(bytes));
    }
  });

  it('hashes strings as UTF-8, as node:crypto does (paths with any characters)', () => {
    for (const s of ['', 'abc', '/home/ü/projekt', '日本語/ファイル', 'emoji 🦀 path', 'a\0b', '\u2028\u2029', 'x'.repeat(55), 'y'.repeat(64)]) {
      expect(createHash('sha256').update(s).digest('hex')).toBe(nodeSha(s));
    }
    // A lone surrogate becomes U+FFFD in both.
    expect(createHash('sha256').update('\ud800').digest('hex')).toBe(nodeSha('\ud800'));
  });

  it('joins several update() calls like one', () => {
    const parts = ['format\0', 'policy\0', Buffer.from('/p/.aex/policy.aex'), '\0', new Uint8Array([1, 2, 3])];
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    const n = nodeCreateHash('sha256');
    for (const p of parts) n.update(p);
    expect(h.digest('hex')).toBe(n.digest('hex'));
  });

  it('refuses what it does not implement rather than answering wrongly', () => {
    expect(() => createHash('sha1')).toThrow(/sha256 only/);
    expect(() => createHash('sha256').update('x').digest('base64')).toThrow(/hex only/);
    expect(() => createHash('sha256').update(42 as unknown as string)).toThrow(TypeError);
    const h = createHash('sha256').update('x');
    h.digest('hex');
    expect(() => h.digest('hex')).toThrow(/already/);
    expect(() => h.update('y')).toThrow(/already/);
  });
});
