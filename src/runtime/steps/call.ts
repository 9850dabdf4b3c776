// The `do` step (docs/design.md#runtime-semantics, docs/design.md#actions), split in three so that a confirmation can be
// a LangGraph interrupt in a node of its own:
//   prepareCall      steps 1–5 up to the question: args, describe, kernel decision (deny,
//                    allow, budget, confirm), lookup; the kernel's events are emitted;
//   applyConfirmation the answer → confirm.approved / confirm.denied / confirm.failed;
//   executeCall      steps 6–7: used += 1, the kernel's tool.allowed, the handler,
//                    tool.result / tool.failed.
// This file decides nothing: the verdict, its text and its events are the kernel's.

import type { CallStep } from '../../ir/types.js';
import { decideCall } from '../kernel/decide.js';
import type { CallDecision } from '../kernel/types.js';
import { evalExpr, toJson } from '../expressions.js';
import { resolveTool as lookupTool } from '../tools/types.js';
import { bindName } from './scope.js';
import { describeContext, describeForKernel, type DescribeInput } from './describe.js';
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

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(toJson(err));
}

/**
 * Evaluates a call's arguments in source order (pure), on an object without a prototype:
 * `__proto__` and `constructor` are ordinary argument names, passed to the tool and
 * shown in the audit and the confirmation prompt exactly as written.
 */
export function evalArgs(step: CallStep, state: RunState): Record<string, JsonValue> {
  const args = Object.create(null) as Record<string, JsonValue>;
  for (const a of step.args) args[a.name] = evalExpr(a.value, state);
  return args;
}

function blocked(reason: BlockReason): { kind: 'blocked'; reason: BlockReason } {
  return { kind: 'blocked', reason };
}

/**
 * The tool a contract names, as the kernel judges it: a tool of an `--mcp-config` server
 * is `mcp.S.T` whether the contract wrote that or the alias `S.T` (docs/mcp.md), and its
 * relative paths are judged against the server's bases.
 */
function describeInput(tool: string, args: Record<string, unknown>, env: RunEnv): { input: DescribeInput; bases?: string[] } {
  const bases = env.mcpServers?.bases;
  if (bases) {
    const named = tool.startsWith('mcp.') ? tool.slice(4) : tool;
    const dot = named.indexOf('.');
    const server = dot > 0 ? named.slice(0, dot) : undefined;
    if (server !== undefined && Object.prototype.hasOwnProperty.call(bases, server)) {
      return { input: { tool: `mcp.${named}`, args, mcp: true }, bases: bases[server]! };
    }
  }
  return { input: { tool, args } };
}

/** AEX050 for a call no rule allows, AEX051 for a denied one, AEX054 for the budget. */
function refusalCode(d: CallDecision): string {
  if (d.verdict === 'not_allowed') return 'AEX050';
  if (d.verdict === 'budget_exhausted') return 'AEX054';
  return 'AEX051';
}

/**
 * Steps 1–4 of docs/design.md#runtime-semantics (and the question of step 5): evaluate arguments, describe
 * the call, let the kernel decide, look the tool up. Emits the kernel's events now
 * (tool.denied / budget.exhausted / confirm.required) and keeps its `proceed` events for
 * executeCall. Describing a shell line loads the parser the first time, hence async.
 */
export async function prepareCall(step: CallStep, state: RunState, env: RunEnv): Promise<PrepareResult> {
  const line = step.loc.line;
  const { args, tool, d } = await decideStep(step, state, env);
  if (d.verdict === 'deny' || d.verdict === 'not_allowed') {
    for (const e of d.events) env.audit.emit(e);
    return blocked({ code: refusalCode(d), message: d.message, line });
  }
  // Step 3 (lookup) comes before the budget (step 4): an unknown tool is reported as such.
  if (lookupTool(env.tools, tool) === undefined) {
    env.audit.emit({ event: 'tool.denied', tool, reason: 'not_registered', line });
    return blocked({ code: 'AEX052', message: `Tool "${tool}" is not registered in the runtime.`, line });
  }
  for (const e of d.events) env.audit.emit(e);
  if (d.verdict === 'budget_exhausted') return blocked({ code: 'AEX054', message: d.message, line });
  const call: PreparedCall = {
    tool,
    args,
    line,
    bind: step.bind,
    needsConfirmation: d.verdict === 'confirm',
    message: d.message,
    request: { tool, args, line, message: d.message },
    proceed: d.proceed,
  };
  return { kind: 'ready', call };
}

