// LangGraph stops a run after `recursionLimit` super-steps (default 25) to catch graphs
// that never end. An AEX contract always ends (every loop walks a finite list), so the
// limit is derived from the contract: the most super-steps the graph can take, given
// the lengths of the input lists its loops walk. Loops over values only known at run
// time (tool results, nested items) are assumed to have UNKNOWN_LOOP_ITEMS items.

import type { IRDocument, JsonValue, Step } from '../../ir/types.js';
import { resolveRef } from '../../runtime/expressions.js';
import { visitSteps } from '../../ir/visit.js';

export const UNKNOWN_LOOP_ITEMS = 100_000;
/** run_start and run_finish. */
const FRAME_NODES = 2;
const MAX_LIMIT = Number.MAX_SAFE_INTEGER;

function loopItems(step: Extract<Step, { op: 'for' }>, needs: Set<string>, inputs?: Record<string, JsonValue>): number {
  if (!inputs || !needs.has(step.iter.ref)) return UNKNOWN_LOOP_ITEMS;
  const v = resolveRef(step.iter, { scopes: [inputs], callsUsed: 0 });
  return Array.isArray(v) ? v.length : 0;
}

/** One open block while the steps are walked: its cost so far and the input names visible in it. */
interface Frame {
  cost: number;
  needs: Set<string>;
  /** For a loop's body: how many times it runs. */
  items: number;
}

/** Super-steps of `steps` with these inputs; every loop multiplies its body's cost. */
function stepsCost(steps: Step[], needs: Set<string>, inputs?: Record<string, JsonValue>): number {
  const frames: Frame[] = [{ cost: 0, needs, items: 1 }];
  const top = () => frames[frames.length - 1]!;
  const add = (n: number) => {
    const f = top();
    f.cost = Math.min(MAX_LIMIT, f.cost + n);
  };
  const open = (f: Frame) => void frames.push(f);
  visitSteps(steps, {
    call: () => add(3), // prepare, confirmation gate, execute
    make: () => add(1),
    check: () => add(1),
    return: () => add(1),
    if: {
      enter: () => open({ cost: 0, needs: top().needs, items: 1 }),
      leave: () => add(2 + frames.pop()!.cost), // the test, the body, the scope close
    },
    for: {
      enter(s) {
        // A loop variable shadows nothing (AEX024), so inner loops over it are unknown.
        const inner = new Set(top().needs);
        inner.delete(s.var);
        open({ cost: 0, needs: inner, items: loopItems(s, top().needs, inputs) });
      },
      leave() {
        const body = frames.pop()!;
        add(1 + body.items * (1 + body.cost));
      },
    },
  });
  return frames[0]!.cost;
}

/**
 * The recursion limit for one run of `ir`: enough super-steps for every path through
 * the contract with these inputs (or with unknown inputs, UNKNOWN_LOOP_ITEMS per loop).
 */
export function recursionLimitFor(ir: IRDocument, inputs?: Record<string, JsonValue>): number {
  const needs = new Set(ir.needs.map((n) => n.name));
  const total = FRAME_NODES + stepsCost(ir.steps, needs, inputs) + 1;
  return Math.max(25, Math.min(MAX_LIMIT, total));
}
