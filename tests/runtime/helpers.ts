import type { IRDocument, Step } from '../../src/ir/types.js';

/** A minimal task IR around hand-written steps (bypasses the static validator on purpose). */
export function taskIR(steps: Step[], opts: Partial<IRDocument> = {}): IRDocument {
  return {
    irVersion: 'aex-ir/1',
    kind: 'task',
    name: 'unit',
    version: '0',
    goal: 'unit test',
    permissions: { use: [{ tool: '*', loc: { line: 1, column: 1 } }], deny: [], confirm: [] },
    needs: [],
    budget: {},
    steps,
    ...opts,
  };
}

export const loc = (line: number) => ({ line, column: 1 });
