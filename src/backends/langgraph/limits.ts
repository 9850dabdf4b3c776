// LangGraph stops a run after `recursionLimit` super-steps (default 25) to catch graphs
// that never end. An AEX contract always ends (every loop walks a finite list), so the
// limit is derived from the contract: the most super-steps the graph can take, given
// the lengths of the input lists its loops walk. Loops over values only known at run
// time (tool results, nested items) are assumed to have UNKNOWN_LOOP_ITEMS items.

import type { IRDocument, JsonValue, Step } from '../../ir/types.js';
import { resolveRef } from '../../runtime/expressions.js';

export const UNKNOWN_LOOP_ITEMS = 100_000;
/** run_start and run_finish. */
const FRAME_NODES = 2;
const MAX_LIMIT = Number.MAX_SAFE_INTEGER;

function loopItems(step: Extract<Step, { op: 'for' }>, needs: Set<string>, inputs?: Record<string, JsonValue>): number {
  if (!inputs || !needs.has(step.iter.ref)) return UNKNOWN_LOOP_ITEMS;
  const v = resolveRef(step.iter, { scopes: [inputs], callsUsed: 0 });
  return Array.isArray(v) ? v.length : 0;
}

function blockCost(steps: Step[], needs: Set<string>, inputs?: Record<string, JsonValue>): number {
  let n = 0;
  for (const s of steps) {
    switch (s.op) {
      case 'call':
        n += 3; // prepare, confirmation gate, execute
        break;
      case 'if':
        n += 2 + blockCost(s.then, needs, inputs); // the test, the body, the scope close
        break;
      case 'for': {
        // A loop variable shadows nothing (AEX024), so inner loops over it are unknown.
        const inner = new Set(needs);
        inner.delete(s.var);
        n += 1 + loopItems(s, needs, inputs) * (1 + blockCost(s.body, inner, inputs));
        break;
      }
      default:
        n += 1;
    }
    if (n > MAX_LIMIT) return MAX_LIMIT;
  }
  return n;
}

/**
 * The recursion limit for one run of `ir`: enough super-steps for every path through
 * the contract with these inputs (or with unknown inputs, UNKNOWN_LOOP_ITEMS per loop).
 */
export function recursionLimitFor(ir: IRDocument, inputs?: Record<string, JsonValue>): number {
  const needs = new Set(ir.needs.map((n) => n.name));
  const total = FRAME_NODES + blockCost(ir.steps, needs, inputs) + 1;
  return Math.max(25, Math.min(MAX_LIMIT, total));
}
