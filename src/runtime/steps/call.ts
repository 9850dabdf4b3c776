// The `do` step (SPEC §4.4 Rule), split in three so that a confirmation can be a
// LangGraph interrupt in a node of its own:
//   prepareCall      steps 1–5 up to the question: args, kernel decision, lookup, budget,
//                    and `confirm.required` when a confirmation is needed;
//   applyConfirmation the answer → confirm.approved / confirm.denied / confirm.failed;
//   executeCall      steps 6–7: used += 1, tool.allowed, the handler, tool.result / tool.failed.

import type { CallStep } from '../../ir/types.js';
import type { EffectivePermissions } from '../../rules/types.js';
import { decideToolCall } from '../kernel/decide.js';
import { extractCallPaths } from '../policy/paths.js';
import { evalExpr, toJson } from '../expressions.js';
import { resolveTool as lookupTool } from '../tools/types.js';
import { bindName } from './scope.js';
import type {
  BlockReason,
  ConfirmAnswer,
  JsonValue,
  PrepareResult,
  PreparedCall,
  RunEnv,
  RunState,
  StepOutcome,
} from './types.js';

const CONTINUE: StepOutcome = Object.freeze({ kind: 'continue' }) as StepOutcome;

const pathRuleCache = new WeakMap<EffectivePermissions, boolean>();

/** True when some rule of the effective permissions has a path part (then paths matter). */
function hasPathRules(perms: EffectivePermissions): boolean {
  let v = pathRuleCache.get(perms);
  if (v === undefined) {
    const rules = [...(perms.task?.allow ?? []), ...(perms.policy?.allow ?? []), ...perms.deny, ...perms.confirm];
    v = rules.some((r) => r.path !== undefined || (r.alsoPaths?.length ?? 0) > 0);
    pathRuleCache.set(perms, v);
  }
  return v;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(toJson(err));
}

/** Evaluates a call's arguments in source order (pure). */
export function evalArgs(step: CallStep, state: RunState): Record<string, JsonValue> {
  const args: Record<string, JsonValue> = {};
  for (const a of step.args) args[a.name] = evalExpr(a.value, state);
  return args;
}

function blocked(reason: BlockReason): { kind: 'blocked'; reason: BlockReason } {
  return { kind: 'blocked', reason };
}

/**
 * Steps 1–4 of SPEC §4.4 Rule (and the question of step 5): evaluate arguments, ask the
 * kernel, look the tool up, check the budget. Emits tool.denied / budget.exhausted on a
 * refusal and confirm.required when the call needs a confirmation.
 */
export function prepareCall(step: CallStep, state: RunState, env: RunEnv): PrepareResult {
  const line = step.loc.line;
  const tool = step.tool;
  const args = evalArgs(step, state);
  let paths: string[] = [];
  if (hasPathRules(env.perms)) {
    try {
      paths = extractCallPaths(tool, args, env.cwd);
    } catch (err) {
      // Fail closed: a path that cannot be canonicalised denies the call.
      const message = `Tool "${tool}" is denied: ${errorMessage(err)}`;
      env.audit.emit({ event: 'tool.denied', tool, reason: 'denied', error: errorMessage(err), line });
      return blocked({ code: 'AEX051', message, line });
    }
  }
  let result;
  try {
    result = decideToolCall(env.perms, state, { tool, paths, line });
  } catch (err) {
    env.audit.emit({ event: 'tool.denied', tool, reason: 'denied', error: errorMessage(err), line });
    return blocked({ code: 'AEX051', message: `Tool "${tool}" is denied: ${errorMessage(err)}`, line });
  }
  const { decision, events } = result;
  if (decision.verdict === 'deny') {
    for (const e of events) env.audit.emit(e);
    const code = decision.reason === 'not_allowed' ? 'AEX050' : 'AEX051';
    return blocked({ code, message: decision.message, line });
  }
  // Step 3 (lookup) comes before the budget (step 4): an unknown tool is reported as such.
  if (lookupTool(env.tools, tool) === undefined) {
    env.audit.emit({ event: 'tool.denied', tool, reason: 'not_registered', line });
    return blocked({ code: 'AEX052', message: `Tool "${tool}" is not registered in the runtime.`, line });
  }
  if (decision.verdict === 'budget_exhausted') {
    for (const e of events) env.audit.emit(e);
    return blocked({ code: 'AEX054', message: decision.message, line });
  }
  for (const e of events) env.audit.emit(e);
  const request = { tool, args, line };
  const call: PreparedCall = { tool, args, line, bind: step.bind, needsConfirmation: decision.needsConfirmation, request };
  if (call.needsConfirmation) env.audit.emit({ event: 'confirm.required', tool, args, line });
  return { kind: 'ready', call };
}

