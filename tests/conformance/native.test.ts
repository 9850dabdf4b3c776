import { describe, expect, it } from 'vitest';
import { runIR } from '../../src/runtime/interpreter.js';
import { expectedView, loadCases, resultView, runCase } from './runner.js';

const cases = loadCases();

describe('conformance cases on the native interpreter', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(30);
  });
  for (const c of cases) {
    it(c.name, async () => {
      const run = await runCase(c, runIR);
      expect(resultView(c, run.result)).toEqual(expectedView(c));
      // issues mirror reasons
      expect(run.result.issues).toEqual(run.result.reasons.map((r) => `${r.code}: ${r.message}`));
      expect(run.seqs).toEqual(run.seqs.map((_, i) => i + 1));
      if (c.expected.events) expect(run.events).toEqual(c.expected.events);
      if (c.expected.eventCount !== undefined) expect(run.events.length).toBe(c.expected.eventCount);
      if (c.expected.firstEvents) expect(run.events.slice(0, c.expected.firstEvents.length)).toEqual(c.expected.firstEvents);
      if (c.expected.lastEvents) expect(run.events.slice(-c.expected.lastEvents.length)).toEqual(c.expected.lastEvents);
      const last = run.events[run.events.length - 1];
      expect(['run.finished', 'run.rejected']).toContain(last?.event);
    }, 30_000);
  }
});
