// Run lifecycle (docs/design.md#runtime-semantics): rejection of invalid contracts, input validation,
// run.started, the pre-flight model check, run.finished. Shared by both backends so
// their audit streams are identical.

import type { IRDocument, MakeStep, Step } from '../../ir/types.js';
import { findStep } from '../../ir/visit.js';
import { validateInputs } from '../inputs.js';
import type { AuditEmitter, BlockReason, RunEnv, RunResult, StartResult, StepOutcome } from './types.js';

export function issueText(r: BlockReason): string {
  return `${r.code}: ${r.message}`;
}

export function blockedResult(reasons: BlockReason[]): RunResult {
  return { status: 'blocked', issues: reasons.map(issueText), reasons };
}

/** A contract that is not `ok` never runs: emit run.rejected {issues} and return blocked. */
export function rejectRun(audit: AuditEmitter, reasons: BlockReason[]): RunResult {
  const result = blockedResult(reasons);
  audit.emit({ event: 'run.rejected', issues: result.issues });
  return result;
}

/** The first `make` step anywhere in the contract (nested included), if any. */
export function firstMakeStep(steps: Step[]): MakeStep | undefined {
  return findStep(steps, (s): s is MakeStep => s.op === 'make');
}

export function runStartedEvent(ir: IRDocument) {
  return { event: 'run.started', agent: ir.name, name: ir.name, version: ir.version, kind: ir.kind };
}

/**
 * Steps 2–4 of docs/design.md#runtime-semantics: validate inputs (input.missing / input.invalid, then
 * run.rejected), emit run.started, and refuse a contract with `make` steps and no model
 * handler before its first step (AEX056, run.finished). On `rejected` the run is over
 * and `result` is final (its events are already emitted).
 */
export function startRun(env: RunEnv, inputs: unknown): StartResult {
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) {
    return { kind: 'rejected', result: rejectRun(env.audit, [{ code: 'AEX031', message: 'Inputs JSON must be an object.' }]) };
  }
  const { scope, problems } = validateInputs(env.ir.needs, inputs as Record<string, unknown>);
  if (problems.length > 0) {
    for (const p of problems) env.audit.emit(p.event);
    return { kind: 'rejected', result: rejectRun(env.audit, problems.map((p) => p.reason)) };
  }
  env.audit.emit(runStartedEvent(env.ir));
  if (!env.model) {
    const make = firstMakeStep(env.ir.steps);
    if (make) {
      const reason = { code: 'AEX056', message: `Make step "${make.bind}" requires a model handler.`, line: make.loc.line };
      return { kind: 'rejected', result: finishRun(env, { kind: 'blocked', reason }) };
    }
  }
  return { kind: 'started', state: { scopes: [scope], callsUsed: 0 } };
}

export const NO_RETURN_EVENT_REASON = 'Contract ended without return';
export const NO_RETURN_MESSAGE = 'AEX contract did not reach a return statement.';

/**
 * Step 6 of docs/design.md#runtime-semantics: emit run.finished and build the RunResult. A `continue` outcome
 * means the steps ran out without a `return` (AEX059).
 */
export function finishRun(env: RunEnv, outcome: StepOutcome): RunResult {
  if (outcome.kind === 'return') {
    env.audit.emit({ event: 'run.finished', status: 'success' });
    return { status: 'success', issues: [], reasons: [], output: outcome.value };
  }
  if (outcome.kind === 'continue') {
    env.audit.emit({ event: 'run.finished', status: 'blocked', reason: NO_RETURN_EVENT_REASON, code: 'AEX059' });
    return blockedResult([{ code: 'AEX059', message: NO_RETURN_MESSAGE }]);
  }
  const r = outcome.reason;
  const ev: Record<string, unknown> = { event: 'run.finished', status: 'blocked', reason: r.message, code: r.code };
  if (r.line !== undefined) ev.line = r.line;
  env.audit.emit(ev as { event: string });
  return blockedResult([r]);
}
