// The describe step of `aex gate --host claude-code`, in one place so that `aex explain
// --host claude-code` shows exactly the actions the gate hands to the kernel.
//
// Imported by the gate on every call: node built-ins and the gate's own modules only.

import type { DescribeContext, DescribedCall } from '../../describe/types.js';
import { describeSafely } from '../../runtime/steps/unreadable.js';
import { describeClaudeCodeCall } from './describe.js';
import { capabilityOfCall } from './mapping.js';

export { describeContextFor, mcpServerOf } from '../describe-context.js';

/** Claude Code's describer; if it fails, the call is one action AEX could not read (the kernel decides). */
export function describeHookCall(toolName: string, toolInput: Record<string, unknown>, ctx: DescribeContext): Promise<DescribedCall> {
  return describeSafely({ tool: capabilityOfCall(toolName, toolInput), hostTool: toolName, args: toolInput }, () => describeClaudeCodeCall(toolName, toolInput, ctx));
}