/** Evaluates, describes and decides the call `step` makes in `state` (emits nothing). */
async function decideStep(step: CallStep, state: RunState, env: RunEnv): Promise<{ args: Record<string, JsonValue>; tool: string; d: CallDecision }> {
  const line = step.loc.line;
  const args = evalArgs(step, state);
  const { input, bases } = describeInput(step.tool, args, env);
  const ctx = describeContext({ root: env.perms.cwd, cwd: env.cwd, ...(bases ? { mcpBases: bases } : {}), shells: env.perms.shells ?? [] });
  const described = await describeForKernel(input, ctx);
  const d = decideCall(env.perms, state, described, { eventFields: { args, line }, ...(env.protect ? { protect: env.protect } : {}), ...(env.grants ? { grants: [...env.grants] } : {}) });
  return { args, tool: input.tool, d };
}

/**
 * A prepared call that was saved and now runs in another process (a resumed LangGraph
 * thread) is trusted for nothing: it must be exactly the call `step` makes in this state,
 * and the kernel decides it again (its confirmation is what was answered). A saved call
 * that differs — a checkpoint edited to run another tool or other arguments — is refused.
 */
export async function recheckCall(step: CallStep, saved: PreparedCall, state: RunState, env: RunEnv): Promise<PrepareResult> {
  const line = step.loc.line;
  const { args, tool, d } = await decideStep(step, state, env);
  const same = saved !== null && typeof saved === 'object' && saved.tool === tool && saved.line === line && saved.bind === step.bind && JSON.stringify(saved.args) === JSON.stringify(args);
  if (!same) {
    const named = typeof saved?.tool === 'string' ? saved.tool : String(saved?.tool);
    env.audit.emit({ event: 'tool.denied', tool: named, reason: 'checkpoint_mismatch', line });
    return blocked({
      code: 'AEX070',
      message: `the saved call (${named}) is not the call line ${line} of the contract makes (${tool} with its arguments); the checkpoint was changed, so it is refused`,
      line,
    });
  }
  if (d.verdict === 'deny' || d.verdict === 'not_allowed' || d.verdict === 'budget_exhausted') {
    for (const e of d.events) env.audit.emit(e);
    return blocked({ code: refusalCode(d), message: d.message, line });
  }
  return { kind: 'ready', call: { ...saved, args, needsConfirmation: d.verdict === 'confirm', message: d.message, request: { tool, args, line, message: d.message }, proceed: d.proceed } };
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
    return blocked({ code: 'AEX053', message: `${call.message}; the confirmation was refused`, line });
  }
  if ('error' in answer) {
    env.audit.emit({ event: 'confirm.failed', tool, error: answer.error, line });
    return blocked({ code: 'AEX053', message: `${call.message}; the confirmation failed: ${answer.error}`, line });
  }
  env.audit.emit({ event: 'confirm.denied', tool, reason: answer.refused, line });
  return blocked({ code: 'AEX053', message: `${call.message}; nobody was asked (no confirmation handler), so the call is refused`, line });
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
  for (const e of call.proceed) env.audit.emit(e);
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
  const prep = await prepareCall(step, state, env);
  if (prep.kind === 'blocked') return prep;
  if (prep.call.needsConfirmation) {
    const outcome = applyConfirmation(prep.call, await askConfirmation(prep.call, env), env);
    if (outcome.kind !== 'continue') return outcome;
  }
  return executeCall(prep.call, state, env);
}
