// Claude Code tool names → AEX capabilities, from the tool table (tools.json). Claude Code
// sends absolute paths; relative ones are resolved against the hook input's cwd by the
// describer (describe.ts).

import { toolEntry } from './tool-table.js';

/** A server name as it may stand in a capability: one segment, no dot, no wildcard. */
const SERVER_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The capability of one call. MCP resource tools name their server in the input
 * (`mcp.S.resources.read`); a missing or odd server name gives `mcp._.resources.…`, which
 * the describer marks unresolved, so only a rule that permits every server allows it.
 */
export function capabilityOfCall(toolName: string, input: Record<string, unknown> = {}): string {
  const entry = toolEntry(toolName);
  if (entry !== undefined && entry.capability.includes('{server}')) {
    const server = entry.server !== undefined ? input[entry.server] : undefined;
    return entry.capability.replace('{server}', typeof server === 'string' && SERVER_NAME.test(server) ? server : '_');
  }
  return capabilityFor(toolName);
}

/**
 * `mcp__S__T` → `mcp.S.T` (S and T may themselves contain single underscores; the
 * separator is the double underscore after the server name). A name containing a dot
 * is already an AEX capability. Anything unknown becomes `unknown.<Name>`, which only
 * `*` or `unknown.*` can allow.
 */
export function capabilityFor(toolName: string): string {
  const entry = toolEntry(toolName);
  if (entry !== undefined) return entry.capability.replace('{server}', '_');
  if (toolName.startsWith('mcp__')) {
    const rest = toolName.slice('mcp__'.length);
    const sep = rest.indexOf('__');
    if (sep > 0 && sep + 2 < rest.length) return `mcp.${rest.slice(0, sep)}.${rest.slice(sep + 2)}`;
  }
  if (toolName.includes('.')) return toolName;
  return `unknown.${toolName}`;
}

/** Which `tool_input` fields hold a path, per Claude Code tool (from the table). */
export function pathFields(toolName: string): readonly string[] {
  return toolEntry(toolName)?.paths ?? [];
}
