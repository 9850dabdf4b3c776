import { describe, expect, it } from 'vitest';
import { runIR } from '../../src/runtime/interpreter.js';
import { expectCaseOutcome, loadCases, runCase } from './runner.js';

const cases = loadCases();

describe('conformance cases on the native interpreter', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(30);
  });
  for (const c of cases) {
    it(c.name, async () => {
      const run = await runCase(c, runIR);
      expectCaseOutcome(c, run);
    }, 30_000);
  }
});
