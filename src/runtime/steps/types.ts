// The shared contract of the step functions (docs/design.md#runtime-semantics): what each IR op
// means is written once in src/runtime/steps/*, and both the native interpreter and the
// LangGraph backend only move control between these calls.
//
// Run state is plain JSON so a LangGraph checkpointer can save it. Everything that is
// not serialisable (handlers, sinks, registries) lives in RunEnv.
//
// Step functions mutate the RunState they are given (scopes, callsUsed) and emit audit
// events through env.audit. A caller that needs immutable state passes a copy.

import type { KernelGrant } from '../kernel/grants.js';
import type { IRDocument, JsonValue } from '../../ir/types.js';
import type { AuditEventData } from '../kernel/types.js';
import type { EffectivePermissions } from '../../rules/types.js';
import type { ToolRegistry } from '../tools/types.js';
import type { McpServersInfo } from '../mcp-tools.js';

export type { JsonValue } from '../../ir/types.js';

/** One lexical scope: name → value. */
export type Scope = Record<string, JsonValue>;

export interface RunState {
  /** Innermost scope last; scopes[0] holds the declared needs (undeclared inputs never enter). */
  scopes: Scope[];
  /** Calls charged against the budget so far (`do` and `make`). */
  callsUsed: number;
}

/** Why a step blocked: reason code of docs/audit-events.md and the human message. */
export interface BlockReason {
  code: string;
  message: string;
  line?: number;
}

export type StepOutcome =
  | { kind: 'continue' }
  | { kind: 'return'; value: JsonValue }
  | { kind: 'blocked'; reason: BlockReason };

/** Receives event data; the emitter stamps `ts` and `seq` (docs/audit-events.md) and fans out to sinks. */
export interface AuditEmitter {
  emit(event: AuditEventData): void;
}

/** The request a model handler receives for a `make` step (docs/design.md#runtime-semantics). */
export interface MakeRequest {
  bind: string;
  kind: string;
  instructions: string[];
  inputs: Array<{ name: string; value: JsonValue }>;
  line: number;
}

export type ModelHandler = (request: MakeRequest) => Promise<JsonValue> | JsonValue;

/** What a confirmation handler is asked (docs/design.md#the-kernel). */
export interface ConfirmRequest {
  tool: string;
  args: Record<string, JsonValue>;
  line: number;
  /** Why the kernel asks: the confirm rule and the action it applies to (docs/design.md#the-kernel). */
  message?: string;
}

export type ConfirmHandler = (
  tool: string,
  request: ConfirmRequest,
  ctx: { cwd: string },
) => Promise<boolean> | boolean;

/**
 * The answer to a confirmation: approved (true), refused (false), the handler threw
 * ({error}), or nobody could be asked ({refused: "no_handler"}).
 */
export type ConfirmAnswer = boolean | { error: string } | { refused: string };

/** Everything a step needs besides the state. Not serialised. */
export interface RunEnv {
  ir: IRDocument;
  perms: EffectivePermissions;
  tools: ToolRegistry;
  model?: ModelHandler;
  audit: AuditEmitter;
  cwd: string;
  confirm?: ConfirmHandler;
  /** The run's MCP servers (`--mcp-config`): their tools are `mcp.S.T` (docs/mcp.md). */
  mcpServers?: McpServersInfo;
  /**
   * Files no call of this run may write besides the project's own protected state
   * (absolute globs): the run's audit and checkpoint files, key files, the state directory.
   */
  protect?: readonly string[];
  /** A person's live grants, which the kernel honours for exactly their rule. */
  grants?: readonly KernelGrant[];
}

/** A `do` call after steps 1–4 of docs/design.md#runtime-semantics, before confirmation and execution. Plain JSON. */
export interface PreparedCall {
  /** The capability the call was judged as (`mcp.S.T` for the alias `S.T`). */
  tool: string;
  args: Record<string, JsonValue>;
  line: number;
  bind: string | null;
  /** The kernel's verdict was `confirm`. */
  needsConfirmation: boolean;
  /** The kernel's text: why a confirmation is needed, naming the rule and the action. */
  message: string;
  /** The request a confirmation handler (or a LangGraph interrupt) is shown. */
  request: ConfirmRequest;
  /** The kernel's events for when the call runs (tool.allowed with provenance). */
  proceed: AuditEventData[];
}

export type PrepareResult = { kind: 'blocked'; reason: BlockReason } | { kind: 'ready'; call: PreparedCall };

/** Result of evaluating a condition: pass, or the failure reason of docs/design.md#runtime-semantics. */
export type CondResult = { pass: true } | { pass: false; reason: string };

/** `for` iterable: the items to iterate, or AEX049. */
export type ForBegin = { kind: 'items'; items: JsonValue[] } | { kind: 'blocked'; reason: BlockReason };

/** Outcome of input validation before a run starts (docs/design.md#runtime-semantics). */
export type StartResult = { kind: 'started'; state: RunState } | { kind: 'rejected'; result: RunResult };

export interface RunResult {
  status: 'success' | 'blocked';
  /** `CODE: message` per reason. */
  issues: string[];
  reasons: BlockReason[];
  output?: JsonValue;
}
