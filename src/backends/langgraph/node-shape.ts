// The shape every graph node shares: its id, where it may go, its body, and how a step's
// outcome becomes the node's update (continue at the next node, or halt at run_finish).

import type { Step } from '../../ir/types.js';
import type { PreparedCall, RunEnv, RunState, StepOutcome } from '../../runtime/steps/types.js';
import type { AexStateType, AexUpdate, Halt, LoopCursor } from './state.js';

export const START_NODE = 'run_start';
export const FINISH_NODE = 'run_finish';

/** The state a node body sees: the boxed channels opened (./state.ts). */
export type OpenState = Omit<AexStateType, 'scopes' | 'loops' | 'pending'> & { scopes: RunState['scopes']; loops: LoopCursor[]; pending: PreparedCall | null };

export type NodeBody = (s: OpenState, env: RunEnv, run: RunState) => Promise<Partial<AexUpdate>> | Partial<AexUpdate>;

export interface GraphNode {
  id: string;
  /** Every node this one may route to (what LangGraph's `ends` declares and Mermaid draws). */
  targets: string[];
  body: NodeBody;
}

/** `<op>_<line>_<column>`: a node id that says where in the contract the step is. */
export function stepId(step: Step): string {
  return `${step.op}_${step.loc.line}_${step.loc.column}`;
}

/** Continue at `next`, or halt (return / blocked) and go to run_finish. */
export function outcomeUpdate(out: StepOutcome, next: string): Partial<AexUpdate> {
  if (out.kind === 'continue') return { route: next };
  const halt: Halt = out.kind === 'return' ? { kind: 'return', value: out.value } : { kind: 'blocked', reason: out.reason };
  return { halt, route: FINISH_NODE };
}

