import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuditLog } from '../../src/runtime/audit/emitter.js';
import { HumanStderrSink, JsonStderrSink, JsonlFileSink, MemorySink } from '../../src/runtime/audit/sinks.js';
import { runIR } from '../../src/runtime/interpreter.js';
import { loc, taskIR } from './helpers.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'aex-audit-'));

describe('audit emitter and sinks', () => {
  it('stamps ts and seq from 1, with ts, seq, event first (docs/audit-events.md)', () => {
    const mem = new MemorySink();
    const log = createAuditLog([mem]);
    log.emit({ event: 'a', x: 1 });
    log.emit({ event: 'b' });
    expect(mem.events.map((e) => Object.keys(e).slice(0, 3))).toEqual([['ts', 'seq', 'event'], ['ts', 'seq', 'event']]);
    expect(mem.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(Number.isNaN(Date.parse(mem.events[0]!.ts))).toBe(false);
    const resumed = createAuditLog([mem], { startSeq: 2 });
    resumed.emit({ event: 'c' });
    expect(mem.events[2]!.seq).toBe(3);
  });

  it('JSONL file: one complete line per event, appended as it happens, even when a tool throws', async () => {
    const file = path.join(tmp(), 'sub', 'audit.jsonl');
    const sink = new JsonlFileSink(file);
    const seen: number[] = [];
    const ir = taskIR([
      { op: 'call', tool: 'boom', args: [], bind: null, loc: loc(2) },
      { op: 'return', value: { lit: 1 }, loc: loc(3) },
    ]);
    const r = await runIR(ir, {
      builtins: false,
      sinks: [sink],
      tools: {
        boom: async () => {
          // While the handler runs, tool.allowed is already on disk.
          seen.push(readFileSync(file, 'utf8').split('\n').filter(Boolean).length);
          throw new Error('kaboom');
        },
      },
    });
    expect(r.reasons[0]!.code).toBe('AEX055');
    expect(seen).toEqual([2]);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const events = lines.filter(Boolean).map((l) => JSON.parse(l) as { event: string; seq: number });
    expect(events.map((e) => e.event)).toEqual(['run.started', 'tool.allowed', 'tool.failed', 'run.finished']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('a step that throws inside the interpreter still ends with run.finished', async () => {
    const mem = new MemorySink();
    const ir = taskIR([{ op: 'bogus' } as never]);
    const r = await runIR(ir, { builtins: false, sinks: [mem] });
    expect(r.status).toBe('blocked');
    expect(mem.events.at(-1)!.event).toBe('run.finished');
  });

  it('human and JSON stderr formats', () => {
    const out: string[] = [];
    const log = createAuditLog([new HumanStderrSink((s) => out.push(s)), new JsonStderrSink((s) => out.push(s))]);
    log.emit({ event: 'tool.allowed', tool: 't', args: {}, line: 3 });
    expect(out[0]).toBe('tool.allowed     {"tool":"t","args":{},"line":3}\n');
    expect(JSON.parse(out[1]!)).toMatchObject({ seq: 1, event: 'tool.allowed', tool: 't', line: 3 });
  });
});

// The OpenTelemetry sink's tests are in tests/audit/otel.test.ts.
