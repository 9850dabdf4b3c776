// A call no describer could read (docs/design.md#unresolved-parts): one action with the call's capability and
// an unresolved part. Only an unqualified allow rule permits it, and every deny or confirm
// rule on the capability refuses it, so a failing describer never lets a call through
// and no surface has to decide in its stead. No imports: the gate bundles this file.

import type { Action, DescribedCall } from '../../describe/types.js';

export interface DescribeInput {
  tool: string;
  hostTool?: string;
  args: Record<string, unknown>;
  /** An MCP tool: relative paths are judged against ctx.mcpBases (docs/paths.md). */
  mcp?: boolean;
}

/** The call as one action AEX could not read; `why` says what went wrong. */
export function unreadableCall(input: DescribeInput, why: string): DescribedCall {
  const action: Action = { cap: input.tool, args: input.args, unresolved: [{ what: 'call', why }] };
  const call: DescribedCall = { tool: input.tool, args: input.args, actions: [action] };
  if (input.hostTool !== undefined) call.hostTool = input.hostTool;
  return call;
}

/** The describer's answer when it has actions, else the unreadable call. */
export function usableCall(call: DescribedCall | undefined, input: DescribeInput): DescribedCall {
  if (!call || typeof call.tool !== 'string' || !Array.isArray(call.actions) || call.actions.length === 0) {
    return unreadableCall(input, 'describer returned no actions');
  }
  return call;
}

/** A host describer's result, or — if it threw or gave nothing — one action AEX could not read (the kernel decides). */
export async function describeSafely(input: DescribeInput, run: () => Promise<DescribedCall>): Promise<DescribedCall> {
  try {
    return usableCall(await run(), input);
  } catch (err) {
    return unreadableCall(input, `describe failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
