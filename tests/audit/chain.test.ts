import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chainStart, lineHash } from '../../src/audit/chain.js';
import { sealHmac } from '../../src/audit/seal.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { appendGateAudit } from '../../src/runtime/audit/gate-audit.js';
import { createAuditLog } from '../../src/runtime/audit/emitter.js';
import { JsonLinesSink, JsonlFileSink, MemorySink } from '../../src/runtime/audit/sinks.js';
import { KEY, readLines, runEvents, scratch, writeRun } from './helpers.js';

let s = scratch();
afterEach(() => {
  s.done();
  s = scratch();
});

describe('the chain lives in the line writer', () => {
  it('every line ends with prev = SHA-256 of the line before; the first links to the chain id', async () => {
    const file = path.join(s.dir, 'run.jsonl');
    const lines = await writeRun(file, runEvents(3), { chainId: 'run-1' });
    expect(lines).toHaveLength(8);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]!.prev).toBe(chainStart('run-1'));
    for (let i = 1; i < lines.length; i++) expect(parsed[i]!.prev).toBe(lineHash(lines[i - 1]!));
    // prev is the last field; ts, seq, event stay first.
    expect(Object.keys(parsed[1]!).slice(0, 3)).toEqual(['ts', 'seq', 'event']);
    expect(Object.keys(parsed[1]!).at(-1)).toBe('prev');
    expect(verifyAuditFile(file).ok).toBe(true);
  });

  it('an event field named prev cannot replace the writer’s link', async () => {
    const file = path.join(s.dir, 'run.jsonl');
    const lines = await writeRun(file, [{ event: 'run.started', prev: 'f'.repeat(64) }, { event: 'run.finished', status: 'success' }], { chainId: 'x' });
    expect(lines[0]!.match(/"prev"/g)).toHaveLength(1);
    expect(JSON.parse(lines[0]!).prev).toBe(chainStart('x'));
  });

  it('a second writer on the same file continues its chain (resumed run, next run)', async () => {
    const file = path.join(s.dir, 'run.jsonl');
    await writeRun(file, runEvents(1));
    await writeRun(file, runEvents(1));
    const lines = readLines(file);
    expect(lines).toHaveLength(8);
    expect(JSON.parse(lines[4]!).seq).toBe(1);
    expect(JSON.parse(lines[4]!).prev).toBe(lineHash(lines[3]!));
    expect(verifyAuditFile(file).ok).toBe(true);
  });

  it('sinks shared by several emitters (LangGraph nodes) keep one chain', () => {
    const file = path.join(s.dir, 'lg.jsonl');
    const sink = new JsonlFileSink(file);
    // One emitter per node, each starting from the seq the state carries.
    for (let seq = 0; seq < 6; seq++) createAuditLog([sink], { startSeq: seq }).emit({ event: seq % 2 ? 'if.false' : 'if.true' });
    sink.close();
    expect(verifyAuditFile(file).ok).toBe(true);
  });

  it('the stderr JSON lines and the file carry the same kind of chain; memory keeps plain events', async () => {
    const out: string[] = [];
    const mem = new MemorySink();
    const log = createAuditLog([new JsonLinesSink((t) => out.push(t), { chainId: 'sess' }), mem], { sealKey: KEY });
    log.emit({ event: 'proxy.started' });
    log.emit({ event: 'proxy.exited', code: 0, calls_used: 0 });
    await log.close();
    expect(out).toHaveLength(3);
    expect(JSON.parse(out[2]!)).toMatchObject({ event: 'audit.sealed', seq: 3, count: 2, head: lineHash(out[1]!.trimEnd()) });
    expect(mem.events.map((e) => e.event)).toEqual(['proxy.started', 'proxy.exited', 'audit.sealed']);
    expect('prev' in mem.events[0]!).toBe(false);
  });
});

describe('seals', () => {
  it('seal every sealEvery lines and at close; hmac = HMAC(key, count, head)', async () => {
    const file = path.join(s.dir, 'run.jsonl');
    const lines = await writeRun(file, runEvents(5), { key: KEY, sealEvery: 4 });
    const seals = lines.map((l) => JSON.parse(l)).filter((e) => e.event === 'audit.sealed');
    expect(seals.map((x) => x.seq)).toEqual([5, 10, 15]);
    for (const x of seals) expect(x.hmac).toBe(sealHmac(KEY, x.count, x.head));
    expect(JSON.parse(lines.at(-1)!).event).toBe('audit.sealed');
    expect(verifyAuditFile(file, { key: KEY })).toMatchObject({ ok: true, seals: 3, sealedThrough: 15 });
  });

  it('no seal without a key, and close() does not seal twice', async () => {
    const file = path.join(s.dir, 'run.jsonl');
    const lines = await writeRun(file, runEvents(1));
    expect(lines.some((l) => l.includes('audit.sealed'))).toBe(false);
    const log = createAuditLog([new JsonlFileSink(path.join(s.dir, 'b.jsonl'))], { sealKey: KEY });
    log.emit({ event: 'run.started' });
    log.seal();
    log.seal();
    await log.close();
    expect(readLines(path.join(s.dir, 'b.jsonl'))).toHaveLength(2);
  });
});

