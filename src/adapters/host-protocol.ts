// What every agent host (Claude Code, Codex CLI, Gemini CLI, Cursor) gives the gate: how to
// read its hook payload, how to turn its tool call into actions, and how to answer in its own
// protocol. The gate core (budget, audit, kernel) is the same for every host; only these
// three steps differ. `aex gate --host H`, `aex serve` and `aex explain --host H` all use it.

import type { DescribeContext, DescribedCall } from '../describe/types.js';
import { AexError } from '../errors.js';

export type HostName = 'claude-code' | 'codex' | 'gemini' | 'cursor';

/** One tool call as the host announced it, in the host's terms. */
export interface HookRequest {
  host: HostName;
  /** The host's event name (`PreToolUse`, `BeforeTool`, `beforeShellExecution` …). */
  event: string;
  /** The host's session id; '' when it gave none. */
  sessionId: string;
  /** Absolute directory the agent is working in (relative paths of the call start here). */
  cwd: string;
  /** The project directory the host was started in, when its protocol says (CLAUDE_PROJECT_DIR, workspace_roots[0] …). */
  projectDir?: string;
  /** The host's tool name, as given (`Bash`, `run_shell_command`, `mcp__fs__read_file` …). */
  toolName: string;
  /** The tool's input, copied onto a prototype-free object. */
  toolInput: Record<string, unknown>;
  /** Host fields recorded in the audit as they are (tool_use_id, agent_id, agent_type, permission_mode …). */
  context: Record<string, unknown>;
  /** False when the host session cannot ask a person (Claude Code `-p`); undefined when unknown. */
  interactive?: boolean;
}

/** What the gate decided, in host-neutral terms. */
export interface HookVerdict {
  /** `defer`: answer nothing decisive and let the host's own permission flow run (Claude Code only). */
  kind: 'allow' | 'deny' | 'ask' | 'defer';
  /** The text the model (and the person) sees: AEX's reason, naming the rule. */
  message: string;
}

/** What the gate process prints and how it exits. */
export interface HookAnswer {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface HostProtocol {
  readonly name: HostName;
  /**
   * Reads one hook payload. Returns null for an event that is not a tool call the gate judges
   * (answered with `ignored()`); throws HookInputError for a payload it cannot read (answered
   * with `failure()`, which blocks).
   */
  parse(payload: unknown, processCwd: string, env: NodeJS.ProcessEnv): HookRequest | null;
  /** The capability the host tool stands for (`Bash` → `shell.exec`, `mcp__S__T` → `mcp.S.T`). */
  capabilityFor(toolName: string): string;
  /** The call's actions; may throw (the gate then decides one unreadable action). */
  describe(req: HookRequest, ctx: DescribeContext): Promise<DescribedCall>;
  /** The host's answer for a decision. A host without `ask` maps it to a deny that says how to approve. */
  answer(verdict: HookVerdict, req: HookRequest): HookAnswer;
  /** The answer to an event the gate does not judge (lets the host go on). */
  ignored(): HookAnswer;
  /** The answer when AEX itself failed: always one the host treats as blocking. */
  failure(message: string): HookAnswer;
}

/** A payload the host protocol cannot read; the gate answers with `failure()`. */
export class HookInputError extends AexError {
  constructor(message: string) {
    super(message);
    this.name = 'HookInputError';
  }
}
