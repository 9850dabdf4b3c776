// Claude Code's hook protocol (PreToolUse command hooks and http hooks): the payload it
// sends, and the `hookSpecificOutput` answers it obeys. Checked against Claude Code 2.1.197
// (docs/hosts.md).
//
// A decision is JSON on stdout with exit 0; anything that prevents a decision exits 2 with
// the reason on stderr, which blocks the call (exit 1 or any other code would let it run).
//
// `confirm` is where Claude Code needs care, because its own session state can answer an
// `ask` without a person (docs/hosts.md, "Confirmations"):
//   - a session that cannot ask (`claude -p`) with one tool call in the model's turn: `defer`,
//     so the run stops with the call pending and a person can resume it;
//   - a session that cannot ask, with several calls in the turn (where `defer` does not
//     apply): `deny`, saying how a person can approve it;
//   - a permission mode that accepts without asking (acceptEdits after "allow all edits this
//     session", bypassPermissions, dontAsk, auto …): `deny` the same way, so AEX's confirm is
//     never widened silently;
//   - otherwise (`default`, `plan`): `ask`.

import path from 'node:path';
import { HookInputError, type HookAnswer, type HookRequest, type HookVerdict, type HostProtocol } from '../host-protocol.js';
import { capabilityFor } from './mapping.js';
import { describeClaudeCodeCall } from './describe.js';
import { singleToolCallInTurn } from './transcript.js';
import { EXIT } from '../../exit-codes.js';

/** Hook fields recorded in every audit event of the call. */
const RECORDED_FIELDS = ['tool_use_id', 'agent_id', 'agent_type', 'permission_mode'] as const;

/** Permission modes in which Claude Code shows a hook's `ask` to a person. */
const ASKING_MODES = new Set(['default', 'plan']);

/** CLAUDE_CODE_ENTRYPOINT values of sessions without a person at a prompt (`-p`, the SDKs). */
const HEADLESS_ENTRYPOINTS = new Set(['sdk-cli', 'sdk-ts', 'sdk-py']);

/** The transcript of each request, for telling a single call from several (not audited). */
const transcripts = new WeakMap<HookRequest, string>();

function decisionJson(decision: 'allow' | 'deny' | 'ask' | 'defer', reason: string): string {
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: `AEX: ${reason}` } }) + '\n';
}

const answered = (stdout: string): HookAnswer => ({ stdout, stderr: '', exitCode: EXIT.ok });

function parse(payload: unknown, processCwd: string, env: NodeJS.ProcessEnv): HookRequest | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new HookInputError('hook input must be a JSON object');
  const o = payload as Record<string, unknown>;
  const event = o.hook_event_name;
  if (event !== undefined && typeof event !== 'string') throw new HookInputError('hook_event_name must be a string');
  if (event !== undefined && event !== 'PreToolUse') return null;
  const toolName = o.tool_name;
  if (toolName === undefined || toolName === null || toolName === '') throw new HookInputError('missing tool_name in input');
  if (typeof toolName !== 'string') throw new HookInputError('tool_name must be a string');
  const toolInput = o.tool_input ?? {};
  if (toolInput === null || typeof toolInput !== 'object' || Array.isArray(toolInput)) throw new HookInputError('tool_input must be a JSON object');
  const cwdRaw = o.cwd;
  if (cwdRaw !== undefined && (typeof cwdRaw !== 'string' || cwdRaw === '' || cwdRaw.includes('\0'))) throw new HookInputError('cwd must be a non-empty string');
  const sid = o.session_id;
  if (sid !== undefined && sid !== null && typeof sid !== 'string') throw new HookInputError('session_id must be a string');
  const context: Record<string, unknown> = {};
  for (const f of RECORDED_FIELDS) if (typeof o[f] === 'string' && o[f] !== '') context[f] = o[f];
  const entry = env.CLAUDE_CODE_ENTRYPOINT;
  const req: HookRequest = {
    host: 'claude-code',
    event: 'PreToolUse',
    sessionId: typeof sid === 'string' ? sid : '',
    cwd: path.resolve(processCwd, (cwdRaw as string | undefined) ?? '.'),
    toolName,
    toolInput: toolInput as Record<string, unknown>,
    context,
  };
  if (env.CLAUDE_PROJECT_DIR !== undefined && env.CLAUDE_PROJECT_DIR !== '') req.projectDir = env.CLAUDE_PROJECT_DIR;
  if (entry !== undefined && entry !== '') req.interactive = !HEADLESS_ENTRYPOINTS.has(entry);
  if (typeof o.transcript_path === 'string' && path.isAbsolute(o.transcript_path)) transcripts.set(req, o.transcript_path);
  return req;
}

/** How a person approves what this session cannot ask about. */
function refusedConfirm(message: string, why: string): string {
  return `${message} This session cannot ask for it (${why}), so it is refused; to approve it, a person runs it in an interactive Claude Code session in the default permission mode.`;
}

/** The answer to a `confirm`, from what the session can do (see the head of this file). */
function confirmAnswer(message: string, req: HookRequest): string {
  if (req.interactive === false) {
    const transcript = transcripts.get(req);
    const id = req.context.tool_use_id;
    if (transcript !== undefined && typeof id === 'string' && singleToolCallInTurn(transcript, id)) {
      return decisionJson('defer', `${message} The call is deferred: a person can approve it by resuming the session.`);
    }
    return decisionJson('deny', refusedConfirm(message, 'non-interactive session with several tool calls in the turn'));
  }
  const mode = req.context.permission_mode;
  if (mode !== undefined && !ASKING_MODES.has(String(mode))) {
    return decisionJson('deny', refusedConfirm(message, `permission mode ${String(mode)} accepts calls without asking`));
  }
  return decisionJson('ask', message);
}

export const claudeCodeProtocol: HostProtocol = {
  name: 'claude-code',
  parse,
  capabilityFor,
  describe: (req, ctx) => describeClaudeCodeCall(req.toolName, req.toolInput, ctx),
  answer(verdict: HookVerdict, req: HookRequest): HookAnswer {
    switch (verdict.kind) {
      case 'allow':
      case 'deny':
      case 'defer':
        return answered(decisionJson(verdict.kind, verdict.message));
      case 'ask':
        return answered(confirmAnswer(verdict.message, req));
    }
  },
  ignored: () => answered(''),
  failure: (message: string) => ({ stdout: '', stderr: `aex gate: ${message}\n`, exitCode: EXIT.usage }),
};

/** A deny decision for a failure where no exit code can block (Claude Code http hooks). */
export function blockingDecision(message: string): string {
  return decisionJson('deny', message);
}
