// Cursor's agent tools as its preToolUse hook names them → AEX capabilities and the
// fields that carry their paths. Cursor's dedicated events are given the same tool names
// (beforeShellExecution → `Shell`, beforeReadFile → `Read`), so a policy reads the same
// whichever event judged the call. MCP tools arrive as `MCP:S:T` (or as a bare tool name
// with the server's command or URL, beforeMCPExecution) and become `mcp.S.T`.

export type CursorFamily = 'shell' | 'file' | 'search' | 'fetch' | 'web-search' | 'agent';

export interface CursorTool {
  cap: string;
  family: CursorFamily;
}

const T = (cap: string, family: CursorFamily): CursorTool => ({ cap, family });

export const CURSOR_TOOLS: Readonly<Record<string, CursorTool>> = {
  Shell: T('shell.exec', 'shell'),
  Terminal: T('shell.exec', 'shell'),
  Read: T('file.read', 'file'),
  Write: T('file.write', 'file'),
  Edit: T('file.write', 'file'),
  StrReplace: T('file.write', 'file'),
  MultiEdit: T('file.write', 'file'),
  Delete: T('file.write', 'file'),
  EditNotebook: T('file.write', 'file'),
  NotebookEdit: T('file.write', 'file'),
  Grep: T('file.read', 'search'),
  Glob: T('file.read', 'search'),
  LS: T('file.read', 'search'),
  WebFetch: T('network.fetch', 'fetch'),
  WebSearch: T('network.search', 'web-search'),
  Task: T('agent.spawn', 'agent'),
  TodoWrite: T('agent.todo', 'agent'),
};

/** Keys that hold the file of a file tool, the first one present wins. */
export const FILE_KEYS: readonly string[] = ['file_path', 'path', 'target_file', 'filePath', 'notebook_path'];
/** Keys that hold a search's directory. */
export const DIR_KEYS: readonly string[] = ['path', 'target_directory', 'directory', 'dir_path'];
/** Keys that hold a glob over file names (may climb out of the directory). */
export const GLOB_KEYS: readonly string[] = ['glob_pattern', 'glob', 'include'];

export function cursorTool(toolName: string): CursorTool | undefined {
  return Object.prototype.hasOwnProperty.call(CURSOR_TOOLS, toolName) ? CURSOR_TOOLS[toolName] : undefined;
}

/** `MCP:S:T` → `mcp.S.T`. */
export function mcpCapability(toolName: string): string | undefined {
  const m = /^MCP:([^:]+):(.+)$/.exec(toolName);
  return m ? `mcp.${m[1]}.${m[2]}` : undefined;
}

export function cursorCapability(toolName: string): string {
  const t = cursorTool(toolName);
  if (t !== undefined) return t.cap;
  return mcpCapability(toolName) ?? (toolName.includes('.') ? toolName : `unknown.${toolName}`);
}