/** Asks env.confirm (the native way of answering); no handler → refused "no_handler". */
export async function askConfirmation(call: PreparedCall, env: RunEnv): Promise<ConfirmAnswer> {
  if (!env.confirm) return { refused: 'no_handler' };
  try {
    return (await env.confirm(call.tool, call.request, { cwd: env.cwd })) === true;
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

/** Records the answer to a confirmation; anything but an approval blocks with AEX053. */
export function applyConfirmation(call: PreparedCall, answer: ConfirmAnswer, env: RunEnv): StepOutcome {
  const { tool, line } = call;
  if (answer === true) {
    env.audit.emit({ event: 'confirm.approved', tool, line });
    return CONTINUE;
  }
  if (answer === false) {
    env.audit.emit({ event: 'confirm.denied', tool, line });
    return blocked({ code: 'AEX053', message: `Tool "${tool}" requires confirmation and it was refused.`, line });
  }
  if ('error' in answer) {
    env.audit.emit({ event: 'confirm.failed', tool, error: answer.error, line });
    return blocked({ code: 'AEX053', message: `Confirmation of tool "${tool}" failed: ${answer.error}`, line });
  }
  env.audit.emit({ event: 'confirm.denied', tool, reason: answer.refused, line });
  return blocked({ code: 'AEX053', message: `Tool "${tool}" requires confirmation and none was provided.`, line });
}

/** Steps 6–7: charge the budget, run the handler, bind the result into the innermost scope. */
export async function executeCall(call: PreparedCall, state: RunState, env: RunEnv): Promise<StepOutcome> {
  const { tool, args, line, bind } = call;
  const handler = lookupTool(env.tools, tool);
  if (handler === undefined) {
    env.audit.emit({ event: 'tool.denied', tool, reason: 'not_registered', line });
    return blocked({ code: 'AEX052', message: `Tool "${tool}" is not registered in the runtime.`, line });
  }
  state.callsUsed += 1;
  env.audit.emit({ event: 'tool.allowed', tool, args, line });
  let value: JsonValue;
  try {
    value = toJson(await handler(args, { cwd: env.cwd }));
  } catch (err) {
    const error = errorMessage(err);
    env.audit.emit({ event: 'tool.failed', tool, error, line });
    return blocked({ code: 'AEX055', message: `Tool "${tool}" failed: ${error}`, line });
  }
  env.audit.emit({ event: 'tool.result', tool, bind, result: value, line });
  if (bind !== null) bindName(state, bind, value);
  return CONTINUE;
}

/** The whole `do` step with the native confirmation handler (the interpreter's path). */
export async function execCall(step: CallStep, state: RunState, env: RunEnv): Promise<StepOutcome> {
  const prep = prepareCall(step, state, env);
  if (prep.kind === 'blocked') return prep;
  if (prep.call.needsConfirmation) {
    const outcome = applyConfirmation(prep.call, await askConfirmation(prep.call, env), env);
    if (outcome.kind !== 'continue') return outcome;
  }
  return executeCall(prep.call, state, env);
}