describe('the gate appends one call at a time', () => {
  it('continues seq and prev from the file’s tail; with a key every append ends sealed', () => {
    const file = path.join(s.dir, 'gate-s1.jsonl');
    for (let i = 0; i < 4; i++) appendGateAudit(file, [{ event: 'tool.allowed', tool: 'file.read', hook_tool: 'Read' }], { sealKey: KEY, chainId: 's1' });
    const lines = readLines(file);
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(JSON.parse(lines[0]!).prev).toBe(chainStart('s1'));
    expect(verifyAuditFile(file, { key: KEY, chainId: 's1' })).toMatchObject({ ok: true, seals: 4 });
  });

  it('reads only the tail: a last line longer than one read chunk still links', () => {
    const file = path.join(s.dir, 'gate-big.jsonl');
    appendGateAudit(file, [{ event: 'tool.allowed', tool: 'file.write', args: { contents: 'x'.repeat(200_000) } }]);
    appendGateAudit(file, [{ event: 'tool.denied', tool: 'shell.exec', reason: 'denied' }]);
    expect(verifyAuditFile(file).ok).toBe(true);
  });

  it('a torn last line (a killed writer) is kept and reported; the chain goes on after it', () => {
    const file = path.join(s.dir, 'gate-torn.jsonl');
    appendGateAudit(file, [{ event: 'tool.allowed', tool: 'file.read' }]);
    appendFileSync(file, '{"ts":"2026-01-01T00:00:00.000Z","seq":2,"ev');
    appendGateAudit(file, [{ event: 'tool.allowed', tool: 'file.read' }]);
    const lines = readLines(file);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]!)).toMatchObject({ seq: 2, prev: lineHash(lines[1]!) });
    expect(verifyAuditFile(file).break).toMatchObject({ line: 2, kind: 'json' });
  });

  it('an AEX 1 line without prev in the file is a break, never silently accepted', () => {
    const file = path.join(s.dir, 'gate-old.jsonl');
    writeFileSync(file, '{"ts":"2026-01-01T00:00:00.000Z","seq":1,"event":"tool.allowed"}\n');
    appendGateAudit(file, [{ event: 'tool.allowed', tool: 'file.read' }]);
    expect(JSON.parse(readFileSync(file, 'utf8').split('\n')[1]!).seq).toBe(2);
    expect(verifyAuditFile(file).break).toMatchObject({ line: 1, kind: 'prev' });
  });
});

describe('the file writer writes decision lines at once and defers only after-the-fact lines', () => {
  it('tool.result waits for the next line or the end of the turn; tool.allowed is on disk before emit returns', async () => {
    const file = path.join(s.dir, 'defer.jsonl');
    const log = createAuditLog([new JsonlFileSink(file)]);
    const count = () => readFileSync(file, 'utf8').split('\n').length - 1;
    log.emit({ event: 'tool.allowed', tool: 'noop' });
    expect(count()).toBe(1);
    log.emit({ event: 'tool.result', tool: 'noop', result: null });
    expect(count()).toBe(1);
    log.emit({ event: 'tool.allowed', tool: 'noop' });
    expect(count()).toBe(3);
    log.emit({ event: 'tool.result', tool: 'noop', result: null });
    await new Promise((r) => setImmediate(r));
    expect(count()).toBe(4);
    await log.close();
    expect(verifyAuditFile(file).ok).toBe(true);
  });

  it.runIf(process.platform === 'linux')('a deferred write that fails is raised by the next write, never lost', async () => {
    const sink = new JsonlFileSink('/dev/full');
    sink.write({ ts: 't', seq: 1, event: 'tool.result' });
    await new Promise((r) => setImmediate(r));
    expect(() => sink.write({ ts: 't', seq: 2, event: 'tool.allowed' })).toThrow(/ENOSPC/);
    expect(() => new JsonlFileSink('/dev/full').write({ ts: 't', seq: 1, event: 'tool.allowed' })).toThrow(/ENOSPC/);
  });
});
