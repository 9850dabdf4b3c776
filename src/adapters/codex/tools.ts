// Codex CLI's tool names as its PreToolUse hook reports them → AEX capabilities. Codex
// reports every shell-like tool (shell, exec_command, unified exec) as `Bash` with the
// command line in tool_input.command, its own patch tool as `apply_patch` with the patch
// text in tool_input.command, and MCP tools by their model-visible name `mcp__S__T`.
// Codex tools that emit no PreToolUse event (the plan tool, image viewing) never reach
// the gate. Anything else is `unknown.NAME`, which only `*` or `unknown.*` allows.

export const CODEX_CAPABILITIES: Readonly<Record<string, string>> = {
  Bash: 'shell.exec',
  apply_patch: 'file.write',
};

/** Programs Codex itself treats as its patch tool when the model runs them as a command. */
export const CODEX_PATCH_PROGRAMS: readonly string[] = ['apply_patch', 'applypatch'];

/** `mcp__S__T` → `mcp.S.T`; the separator is the first double underscore after the server name. */
export function mcpCapability(toolName: string): string | undefined {
  if (!toolName.startsWith('mcp__')) return undefined;
  const rest = toolName.slice('mcp__'.length);
  const sep = rest.indexOf('__');
  if (sep <= 0 || sep + 2 >= rest.length) return undefined;
  return `mcp.${rest.slice(0, sep)}.${rest.slice(sep + 2)}`;
}

export function codexCapability(toolName: string): string {
  const known = Object.prototype.hasOwnProperty.call(CODEX_CAPABILITIES, toolName) ? CODEX_CAPABILITIES[toolName] : undefined;
  if (known !== undefined) return known;
  return mcpCapability(toolName) ?? (toolName.includes('.') ? toolName : `unknown.${toolName}`);
}
