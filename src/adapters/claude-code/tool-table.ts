// Claude Code's tools as data (tools.json): each tool's capability, its kind (which
// describer family reads it) and the input fields that hold a path, a URL or a shell line.
// Extracted from the installed client and checked against it by the hosts suite
// (tests/hosts/claude-code/tools.e2e.ts); docs/hosts.md says how to refresh it.

import table from './tools.json' with { type: 'json' };

export type ToolKind = 'file' | 'search' | 'shell' | 'unparsed-shell' | 'url' | 'mcp-resource' | 'agent' | 'other';

export interface ToolEntry {
  /** The AEX capability; `{server}` is filled from the `server` field (MCP resource tools). */
  capability: string;
  kind: ToolKind;
  paths?: string[];
  url?: string;
  shell?: string;
  server?: string;
  uri?: string;
  aliases?: string[];
}

interface ToolTable {
  client: string;
  version: string;
  tools: Record<string, ToolEntry>;
}

const data = table as unknown as ToolTable;

/** The client version the table was extracted from. */
export const TOOL_TABLE_VERSION: string = data.version;

/** Tool name (and every alias) → its entry, on a prototype-free map so `constructor` is no tool. */
const BY_NAME: Map<string, ToolEntry & { name: string }> = new Map();
for (const [name, entry] of Object.entries(data.tools)) {
  BY_NAME.set(name, { ...entry, name });
  for (const alias of entry.aliases ?? []) BY_NAME.set(alias, { ...entry, name });
}

/** The entry of a Claude Code tool name (or alias), undefined for a tool the table does not know. */
export function toolEntry(toolName: string): (ToolEntry & { name: string }) | undefined {
  return BY_NAME.get(toolName);
}

/** Every tool name of the table (not aliases). */
export function toolNames(): string[] {
  return Object.keys(data.tools);
}
