// `check`, `if`, `for`, `return` (docs/design.md#runtime-semantics, docs/design.md#runtime-semantics). These decide; the interpreter (or the
// LangGraph graph) moves control.

import type { CheckStep, ForStep, IfStep, ReturnStep } from '../../ir/types.js';
import { evalCond } from '../checks.js';
import { evalExpr, refText, resolveRef, typeName } from '../expressions.js';
import type { ForBegin, RunEnv, RunState, StepOutcome } from './types.js';

export { evalCond };

export function execCheck(step: CheckStep, state: RunState, env: RunEnv): StepOutcome {
  const line = step.loc.line;
  const r = evalCond(step.cond, step.text, state);
  if (r.pass) {
    env.audit.emit({ event: 'check.passed', condition: step.text, line });
    return { kind: 'continue' };
  }
  env.audit.emit({ event: 'check.failed', condition: step.text, reason: r.reason, line });
  return { kind: 'blocked', reason: { code: 'AEX058', message: r.reason, line } };
}

/** Evaluates an `if` condition (a failure is false), emits if.true / if.false. */
export function beginIf(step: IfStep, state: RunState, env: RunEnv): boolean {
  const pass = evalCond(step.cond, step.text, state).pass;
  env.audit.emit({ event: pass ? 'if.true' : 'if.false', condition: step.text, line: step.loc.line });
  return pass;
}

/** Validates the iterable (AEX049), emits for.start, returns the items. */
export function beginFor(step: ForStep, state: RunState, env: RunEnv): ForBegin {
  const line = step.loc.line;
  const v = resolveRef(step.iter, state);
  if (!Array.isArray(v)) {
    const name = refText(step.iter);
    const got = v === undefined ? 'undefined' : typeName(v);
    return { kind: 'blocked', reason: { code: 'AEX049', message: `for loop expects an array for "${name}", got ${got}`, line } };
  }
  env.audit.emit({ event: 'for.start', variable: step.var, count: v.length, line });
  return { kind: 'items', items: v };
}

export function execReturn(step: ReturnStep, state: RunState, _env?: RunEnv): StepOutcome {
  return { kind: 'return', value: evalExpr(step.value, state) };
}
