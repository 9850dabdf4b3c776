// The describe context of a hook call, the same for every host and for `aex explain`: the
// project root, the agent's cwd, the policy's shell declarations, and for an MCP tool
// `mcp.S.T` the bases its server may resolve relative paths against (read from the
// project's .mcp.json entry for S; no entry → unknown base, relative paths stay unresolved).
//
// Imported by the gate on every call: node built-ins and the gate's own modules only.
// It sits with the adapters because the hosts' describe steps use it as well as the gate.

import { homedir } from 'node:os';
import type { DescribeContext } from '../describe/types.js';
import type { EffectivePermissions } from '../rules/types.js';
import { basesFromMcpJson } from '../runtime/mcp-bases.js';

/** `mcp.S.T` → S, or undefined when the name is not an MCP tool name. */
export function mcpServerOf(capability: string): string | undefined {
  const m = /^mcp\.([^.]+)\.[^.]/.exec(capability);
  return m ? m[1] : undefined;
}

export function describeContextFor(root: string, cwd: string, capability: string, perms: EffectivePermissions): DescribeContext {
  const ctx: DescribeContext = { root, cwd, home: homedir() };
  if (perms.shells !== undefined && perms.shells.length > 0) ctx.shells = perms.shells;
  const server = mcpServerOf(capability);
  const bases = server !== undefined ? basesFromMcpJson(root, server) : undefined;
  if (bases !== undefined) ctx.mcpBases = bases;
  return ctx;
}
