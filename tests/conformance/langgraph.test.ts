// Every conformance case on the LangGraph backend: the case's expectation, and the same
// audit stream as the native interpreter apart from ts, duration_ms and run_id (docs/audit-events.md).
import { describe, expect, it } from 'vitest';
import { runIR } from '../../src/runtime/interpreter.js';
import { runWithLangGraph } from '../../src/backends/langgraph/index.js';
import type { IRDocument } from '../../src/ir/types.js';
import type { RunOptions } from '../../src/runtime/run-options.js';
import type { RunResult } from '../../src/runtime/steps/types.js';
import { expectCaseOutcome, loadCases, prepareCase, type ConformanceCase } from './runner.js';

const cases = loadCases();

async function langgraph(ir: IRDocument, options: RunOptions): Promise<RunResult> {
  const r = await runWithLangGraph(ir, options);
  if (r.status === 'interrupted') throw new Error(`case paused unexpectedly at ${r.waitingFor.node}`);
  return r;
}

const VOLATILE = new Set(['ts', 'duration_ms', 'run_id']);
function comparable(events: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return events.map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !VOLATILE.has(k))));
}

async function fullStream(c: ConformanceCase, backend: (ir: IRDocument, o: RunOptions) => Promise<RunResult>) {
  const { ir, options, sink } = await prepareCase(c);
  const result = await backend(ir, options);
  return { result, events: comparable(sink.events), seqs: sink.events.map((e) => e.seq) };
}

describe('conformance cases on the LangGraph backend', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(30);
  });
  for (const c of cases) {
    it(c.name, async () => {
      const lg = await fullStream(c, langgraph);
      const run = { result: lg.result, events: lg.events.map(({ seq: _seq, ...rest }) => rest), seqs: lg.seqs };
      expectCaseOutcome(c, run);

      // Native and LangGraph: the same result and the same audit stream, line for line
      // (seq included; only ts, duration_ms and run_id may differ).
      const native = await fullStream(c, runIR);
      expect(lg.result).toEqual(native.result);
      expect(lg.events).toEqual(native.events);
    }, 60_000);
  }
});
