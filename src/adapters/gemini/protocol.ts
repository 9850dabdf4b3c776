// Gemini CLI's BeforeTool hook protocol (built against @google/gemini-cli 0.61; docs/hosts.md).
//
// Input on stdin: {session_id, transcript_path, cwd, hook_event_name: "BeforeTool",
// timestamp, tool_name, tool_input, mcp_context?, original_request_name?}; the project
// directory is the environment variable GEMINI_PROJECT_DIR.
//
// Output: `{"decision":"deny","reason":…}` blocks the tool and sends the reason to the
// model; `{"decision":"allow"}` lets it run (Gemini's own confirmation still applies).
// Gemini does accept `{"decision":"ask"}`, but AEX cannot rely on it: a headless run
// (`gemini -p`) then waits for an answer nobody can give, the hook is not told whether a
// person is at a terminal, and several tools run without asking (an MCP server marked
// trusted or allowed earlier in the session, invoke_agent, the plan-mode and docs tools); a
// pending question is also approved when the person switches to YOLO or auto-edit mode.
// So a confirm is a deny that says how a person approves (docs/hosts.md). AEX's own
// failures are exit 2 with the reason on stderr, which blocks: Gemini treats every other
// exit code as a warning and runs the tool.

import type { DescribeContext, DescribedCall } from '../../describe/types.js';
import type { HookAnswer, HookRequest, HookVerdict, HostProtocol } from '../host-protocol.js';
import { HookInputError } from '../host-protocol.js';
import { aexText, objectField, optionalAbsolute, optionalString, payloadObject, recordedFields, requiredString } from '../hook-fields.js';
import { describeGeminiCall, type GeminiMcpContext } from './describe.js';
import { geminiCapability } from './tools.js';
import { EXIT } from '../../exit-codes.js';

const RECORDED = ['original_request_name', 'transcript_path', 'timestamp'] as const;

export const GEMINI_CONFIRM_HINT =
  'this call needs a person\'s confirmation, which a Gemini CLI hook cannot ask for safely, so it was not run; a person can approve it with `aex grant` (docs/grants.md), after which the call may be retried';

/** The hook's mcp_context, read strictly: the server and tool names decide the capability. */
function mcpContextOf(o: Record<string, unknown>): GeminiMcpContext | undefined {
  const raw = o.mcp_context;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new HookInputError('hook input field "mcp_context" must be an object');
  const m = raw as Record<string, unknown>;
  const server = optionalString(m, 'server_name');
  const tool = optionalString(m, 'tool_name');
  if (server === undefined || server === '' || tool === undefined || tool === '') throw new HookInputError('mcp_context without server_name and tool_name');
  const out: GeminiMcpContext = { server, tool };
  const command = optionalString(m, 'command');
  if (command !== undefined) out.command = command;
  const cwd = optionalString(m, 'cwd');
  if (cwd !== undefined) out.cwd = cwd;
  const url = optionalString(m, 'url');
  if (url !== undefined) out.url = url;
  if (Array.isArray(m.args)) out.args = m.args.filter((a): a is string => typeof a === 'string');
  return out;
}

function json(o: Record<string, unknown>): string {
  return JSON.stringify(o) + '\n';
}

export const geminiProtocol: HostProtocol = {
  name: 'gemini',

  parse(payload: unknown, processCwd: string, env: NodeJS.ProcessEnv): HookRequest | null {
    const o = payloadObject(payload);
    const event = optionalString(o, 'hook_event_name');
    if (event === undefined) throw new HookInputError('hook input has no "hook_event_name"');
    if (event !== 'BeforeTool') return null;
    const toolName = requiredString(o, 'tool_name');
    const toolInput = objectField(o, 'tool_input', { allowMissing: true });
    const mcp = mcpContextOf(o);
    const context = recordedFields(o, RECORDED);
    if (mcp !== undefined) context.mcp_context = { ...mcp };
    const req: HookRequest = {
      host: 'gemini',
      event,
      sessionId: optionalString(o, 'session_id') ?? '',
      cwd: optionalAbsolute(o, 'cwd') ?? processCwd,
      toolName,
      toolInput,
      context,
    };
    const projectDir = optionalAbsolute({ GEMINI_PROJECT_DIR: env.GEMINI_PROJECT_DIR }, 'GEMINI_PROJECT_DIR');
    if (projectDir !== undefined) req.projectDir = projectDir;
    return req;
  },

  capabilityFor: geminiCapability,

  describe(req: HookRequest, ctx: DescribeContext): Promise<DescribedCall> {
    const mcp = req.context.mcp_context as GeminiMcpContext | undefined;
    return describeGeminiCall(req.toolName, req.toolInput, ctx, mcp);
  },

  answer(verdict: HookVerdict): HookAnswer {
    const message = aexText(verdict.message);
    switch (verdict.kind) {
      case 'allow':
        return { stdout: json({ decision: 'allow' }), stderr: '', exitCode: EXIT.ok };
      case 'deny':
        return { stdout: json({ decision: 'deny', reason: message }), stderr: '', exitCode: EXIT.ok };
      case 'ask':
      case 'defer':
        return { stdout: json({ decision: 'deny', reason: `${message} — ${GEMINI_CONFIRM_HINT}` }), stderr: '', exitCode: EXIT.ok };
    }
  },

  ignored(): HookAnswer {
    return { stdout: '{}\n', stderr: '', exitCode: EXIT.ok };
  },

  failure(message: string): HookAnswer {
    const text = aexText(message).trim() || 'AEX: the gate failed';
    return { stdout: '', stderr: `${text}\n`, exitCode: EXIT.usage };
  },
};
