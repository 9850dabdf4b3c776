// The confirmation protocol of a LangGraph run. A call that needs a person's approval
// goes through its own node: with a confirmation handler the node asks it; without one
// it calls LangGraph's interrupt() with a ConfirmInterrupt payload, the run pauses (and,
// with a checkpoint file, can be continued in another process), and the answer comes
// back as `new Command({resume: answer})`.

import { interrupt } from '@langchain/langgraph';
import type { JsonValue } from '../../ir/types.js';
import { applyConfirmation, askConfirmation } from '../../runtime/steps/call.js';
import type { ConfirmAnswer } from '../../runtime/steps/types.js';
import { outcomeUpdate, type NodeBody } from './node-shape.js';

/** What a confirmation interrupt surfaces to the caller (`__interrupt__[0].value`). */
export interface ConfirmInterrupt {
  type: 'aex.confirm';
  node: string;
  tool: string;
  args: Record<string, JsonValue>;
  line: number;
  /** The kernel's text: the confirm rule and the action it applies to. */
  message: string;
}

/** The answer carried by Command({resume}): true/false, {approved}, {error}, {refused}. */
export function confirmAnswerOf(value: unknown): ConfirmAnswer {
  if (value === true || value === false) return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.approved === 'boolean') return o.approved;
    if (typeof o.error === 'string') return { error: o.error };
    if (typeof o.refused === 'string') return { refused: o.refused };
  }
  // Fail closed: anything that is not clearly an approval refuses.
  return { error: `unrecognised confirmation answer ${JSON.stringify(value) ?? String(value)}` };
}

/**
 * The body of the confirmation node `gate` of a call whose execute node is `exec`.
 * Nothing with a side effect runs before interrupt(): LangGraph re-runs this node from
 * its first line when the thread is resumed.
 */
export function confirmGateBody(gate: string, exec: string, hasHandler: boolean): NodeBody {
  return async (s, env) => {
    const call = s.pending!;
    let answer: ConfirmAnswer;
    if (hasHandler) {
      answer = await askConfirmation(call, env);
    } else {
      const payload: ConfirmInterrupt = { type: 'aex.confirm', node: gate, tool: call.tool, args: call.args, line: call.line, message: call.message };
      answer = confirmAnswerOf(interrupt(payload));
    }
    const out = applyConfirmation(call, answer, env);
    return out.kind === 'continue' ? { route: exec } : { ...outcomeUpdate(out, exec), pending: null };
  };
}
