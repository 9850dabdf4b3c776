import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanStatementLine } from '../../src/compiler/main-scanner.js';
import { mainLexer } from '../../src/compiler/tokens.js';
import { generateContract } from '../../bench/contract.mjs';
import { seededRandom } from '../helpers/seeded-random.js';

// The hand-written statement scanner (src/compiler/main-scanner.ts) against the moo lexer it
// stands for (mainLexer in src/compiler/tokens.ts): the same tokens, types, values and
// columns for every line of every .aex in the repository, a generated contract, and random
// lines over an alphabet chosen to hit each rule's edges (escapes before line separators,
// unterminated strings, signs, exponents, dotted indexes, `->`, hyphenated words, surrogate
// halves). AEX_FUZZ_SEED changes the seed.

const root = join(__dirname, '..', '..');
const SEED = Number(process.env.AEX_FUZZ_SEED ?? 20261202);

const rng = seededRandom;

/** What lexPhysical made of moo's tokens: punctuation typed by its own text. */
function viaMoo(text: string, startCol: number): string[] {
  mainLexer.reset(text);
  const out: string[] = [];
  for (let t = mainLexer.next(); t; t = mainLexer.next()) {
    out.push(`${t.type === 'punct' ? t.value : t.type}|${t.value}|${startCol + t.offset}`);
  }
  return out;
}

function viaScanner(text: string, startCol: number): string[] {
  return scanStatementLine(text, 7, startCol).map((t) => {
    expect(t.line).toBe(7);
    return `${t.type}|${t.value}|${t.col}`;
  });
}

const PIECES = [
  ' ', '\t', '#', '"', "'", '\\', '-', '.', '>', '->', '0', '1', '9', '01', '-0', '1.5', '1.', '.5', 'e', 'E',
  'e+', 'e-3', '+', 'a', 'Z', '_', 'do', 'true', 'false', 'null', 'nullx', 'a-b', 'a--b', 'a-', '-a', '(', ')',
  '[', ']', '{', '}', ',', '=', ':', '?', '$', '*', '!', '@', '\u2028', '\u2029', '\r', '\u00e9', '\ud83d', '\ude00',
  '\ud83d\ude00', '"\\u00e9"', '"\\"', '\\"', '\\\u2028', '"a', 'x"',
];

describe('the statement scanner', () => {
  it('tokenises every line of every .aex in the repository as moo does', () => {
    const files = execFileSync('git', ['ls-files', '*.aex'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(50);
    let lines = 0;
    for (const f of files) {
      for (const line of readFileSync(join(root, f), 'utf8').replace(/\r\n?/g, '\n').split('\n')) {
        expect(viaScanner(line, 1), `${f}: ${line}`).toEqual(viaMoo(line, 1));
        lines++;
      }
    }
    expect(lines).toBeGreaterThan(1000);
  });

  it('tokenises a generated contract as moo does', () => {
    for (const line of generateContract(500).split('\n')) expect(viaScanner(line, 3)).toEqual(viaMoo(line, 3));
  });

  it('tokenises random lines of edge characters as moo does', () => {
    const r = rng(SEED);
    for (let k = 0; k < 8_000; k++) {
      let line = '';
      const len = 1 + Math.floor(r() * 12);
      for (let j = 0; j < len; j++) line += PIECES[Math.floor(r() * PIECES.length)];
      expect(viaScanner(line, 5), JSON.stringify(line)).toEqual(viaMoo(line, 5));
    }
  });

  it('gives an empty line no tokens', () => {
    expect(scanStatementLine('', 1, 1)).toEqual([]);
  });
});
