// How someone would doctor an audit log, and the line `aex audit verify` names for each.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineHash } from '../../src/audit/chain.js';
import { verifyAuditFile, verifyAuditText } from '../../src/audit/verify.js';
import { KEY, joinLines, runEvents, scratch, writeRun } from './helpers.js';

const s = scratch();
let lines: string[] = [];
beforeAll(async () => {
  // 2 + 2×10 events, a seal every 8 lines and one at the end: 25 lines, seals on 9, 18, 25.
  lines = await writeRun(path.join(s.dir, 'run.jsonl'), runEvents(10), { key: KEY, sealEvery: 8, chainId: 'run-7' });
});
afterAll(() => s.done());

/** Verify with the key, or (null) without it. */
const verify = (ls: string[], key: Buffer | null = KEY) => verifyAuditText(joinLines(ls), key ? { key } : {});
const parse = (l: string) => JSON.parse(l) as Record<string, unknown>;

describe('tampering is detected at the right line', () => {
  it('the untouched log is intact, with and without the key', () => {
    expect(lines).toHaveLength(25);
    expect(verify(lines)).toMatchObject({ ok: true, lines: 25, seals: 3, sealedThrough: 25 });
    expect(verify(lines, null)).toMatchObject({ ok: true, keyChecked: false });
    expect(verifyAuditFile(path.join(s.dir, 'run.jsonl'), { key: KEY, chainId: 'run-7' }).ok).toBe(true);
  });

  it('an edited line (an allowed call turned into a harmless one) breaks at that line', () => {
    const ls = lines.slice();
    ls[3] = ls[3]!.replace('"i":1', '"i":9');
    expect(ls[3]).toContain('"i":9');
    expect(verify(ls).break).toMatchObject({ line: 4, kind: 'prev' });
    expect(verify(ls, null).break).toMatchObject({ line: 4, kind: 'prev' });
  });

  it('an edit whose later links were all recomputed (no key) still fails the next seal', () => {
    const ls = lines.slice();
    ls[3] = ls[3]!.replace('"i":1', '"i":9');
    for (let i = 4; i < ls.length; i++) {
      const e = parse(ls[i]!);
      e.prev = lineHash(ls[i - 1]!);
      if (e.event === 'audit.sealed') e.head = e.prev;
      ls[i] = JSON.stringify(e);
    }
    expect(verify(ls).break).toMatchObject({ line: 9, kind: 'seal' });
  });

  it('a deleted line (the tool.allowed of a call) breaks at the line now in its place', () => {
    const ls = lines.slice();
    ls.splice(3, 1);
    expect(verify(ls).break).toMatchObject({ line: 4, kind: 'seq' });
  });

  it('two swapped lines break at the first of them', () => {
    const ls = lines.slice();
    [ls[5], ls[6]] = [ls[6]!, ls[5]!];
    expect(verify(ls).break).toMatchObject({ line: 6, kind: 'seq' });
  });

  it('swapped lines whose seq were swapped back still break the chain', () => {
    const ls = lines.slice();
    const a = parse(ls[5]!);
    const b = parse(ls[6]!);
    [a.seq, b.seq] = [b.seq, a.seq];
    ls[5] = JSON.stringify(b);
    ls[6] = JSON.stringify(a);
    expect(verify(ls).break?.kind).toBe('prev');
    expect(verify(ls).break?.line).toBe(5);
  });

  it('a log cut in the middle is truncated: the lines after the last seal are uncovered', () => {
    const cut = lines.slice(0, 14);
    expect(verify(cut).break).toMatchObject({ line: 10, kind: 'unsealed' });
    // Without the key too: the log was sealed, so it must end with a seal.
    expect(verify(cut, null).break).toMatchObject({ line: 10, kind: 'truncated' });
  });

  it('a log cut after run.finished but before its seal is truncated', () => {
    const cut = lines.slice(0, 24);
    expect(parse(cut.at(-1)!).event).toBe('run.finished');
    expect(verify(cut, null).break).toMatchObject({ line: 19, kind: 'truncated' });
    expect(verify(cut, null).break?.message).toContain('ends the run');
  });

  it('a log cut in the middle of a line is truncated at that line', () => {
    const text = joinLines(lines).slice(0, -20);
    expect(verifyAuditText(text, { key: KEY }).break).toMatchObject({ line: 25, kind: 'truncated' });
  });

  it('a log cut exactly at a periodic seal verifies, with a warning that its run never finished', () => {
    const cut = lines.slice(0, 18);
    const r = verify(cut);
    expect(r.ok).toBe(true);
    expect(r.warnings.join(' ')).toContain('has no run.finished');
  });

  it('a forged line appended with a correct seq and prev is not covered by a seal', () => {
    const last = lines.at(-1)!;
    const forged = JSON.stringify({ ts: '2026-01-01T00:00:00.000Z', seq: 26, event: 'tool.allowed', tool: 'noop', prev: lineHash(last) });
    expect(verify([...lines, forged]).break).toMatchObject({ line: 26, kind: 'unsealed' });
    expect(verify([...lines, forged], null).break).toMatchObject({ line: 26, kind: 'truncated' });
  });

  it('a forged line with a forged seal fails on the seal', () => {
    const forged = JSON.stringify({ ts: '2026-01-01T00:00:00.000Z', seq: 26, event: 'tool.allowed', tool: 'noop', prev: lineHash(lines.at(-1)!) });
    const seal = JSON.stringify({ ts: '2026-01-01T00:00:00.000Z', seq: 27, event: 'audit.sealed', count: 26, head: lineHash(forged), hmac: 'a'.repeat(64), prev: lineHash(forged) });
    expect(verify([...lines, forged, seal]).break).toMatchObject({ line: 27, kind: 'seal' });
  });

  it('a fresh, valid-looking chain written without the key fails on its first seal', async () => {
    const other = await writeRun(path.join(s.dir, 'forged.jsonl'), runEvents(10), { key: Buffer.from('not the key'), sealEvery: 8, chainId: 'run-7' });
    expect(verify(other, null).ok).toBe(true);
    expect(verify(other).break).toMatchObject({ line: 9, kind: 'seal' });
  });

  it('a fresh chain with no seals at all fails under the key at line 1', async () => {
    const plain = await writeRun(path.join(s.dir, 'plain.jsonl'), runEvents(10));
    expect(verify(plain, null).ok).toBe(true);
    expect(verify(plain).break).toMatchObject({ line: 1, kind: 'unsealed' });
  });

  it('a removed seal line breaks at the line after it', () => {
    const ls = lines.slice();
    ls.splice(8, 1);
    expect(verify(ls).break).toMatchObject({ line: 9, kind: 'seq' });
  });

  it('a chain that starts from another id is refused when the id is given', () => {
    expect(verifyAuditText(joinLines(lines), { key: KEY, chainId: 'run-8' }).break).toMatchObject({ line: 1, kind: 'prev' });
  });

  it('the first line removed: seq does not start at 1', () => {
    expect(verify(lines.slice(1)).break).toMatchObject({ line: 1, kind: 'seq' });
  });

  it('a blank or non-JSON line is a break at that line', () => {
    const ls = lines.slice();
    ls.splice(2, 0, '');
    expect(verify(ls).break).toMatchObject({ line: 3, kind: 'json' });
    ls[2] = '[1,2]';
    expect(verify(ls).break).toMatchObject({ line: 3, kind: 'json' });
  });

  it('a seal whose count or head was changed is a break at the seal', () => {
    const ls = lines.slice();
    const e = parse(ls[8]!);
    e.count = 3;
    ls[8] = JSON.stringify(e);
    expect(verify(ls).break).toMatchObject({ line: 9, kind: 'seal' });
  });

  it('a file that is not valid UTF-8 is hashed as bytes: a changed byte is caught', () => {
    const buf = Buffer.from(joinLines(lines));
    const at = buf.indexOf('"noop"');
    buf[at + 1] = 0xff;
    const r = verifyAuditText(buf, { key: KEY });
    expect(r.ok).toBe(false);
    writeFileSync(path.join(s.dir, 'bin.jsonl'), buf);
    expect(verifyAuditFile(path.join(s.dir, 'bin.jsonl'), { key: KEY }).break).toEqual(r.break);
  });
});
