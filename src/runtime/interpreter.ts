// The native interpreter. It only moves control: every op's meaning is in steps/.

import type { IRDocument, Step } from '../ir/types.js';
import { createRunEnv, type RunOptions } from './run-options.js';
import { execCall } from './steps/call.js';
import { execMake } from './steps/make.js';
import { beginFor, beginIf, execCheck, execReturn } from './steps/control.js';
import { finishRun, rejectRun, startRun } from './steps/lifecycle.js';
import type { BlockReason, RunEnv, RunResult, RunState, StepOutcome } from './steps/types.js';

const CONTINUE: StepOutcome = { kind: 'continue' };

/** Runs a block of steps in the current scope; the caller pushes/pops frames. */
export async function runBlock(steps: Step[], state: RunState, env: RunEnv): Promise<StepOutcome> {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    let out: StepOutcome;
    switch (step.op) {
      case 'call':
        out = await execCall(step, state, env);
        break;
      case 'make':
        out = await execMake(step, state, env);
        break;
      case 'check':
        out = execCheck(step, state, env);
        break;
      case 'return':
        return execReturn(step, state, env);
      case 'if': {
        if (!beginIf(step, state, env)) continue;
        state.scopes.push({});
        out = await runBlock(step.then, state, env);
        state.scopes.pop();
        break;
      }
      case 'for': {
        const b = beginFor(step, state, env);
        if (b.kind === 'blocked') return b;
        out = CONTINUE;
        const items = b.items;
        for (let k = 0; k < items.length; k++) {
          state.scopes.push({ [step.var]: items[k]! });
          out = await runBlock(step.body, state, env);
          state.scopes.pop();
          if (out.kind !== 'continue') break;
        }
        break;
      }
      default:
        return { kind: 'blocked', reason: { code: 'AEX070', message: `Unknown step op "${(step as { op: string }).op}".` } };
    }
    if (out.kind !== 'continue') return out;
  }
  return CONTINUE;
}

function internalReason(err: unknown): BlockReason {
  return { code: 'AEX070', message: `Internal error: ${err instanceof Error ? err.message : String(err)}` };
}

/** Runs a compiled contract. `runTask` (src/api/run-task.ts) compiles a file and calls this. */
export async function runIR(ir: IRDocument, options: RunOptions = {}): Promise<RunResult> {
  const { env, audit, ownsAudit } = createRunEnv(ir, options);
  try {
    if (ir.kind !== 'task') {
      return rejectRun(audit, [{ code: 'AEX001', message: 'A policy cannot be run; pass a task contract.' }]);
    }
    const start = startRun(env, options.inputs ?? {});
    if (start.kind === 'rejected') return start.result;
    let outcome: StepOutcome;
    try {
      outcome = await runBlock(ir.steps, start.state, env);
    } catch (err) {
      // A run that throws still ends with run.finished.
      outcome = { kind: 'blocked', reason: internalReason(err) };
    }
    return finishRun(env, outcome);
  } finally {
    if (ownsAudit) await audit.close();
  }
}
