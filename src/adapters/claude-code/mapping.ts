// Claude Code tool names → AEX capabilities, and the path fields each tool carries
// (SPEC §7.3 Rule). Claude Code sends absolute paths; relative ones are resolved
// against the hook input's cwd by the describer (describe.ts).

const CAPABILITY: Record<string, string> = {
  Read: 'file.read',
  Glob: 'file.read',
  Grep: 'file.read',
  LS: 'file.read',
  NotebookRead: 'file.read',
  Write: 'file.write',
  Edit: 'file.write',
  MultiEdit: 'file.write',
  NotebookEdit: 'file.write',
  Bash: 'shell.exec',
  PowerShell: 'shell.exec',
  WebFetch: 'network.fetch',
  WebSearch: 'network.search',
  TodoRead: 'todo.read',
  TodoWrite: 'todo.write',
  Agent: 'agent.spawn',
  Task: 'agent.spawn',
};

/** Which `tool_input` field holds the path, per Claude Code tool. */
export const PATH_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Read: ['file_path'],
  NotebookRead: ['notebook_path', 'file_path'],
  Glob: ['path'],
  Grep: ['path'],
  LS: ['path'],
  Write: ['file_path'],
  Edit: ['file_path'],
  MultiEdit: ['file_path'],
  NotebookEdit: ['notebook_path'],
};

/**
 * `mcp__S__T` → `mcp.S.T` (S and T may themselves contain single underscores; the
 * separator is the double underscore after the server name). A name containing a dot
 * is already an AEX capability. Anything unknown becomes `unknown.<Name>`, which only
 * `*` or `unknown.*` can allow.
 */
export function capabilityFor(toolName: string): string {
  const mapped = CAPABILITY[toolName];
  if (mapped !== undefined) return mapped;
  if (toolName.startsWith('mcp__')) {
    const rest = toolName.slice('mcp__'.length);
    const sep = rest.indexOf('__');
    if (sep > 0 && sep + 2 < rest.length) return `mcp.${rest.slice(0, sep)}.${rest.slice(sep + 2)}`;
  }
  if (toolName.includes('.')) return toolName;
  return `unknown.${toolName}`;
}
