// Gemini CLI's built-in tool names (its BeforeTool hook reports them as the model calls
// them; built against @google/gemini-cli 0.61, docs/hosts.md) → AEX capabilities, and the
// family each belongs to, which decides how its arguments become actions. The agent's own
// bookkeeping (todo lists, the task tracker, plan mode, questions to the user, skills) is
// under `agent.*`, which the starter policy allows. A sub-agent is started with
// `invoke_agent` (agent.spawn); its own tool calls reach the hook like the parent's, with the
// same session_id (docs/hosts.md). MCP tools are `mcp.S.T` (protocol.ts reads S and T from
// the hook's mcp_context); anything else is `unknown.NAME`.

export type GeminiFamily = 'shell' | 'read' | 'write' | 'glob' | 'grep' | 'list' | 'read-many' | 'fetch' | 'search' | 'agent' | 'plan-exit' | 'spawn';

export interface GeminiTool {
  cap: string;
  family: GeminiFamily;
}

const T = (cap: string, family: GeminiFamily): GeminiTool => ({ cap, family });

export const GEMINI_TOOLS: Readonly<Record<string, GeminiTool>> = {
  run_shell_command: T('shell.exec', 'shell'),
  read_file: T('file.read', 'read'),
  write_file: T('file.write', 'write'),
  replace: T('file.write', 'write'),
  glob: T('file.read', 'glob'),
  grep_search: T('file.read', 'grep'),
  search_file_content: T('file.read', 'grep'),
  list_directory: T('file.read', 'list'),
  read_many_files: T('file.read', 'read-many'),
  web_fetch: T('network.fetch', 'fetch'),
  google_web_search: T('network.search', 'search'),
  list_background_processes: T('agent.task.list', 'agent'),
  read_background_output: T('agent.task.output', 'agent'),
  invoke_agent: T('agent.spawn', 'spawn'),
  ask_user: T('agent.ask', 'agent'),
  write_todos: T('agent.todo', 'agent'),
  activate_skill: T('agent.skill', 'agent'),
  get_internal_docs: T('agent.docs', 'agent'),
  enter_plan_mode: T('agent.plan', 'agent'),
  exit_plan_mode: T('agent.plan', 'plan-exit'),
  update_topic: T('agent.topic', 'agent'),
  complete_task: T('agent.complete', 'agent'),
  list_mcp_resources: T('agent.mcp_resources', 'agent'),
  tracker_create_task: T('agent.task', 'agent'),
  tracker_update_task: T('agent.task', 'agent'),
  tracker_get_task: T('agent.task', 'agent'),
  tracker_list_tasks: T('agent.task', 'agent'),
  tracker_add_dependency: T('agent.task', 'agent'),
  tracker_visualize: T('agent.task', 'agent'),
};

/**
 * The sub-agents Gemini CLI 0.61 defines itself that run on this machine with the session's
 * own tools, so every call they make passes the hook. A name may not be overridden: Gemini
 * keeps the first definition of a name, and these are registered first.
 */
export const GEMINI_LOCAL_AGENTS: readonly string[] = ['generalist', 'codebase_investigator', 'cli_help'];

export function geminiTool(toolName: string): GeminiTool | undefined {
  return Object.prototype.hasOwnProperty.call(GEMINI_TOOLS, toolName) ? GEMINI_TOOLS[toolName] : undefined;
}

/**
 * `mcp_S_T` as Gemini CLI itself splits it (server = up to the first `_`), used only when
 * the hook gave no mcp_context; a server name with `_` in it is then read wrongly, which
 * is why the context's own names come first.
 */
export function mcpCapabilityFromName(toolName: string): string | undefined {
  const m = /^mcp_([^_]+)_(.+)$/.exec(toolName);
  return m ? `mcp.${m[1]}.${m[2]}` : undefined;
}

export function geminiCapability(toolName: string): string {
  const t = geminiTool(toolName);
  if (t !== undefined) return t.cap;
  return mcpCapabilityFromName(toolName) ?? (toolName.includes('.') ? toolName : `unknown.${toolName}`);
}
