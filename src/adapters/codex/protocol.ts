// Codex CLI's PreToolUse hook protocol (built against @openai/codex 0.171; docs/hosts.md).
//
// Input on stdin: {session_id, turn_id, transcript_path, cwd, hook_event_name: "PreToolUse",
// model, permission_mode, tool_name, tool_input, tool_use_id, agent_id?, agent_type?}.
// Codex gives no project directory, so the gate finds the project from cwd.
//
// Output: Codex accepts only a deny from a PreToolUse hook. `permissionDecision: "allow"`
// and `"ask"` are reported as unsupported and the call RUNS, so an allow is answered with
// nothing at all, and a confirm is answered as a deny that says how a person approves it.
// A deny is `hookSpecificOutput.permissionDecision: "deny"` with a non-empty reason (exit
// 0). Any failure of AEX is exit 2 with the reason on stderr: Codex blocks on exit 2 with a
// reason, and runs the tool on every other failure (exit 1, timeout, an empty stderr).

import type { DescribeContext, DescribedCall } from '../../describe/types.js';
import type { HookAnswer, HookRequest, HookVerdict, HostProtocol } from '../host-protocol.js';
import { HookInputError } from '../host-protocol.js';
import { aexText, objectField, optionalAbsolute, optionalString, payloadObject, recordedFields, requiredString } from '../hook-fields.js';
import { describeCodexCall } from './describe.js';
import { codexCapability } from './tools.js';
import { EXIT } from '../../exit-codes.js';

/** Payload fields recorded in the audit as they are. */
const RECORDED = ['tool_use_id', 'turn_id', 'agent_id', 'agent_type', 'permission_mode', 'model', 'transcript_path'] as const;

/** How a person approves a call Codex cannot ask about. */
export const CODEX_CONFIRM_HINT =
  'this call needs a person\'s confirmation, which Codex hooks cannot ask for, so it was not run; a person can approve it with `aex grant` (docs/grants.md), after which the call may be retried';

function denyJson(reason: string): string {
  return (
    JSON.stringify({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
    }) + '\n'
  );
}

export const codexProtocol: HostProtocol = {
  name: 'codex',

  parse(payload: unknown, processCwd: string): HookRequest | null {
    const o = payloadObject(payload);
    const event = optionalString(o, 'hook_event_name');
    if (event === undefined) throw new HookInputError('hook input has no "hook_event_name"');
    if (event !== 'PreToolUse') return null;
    const toolName = requiredString(o, 'tool_name');
    // MCP tools without arguments may come with a null tool_input.
    const toolInput = objectField(o, 'tool_input', { allowMissing: toolName.startsWith('mcp__') });
    return {
      host: 'codex',
      event,
      sessionId: optionalString(o, 'session_id') ?? '',
      cwd: optionalAbsolute(o, 'cwd') ?? processCwd,
      toolName,
      toolInput,
      context: recordedFields(o, RECORDED),
    };
  },

  capabilityFor: codexCapability,

  describe(req: HookRequest, ctx: DescribeContext): Promise<DescribedCall> {
    return describeCodexCall(req.toolName, req.toolInput, ctx);
  },

  answer(verdict: HookVerdict): HookAnswer {
    const message = aexText(verdict.message);
    switch (verdict.kind) {
      case 'allow':
        return { stdout: '', stderr: '', exitCode: EXIT.ok };
      case 'deny':
        return { stdout: denyJson(message), stderr: '', exitCode: EXIT.ok };
      case 'ask':
      case 'defer':
        return { stdout: denyJson(`${message} — ${CODEX_CONFIRM_HINT}`), stderr: '', exitCode: EXIT.ok };
    }
  },

  ignored(): HookAnswer {
    return { stdout: '', stderr: '', exitCode: EXIT.ok };
  },

  failure(message: string): HookAnswer {
    const text = aexText(message).trim() || 'AEX: the gate failed';
    return { stdout: '', stderr: `${text}\n`, exitCode: EXIT.usage };
  },
};
