// What one graph node does, per IR op: a named factory for each op that returns the
// node(s) of one step — its id, the nodes it may go to next, and its body. A body calls
// the same step functions as the native interpreter and names the next node in `route`;
// topology.ts walks the contract and wires the nodes, graph.ts runs them.

import type { CallStep, CheckStep, ForStep, IfStep, MakeStep, ReturnStep } from '../../ir/types.js';
import { executeCall, prepareCall, recheckCall } from '../../runtime/steps/call.js';
import { beginFor, beginIf, execCheck, execReturn } from '../../runtime/steps/control.js';
import { execMake } from '../../runtime/steps/make.js';
import { popScope, pushScope } from '../../runtime/steps/scope.js';
import { confirmGateBody } from './interrupt.js';
import { FINISH_NODE, outcomeUpdate, stepId, type GraphNode, type NodeBody } from './node-shape.js';

export { FINISH_NODE, START_NODE, outcomeUpdate, stepId, type GraphNode, type NodeBody, type OpenState } from './node-shape.js';

function node(id: string, targets: string[], body: NodeBody): GraphNode {
  return { id, targets: [...new Set(targets)], body };
}

/**
 * A call: one node that prepares (and, when no confirmation is needed, executes) it; with
 * `gated`, a confirmation node (./interrupt.ts) and an execute node that decides the
 * pending call again before it runs — it may come from a checkpoint file.
 */
export function callNodes(step: CallStep, next: string, gated: boolean, hasHandler: boolean): GraphNode[] {
  const id = stepId(step);
  const gate = `${id}_confirm`;
  const exec = `${id}_execute`;
  const prepare = node(id, gated ? [next, gate, FINISH_NODE] : [next, FINISH_NODE], async (_s, env, run) => {
    const prep = await prepareCall(step, run, env);
    if (prep.kind === 'blocked') return outcomeUpdate(prep, next);
    if (prep.call.needsConfirmation) {
      if (!gated) {
        return outcomeUpdate(
          { kind: 'blocked', reason: { code: 'AEX070', message: `Internal error: no confirmation gate for "${step.tool}".`, line: step.loc.line } },
          next,
        );
      }
      return { pending: prep.call, route: gate };
    }
    return outcomeUpdate(await executeCall(prep.call, run, env), next);
  });
  if (!gated) return [prepare];
  const execute = node(exec, [next, FINISH_NODE], async (s, env, run) => {
    const checked = await recheckCall(step, s.pending!, run, env);
    if (checked.kind === 'blocked') return { ...outcomeUpdate(checked, next), pending: null };
    const out = await executeCall(checked.call, run, env);
    return { ...outcomeUpdate(out, next), pending: null };
  });
  return [prepare, node(gate, [exec, FINISH_NODE], confirmGateBody(gate, exec, hasHandler)), execute];
}

export function makeNode(step: MakeStep, next: string): GraphNode {
  return node(stepId(step), [next, FINISH_NODE], async (_s, env, run) => outcomeUpdate(await execMake(step, run, env), next));
}

export function checkNode(step: CheckStep, next: string): GraphNode {
  return node(stepId(step), [next, FINISH_NODE], (_s, env, run) => outcomeUpdate(execCheck(step, run, env), next));
}

export function returnNode(step: ReturnStep, next: string): GraphNode {
  return node(stepId(step), [FINISH_NODE], (_s, env, run) => outcomeUpdate(execReturn(step, run, env), next));
}

/** `if`: the test (into the body, or past it) and the node that closes the body's scope. */
export function ifNodes(step: IfStep, body: string, next: string): GraphNode[] {
  const id = stepId(step);
  return [
    node(id, [body, next], (_s, env, run) => {
      if (!beginIf(step, run, env)) return { route: next };
      pushScope(run, {});
      return { route: body };
    }),
    node(`${id}_end`, [next], (_s, _env, run) => {
      popScope(run);
      return { route: next };
    }),
  ];
}

/** The node a body of `if` ends at (its scope is closed there). */
export function ifEnd(step: IfStep): string {
  return `${stepId(step)}_end`;
}

/** The node a body of `for` ends at (the next iteration, or past the loop). */
export function forNext(step: ForStep): string {
  return `${stepId(step)}_next`;
}

/** `for`: the start (first item, or past an empty list) and the step to the next item. */
export function forNodes(step: ForStep, body: string, next: string): GraphNode[] {
  const id = stepId(step);
  return [
    node(id, [body, next, FINISH_NODE], (s, env, run) => {
      const b = beginFor(step, run, env);
      if (b.kind === 'blocked') return outcomeUpdate(b, next);
      if (b.items.length === 0) return { route: next };
      pushScope(run, { [step.var]: b.items[0]! });
      return { loops: [...s.loops, { node: id, items: b.items, index: 0 }], route: body };
    }),
    node(forNext(step), [body, next], (s, _env, run) => {
      popScope(run);
      const loops = s.loops.slice();
      const cur = loops[loops.length - 1]!;
      const index = cur.index + 1;
      if (index >= cur.items.length) {
        loops.pop();
        return { loops, route: next };
      }
      loops[loops.length - 1] = { ...cur, index };
      pushScope(run, { [step.var]: cur.items[index]! });
      return { loops, route: body };
    }),
  ];
}
