// Shared shapes of the enforcement kernel (ARCHITECTURE principle 2). Every decision
// about a tool call — made by the interpreter, the LangGraph nodes, the MCP proxy and
// the Claude Code gate — goes through decideToolCall() with these types.

/** A permission rule as the kernel sees it: a tool pattern and an optional path glob. */
export interface RuleSpec {
  tool: string;
  path?: string;
  /**
   * Further globs that every path must ALSO match (a conjunction). Produced when two
   * path-qualified allow rules are intersected and neither glob contains the other
   * (JSON `extends` narrowing, effective allow lists).
   */
  alsoPaths?: string[];
  /** Where the rule came from, for audit reasons: "policy.aex:3:7". */
  origin?: string;
}

/** One layer of permissions: the task contract's requests, or a policy's grants. */
export interface PermissionLayer {
  kind: 'task' | 'policy';
  name: string;
  file?: string;
  /** task: its `use` rules; policy: its `allow` rules. Zero rules permit nothing. */
  allow: RuleSpec[];
  deny: RuleSpec[];
  confirm: RuleSpec[];
  budget: Record<string, number>;
}

/** The most restrictive combination of the layers present (SPEC §6.3). */
export interface EffectivePermissions {
  task?: PermissionLayer;
  policy?: PermissionLayer;
  /** Union of both layers' deny rules. */
  deny: RuleSpec[];
  /** Union of both layers' confirm rules. */
  confirm: RuleSpec[];
  /** Per-key minimum of the defined values; `calls` is the one that is enforced. */
  budget: Record<string, number>;
  /** Base directory against which relative path globs are resolved. */
  cwd: string;
}

export interface SessionState {
  callsUsed: number;
}

export interface ToolCallRequest {
  tool: string;
  /** Absolute, realpath-canonicalised paths extracted from the call's arguments. */
  paths: string[];
  line?: number;
}

/** One audit event before the sink stamps `ts` and `seq` on it (decision D1: flat, snake_case). */
export interface AuditEventData {
  event: string;
  [field: string]: unknown;
}

export type Decision =
  | { verdict: 'allow'; needsConfirmation: boolean; confirmRule?: RuleSpec }
  | { verdict: 'deny'; reason: 'not_allowed' | 'denied'; rule?: string; message: string }
  | { verdict: 'budget_exhausted'; callsUsed: number; budget: number; message: string };

export interface DecisionResult {
  decision: Decision;
  /** Events the caller must emit, in order (tool.denied, budget.exhausted). */
  events: AuditEventData[];
}
