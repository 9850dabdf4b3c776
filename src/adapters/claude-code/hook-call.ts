// The describe step of `aex gate`, in one place so that `aex explain --host claude-code`
// shows exactly the actions the gate hands to the kernel (SPEC-2 D9).
//
// Imported by the gate on every call: node built-ins and the gate's own modules only.

import { homedir } from 'node:os';
import type { DescribeContext, DescribedCall } from '../../describe/types.js';
import type { EffectivePermissions } from '../../rules/types.js';
import { basesFromMcpJson } from '../../runtime/mcp-bases.js';
import { unreadableCall, usableCall, type DescribeInput } from '../../runtime/steps/unreadable.js';
import { describeClaudeCodeCall } from './describe.js';
import { capabilityFor } from './mapping.js';

/** `mcp.S.T` → S, or undefined when the name is not an MCP tool name. */
export function mcpServerOf(capability: string): string | undefined {
  const m = /^mcp\.([^.]+)\.[^.]/.exec(capability);
  return m ? m[1] : undefined;
}

/**
 * Where the call's relative paths start: `cwd`; for `mcp.S.T`, the bases the server may
 * resolve them against, read from the project's `.mcp.json` entry for S (SPEC-2 §15.2;
 * no entry → unknown base, and relative paths stay unresolved).
 */
export function describeContextFor(root: string, cwd: string, capability: string, perms: EffectivePermissions): DescribeContext {
  const ctx: DescribeContext = { root, cwd, home: homedir() };
  if (perms.shells !== undefined && perms.shells.length > 0) ctx.shells = perms.shells;
  const server = mcpServerOf(capability);
  const bases = server !== undefined ? basesFromMcpJson(root, server) : undefined;
  if (bases !== undefined) ctx.mcpBases = bases;
  return ctx;
}

/** Claude Code's describer; if it fails, the call is one action AEX could not read (the kernel decides). */
export async function describeHookCall(toolName: string, toolInput: Record<string, unknown>, ctx: DescribeContext): Promise<DescribedCall> {
  const input: DescribeInput = { tool: capabilityFor(toolName), hostTool: toolName, args: toolInput };
  try {
    return usableCall(await describeClaudeCodeCall(toolName, toolInput, ctx), input);
  } catch (err) {
    return unreadableCall(input, `describe failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
