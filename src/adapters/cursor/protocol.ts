// Cursor's agent hook protocol (docs/hosts.md). Four events are judged:
//   beforeShellExecution {command, cwd}                     → the tool `Shell`
//   beforeMCPExecution   {tool_name, tool_input, url|command} → `MCP:S:T`
//   beforeReadFile       {file_path, content, attachments}   → the tool `Read`
//   preToolUse           {tool_name, tool_input}             → the tool as named
// Every event carries conversation_id (the session), generation_id and workspace_roots,
// whose first entry is the project root.
//
// Output: {"permission":"allow"|"deny"|"ask","user_message","agent_message"} with exit 0;
// beforeReadFile knows only allow and deny, so a confirm there is a deny that says so.
// AEX's own failures are exit 2 (Cursor's deny) with a deny on stdout as well; the hooks
// are installed with failClosed, so a hook that cannot run blocks too.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DescribeContext, DescribedCall } from '../../describe/types.js';
import type { HookAnswer, HookRequest, HookVerdict, HostProtocol } from '../host-protocol.js';
import { HookInputError } from '../host-protocol.js';
import { aexText, objectField, optionalAbsolute, optionalString, payloadObject, recordedFields, requiredString } from '../hook-fields.js';
import { describeCursorCall } from './describe.js';
import { cursorCapability } from './tools.js';
import { EXIT } from '../../exit-codes.js';

export const CURSOR_EVENTS = ['beforeShellExecution', 'beforeMCPExecution', 'beforeReadFile', 'preToolUse'] as const;

const RECORDED = ['generation_id', 'model', 'cursor_version', 'tool_use_id', 'transcript_path'] as const;

export const CURSOR_READ_CONFIRM_HINT = 'this read needs a person\'s confirmation, which Cursor cannot ask for before a file is read; a person can approve it with `aex grant` (docs/grants.md)';

/** workspace_roots[0], which must be an absolute path when the list is there. */
function workspaceRoot(o: Record<string, unknown>): string | undefined {
  const roots = o.workspace_roots;
  if (roots === undefined || roots === null) return undefined;
  if (!Array.isArray(roots)) throw new HookInputError('hook input field "workspace_roots" must be an array');
  if (roots.length === 0) return undefined;
  return optionalAbsolute({ workspace_root: roots[0] }, 'workspace_root');
}

/** The MCP tool input: an object, or (some Cursor versions) the same object as JSON text. */
function mcpInput(o: Record<string, unknown>): Record<string, unknown> {
  const raw = o.tool_input;
  if (typeof raw !== 'string') return objectField(o, 'tool_input', { allowMissing: true });
  let parsed: unknown;
  try {
    parsed = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    throw new HookInputError('hook input field "tool_input" is not JSON');
  }
  return objectField({ tool_input: parsed }, 'tool_input');
}

/** The server of a bare MCP tool name: the project's .cursor/mcp.json entry with the same command or URL. */
function serverFor(o: Record<string, unknown>, root: string | undefined): string {
  const named = optionalString(o, 'server_name') ?? optionalString(o, 'server');
  if (named !== undefined && named !== '') return named;
  const url = optionalString(o, 'url');
  const command = optionalString(o, 'command');
  if (root !== undefined && (url !== undefined || command !== undefined)) {
    let servers: Record<string, { command?: unknown; args?: unknown; url?: unknown }> = {};
    try {
      const cfg = JSON.parse(readFileSync(path.join(root, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers?: typeof servers };
      servers = cfg.mcpServers ?? {};
    } catch {
      servers = {};
    }
    const matches = Object.entries(servers).filter(([, s]) => {
      if (url !== undefined) return s.url === url;
      const line = [s.command, ...(Array.isArray(s.args) ? s.args : [])].filter((w) => typeof w === 'string').join(' ');
      return s.command === command || line === command;
    });
    if (matches.length === 1) return matches[0]![0];
  }
  throw new HookInputError('cannot tell which MCP server the tool belongs to (name it in .cursor/mcp.json)');
}

function answerJson(permission: 'allow' | 'deny' | 'ask', message?: string): string {
  const o: Record<string, unknown> = { permission };
  if (message !== undefined) {
    o.user_message = message;
    o.agent_message = message;
  }
  return JSON.stringify(o) + '\n';
}

export const cursorProtocol: HostProtocol = {
  name: 'cursor',

  parse(payload: unknown, processCwd: string): HookRequest | null {
    const o = payloadObject(payload);
    const event = optionalString(o, 'hook_event_name');
    if (event === undefined) throw new HookInputError('hook input has no "hook_event_name"');
    if (!(CURSOR_EVENTS as readonly string[]).includes(event)) return null;
    const root = workspaceRoot(o);
    let toolName: string;
    let toolInput: Record<string, unknown>;
    switch (event) {
      case 'beforeShellExecution': {
        toolName = 'Shell';
        toolInput = Object.create(null) as Record<string, unknown>;
        toolInput.command = requiredString(o, 'command');
        const cwd = optionalString(o, 'cwd');
        if (cwd !== undefined) toolInput.cwd = cwd;
        break;
      }
      case 'beforeReadFile': {
        toolName = 'Read';
        toolInput = Object.create(null) as Record<string, unknown>;
        toolInput.file_path = requiredString(o, 'file_path');
        if (o.attachments !== undefined) toolInput.attachments = o.attachments;
        break;
      }
      case 'beforeMCPExecution': {
        const name = requiredString(o, 'tool_name');
        toolName = name.startsWith('MCP:') ? name : `MCP:${serverFor(o, root)}:${name}`;
        toolInput = mcpInput(o);
        break;
      }
      default: {
        toolName = requiredString(o, 'tool_name');
        toolInput = toolName.startsWith('MCP:') ? mcpInput(o) : objectField(o, 'tool_input', { allowMissing: false });
      }
    }
    const cwd = optionalAbsolute(o, 'cwd') ?? root ?? processCwd;
    const req: HookRequest = {
      host: 'cursor',
      event,
      sessionId: optionalString(o, 'conversation_id') ?? optionalString(o, 'session_id') ?? '',
      cwd,
      toolName,
      toolInput,
      context: recordedFields(o, RECORDED),
    };
    if (root !== undefined) req.projectDir = root;
    return req;
  },

  capabilityFor: cursorCapability,

  describe(req: HookRequest, ctx: DescribeContext): Promise<DescribedCall> {
    return describeCursorCall(req.toolName, req.toolInput, ctx);
  },

  answer(verdict: HookVerdict, req: HookRequest): HookAnswer {
    const message = aexText(verdict.message);
    switch (verdict.kind) {
      case 'allow':
        return { stdout: answerJson('allow'), stderr: '', exitCode: EXIT.ok };
      case 'deny':
        return { stdout: answerJson('deny', message), stderr: '', exitCode: EXIT.ok };
      case 'ask':
      case 'defer':
        if (req.event === 'beforeReadFile') return { stdout: answerJson('deny', `${message} — ${CURSOR_READ_CONFIRM_HINT}`), stderr: '', exitCode: EXIT.ok };
        return { stdout: answerJson('ask', message), stderr: '', exitCode: EXIT.ok };
    }
  },

  ignored(): HookAnswer {
    return { stdout: '{}\n', stderr: '', exitCode: EXIT.ok };
  },

  failure(message: string): HookAnswer {
    const text = aexText(message).trim() || 'AEX: the gate failed';
    return { stdout: answerJson('deny', text), stderr: `${text}\n`, exitCode: EXIT.usage };
  },
};
