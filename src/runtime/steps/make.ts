// The `make` step (docs/design.md#runtime-semantics): kernel decision for `model.make` (deny → AEX051,
// budget → AEX054), used += 1, a plain request to the model handler, make.result or
// make.failed (AEX057). No handler → AEX056.

import type { MakeStep } from '../../ir/types.js';
import { decideModelCall } from '../kernel/decide.js';
import { refText, resolveRef, toJson } from '../expressions.js';
import { bindName } from './scope.js';
import type { JsonValue, MakeRequest, RunEnv, RunState, StepOutcome } from './types.js';

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(toJson(err));
}

/** The request a model handler receives for a `make` step. */
export function buildMakeRequest(step: MakeStep, state: RunState): MakeRequest {
  return {
    bind: step.bind,
    kind: step.type,
    instructions: [...step.instructions],
    inputs: step.inputs.map((r) => ({ name: refText(r), value: toJson(resolveRef(r, state)) })),
    line: step.loc.line,
  };
}

export async function execMake(step: MakeStep, state: RunState, env: RunEnv): Promise<StepOutcome> {
  const line = step.loc.line;
  const bind = step.bind;
  if (!env.model) {
    return { kind: 'blocked', reason: { code: 'AEX056', message: `Make step "${bind}" requires a model handler.`, line } };
  }
  // The kernel decides (deny rule on model.make, then the budget) and names its events.
  const d = decideModelCall(env.perms, state, line);
  for (const e of d.events) env.audit.emit(e);
  if (d.verdict === 'deny' || d.verdict === 'not_allowed') {
    return { kind: 'blocked', reason: { code: d.verdict === 'not_allowed' ? 'AEX050' : 'AEX051', message: d.message, line } };
  }
  if (d.verdict === 'budget_exhausted') {
    return { kind: 'blocked', reason: { code: 'AEX054', message: d.message, line } };
  }
  state.callsUsed += 1;
  const request = buildMakeRequest(step, state);
  let value: JsonValue;
  try {
    value = toJson(await env.model(request));
  } catch (err) {
    const error = errorMessage(err);
    env.audit.emit({ event: 'make.failed', bind, error, line });
    return { kind: 'blocked', reason: { code: 'AEX057', message: `Make step "${bind}" failed: ${error}`, line } };
  }
  env.audit.emit({ event: 'make.result', bind, kind: step.type, line });
  bindName(state, bind, value);
  return { kind: 'continue' };
}
