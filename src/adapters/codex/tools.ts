// Codex CLI's tool names as its PreToolUse hook reports them → AEX capabilities. Codex
// reports every shell-like tool (shell, exec_command, unified exec) as `Bash` with the
// command line in tool_input.command, its own patch tool as `apply_patch` with the patch
// text in tool_input.command, and MCP tools by their model-visible name `mcp__S__T`.
// Codex tools that emit no PreToolUse event (the plan tool, image viewing) never reach
// the gate. Anything else is `unknown.NAME`, which only `*` or `unknown.*` allows.
//
// Sub-agents (Codex 0.171, `[features] multi_agent` or `multi_agent_v2`): `spawn_agent` is
// reported by that name; the other agent tools by their namespace and name run together
// (`multi_agent_v1wait_agent`, `collaborationsend_message`), as Codex names every
// namespaced tool (MCP's `mcp__S__` namespace is the same rule). A sub-agent's own tool
// calls reach the hook like the parent's, with the parent's session_id (docs/hosts.md).

export const CODEX_CAPABILITIES: Readonly<Record<string, string>> = {
  Bash: 'shell.exec',
  apply_patch: 'file.write',
  spawn_agent: 'agent.spawn',
};

/** The namespaces Codex puts its sub-agent tools in (v1: `[features] multi_agent`, v2: `multi_agent_v2`). */
export const CODEX_AGENT_NAMESPACES: readonly string[] = ['multi_agent_v1', 'collaboration'];

/** Sub-agent tools by their name inside the namespace → capability. */
export const CODEX_AGENT_TOOLS: Readonly<Record<string, string>> = {
  spawn_agent: 'agent.spawn',
  wait_agent: 'agent.wait',
  send_input: 'agent.message',
  send_message: 'agent.message',
  followup_task: 'agent.message',
  close_agent: 'agent.close',
  resume_agent: 'agent.resume',
  interrupt_agent: 'agent.interrupt',
  list_agents: 'agent.list',
};

const own = (table: Readonly<Record<string, string>>, key: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** `multi_agent_v1wait_agent` → `agent.wait`; undefined for anything that is not a namespaced agent tool. */
export function agentCapability(toolName: string): string | undefined {
  for (const ns of CODEX_AGENT_NAMESPACES) {
    if (toolName.startsWith(ns)) {
      const cap = own(CODEX_AGENT_TOOLS, toolName.slice(ns.length));
      if (cap !== undefined) return cap;
    }
  }
  return undefined;
}

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
  const known = own(CODEX_CAPABILITIES, toolName) ?? agentCapability(toolName);
  if (known !== undefined) return known;
  return mcpCapability(toolName) ?? (toolName.includes('.') ? toolName : `unknown.${toolName}`);
}
