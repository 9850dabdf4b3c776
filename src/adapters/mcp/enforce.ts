// Call enforcement as pure functions: which capability a gated request is (callOf), and
// what the relay must do once the call is described (judge) or confirmed (afterConfirm).
// No I/O here: the relay describes the call, applies the decision and sends the messages.

import type { AuditEventData, CallDecision } from '../../runtime/kernel/types.js';
import type { EffectivePermissions } from '../../rules/types.js';
import type { DescribedCall } from '../../describe/types.js';
import type { DescribeInput } from '../../runtime/steps/describe.js';
import { decideCall } from '../../runtime/kernel/decide.js';
import type { KernelGrant } from '../../runtime/kernel/grants.js';
import { mcpToolName } from '../../runtime/mcp-names.js';
import { AEX_REFUSED, errorMessage, INVALID_PARAMS, resultMessage, type JsonRpcId } from './framing.js';
import type { JsonRpcMessage } from './endpoint.js';
import type { GatedMethod } from './methods.js';
import { metaNameOf, type MetaName } from './meta/definitions.js';
import type { ConfirmAnswer } from './confirm.js';

/** One gated request as a capability call. */
export interface GatedCall {
  method: GatedMethod;
  /** Undefined for a notification (no reply is ever sent to one). */
  id?: JsonRpcId;
  /** The capability: `mcp.S.T`, `mcp.S.resources.read`, `mcp.S.prompts.get`, or `aex.*`. */
  tool: string;
  args: Record<string, unknown>;
  /** The arguments as the client sent them, for the confirmation question. */
  shown: unknown;
  meta?: MetaName;
  /** The message as parsed: what is forwarded when the call proceeds. */
  message: JsonRpcMessage;
}

/** How the proxy names things: `--name S` gives `mcp.S.T`; without it the bare T (older policies). */
export interface Naming {
  server?: string;
  /** Whether this proxy offers the meta-tools (`--no-meta` turns them off). */
  meta: boolean;
}

export function capabilityName(naming: Naming, name: string): string {
  return naming.server !== undefined ? mcpToolName(naming.server, name) : name;
}

/** The fields every gated call has. */
function baseOf(method: GatedMethod, message: JsonRpcMessage, id: JsonRpcId | undefined): Pick<GatedCall, 'method' | 'message' | 'id'> {
  return { method, message, ...(id !== undefined ? { id } : {}) };
}

function plainObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The capability call a gated request is, or why it is not one (answered with
 * INVALID_PARAMS: a request AEX cannot read is never forwarded).
 */
export function callOf(method: GatedMethod, id: JsonRpcId | undefined, params: unknown, message: JsonRpcMessage, naming: Naming): { call: GatedCall } | { invalid: string } {
  const p = plainObject(params) ?? {};
  switch (method) {
    case 'tools/call': {
      const name = p.name;
      if (typeof name !== 'string' || name === '') return { invalid: 'tools/call needs params.name (a string)' };
      const raw = p.arguments;
      if (raw !== undefined && plainObject(raw) === undefined) return { invalid: 'tools/call params.arguments must be an object' };
      const meta = naming.meta ? metaNameOf(name) : undefined;
      // Built whole rather than spread from a base object: this runs for every call.
      const tool = meta ?? capabilityName(naming, name);
      const args = plainObject(raw) ?? {};
      const call: GatedCall = id !== undefined ? { method, message, id, tool, args, shown: raw } : { method, message, tool, args, shown: raw };
      if (meta) call.meta = meta;
      return { call };
    }
    case 'resources/read':
    case 'resources/subscribe': {
      if (typeof p.uri !== 'string') return { invalid: `${method} needs params.uri (a string)` };
      return { call: { ...baseOf(method, message, id), tool: capabilityName(naming, 'resources.read'), args: p, shown: params } };
    }
    case 'prompts/get': {
      if (typeof p.name !== 'string') return { invalid: 'prompts/get needs params.name (a string)' };
      return { call: { ...baseOf(method, message, id), tool: capabilityName(naming, 'prompts.get'), args: p, shown: params } };
    }
    case 'completion/complete': {
      // Completing an argument of a prompt or a resource template reveals what the
      // prompt or resource would: it is judged as getting that prompt or reading that URI.
      const ref = plainObject(p.ref);
      if (ref?.type === 'ref/prompt' && typeof ref.name === 'string') {
        return { call: { ...baseOf(method, message, id), tool: capabilityName(naming, 'prompts.get'), args: { name: ref.name }, shown: params } };
      }
      if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') {
        return { call: { ...baseOf(method, message, id), tool: capabilityName(naming, 'resources.read'), args: { uri: ref.uri }, shown: params } };
      }
      return { invalid: 'completion/complete needs params.ref of type ref/prompt (with name) or ref/resource (with uri)' };
    }
  }
}

export function describeInputOf(call: GatedCall): DescribeInput {
  return call.meta ? { tool: call.tool, args: call.args } : { tool: call.tool, args: call.args, mcp: true };
}

/** The refusal the client sees: a tool result with isError for tools/call, else a JSON-RPC error. */
export function refusalReply(call: GatedCall, text: string): JsonRpcMessage | undefined {
  if (call.id === undefined) return undefined; // notifications get no reply
  if (call.method === 'tools/call') return resultMessage(call.id, { content: [{ type: 'text', text: `AEX: ${text}` }], isError: true });
  return errorMessage(call.id, AEX_REFUSED, `AEX: ${text}`);
}

export function invalidReply(id: JsonRpcId | undefined, why: string): JsonRpcMessage | undefined {
  return id === undefined ? undefined : errorMessage(id, INVALID_PARAMS, `Invalid params: ${why}.`);
}

/** The history reason of a refusal, as checkpoints record it. */
export function refusalReason(d: CallDecision): string {
  if (d.verdict === 'not_allowed') return 'not_allowed';
  if (d.verdict === 'budget_exhausted') return 'budget_exhausted';
  return d.deciding?.layer === 'protected' ? 'protected' : 'deny_list';
}

export type Judgement =
  | { kind: 'refuse'; events: AuditEventData[]; reply?: JsonRpcMessage; reason: string }
  | { kind: 'confirm'; events: AuditEventData[]; decision: CallDecision }
  | { kind: 'proceed'; events: AuditEventData[]; decision: CallDecision };

export interface JudgeOptions {
  callsUsed: number;
  autoConfirm: boolean;
  /** Whether the client can be asked (it declared form elicitation, or another channel exists). */
  canAsk: boolean;
  /** A person's live grants for this project and session (docs/grants.md). */
  grants?: KernelGrant[];
  /** Files no call may write besides the project's protected state. */
  protect?: readonly string[];
}

/** The kernel's decision on a described call, and what it means for the relay. */
export function judge(perms: EffectivePermissions, call: GatedCall, described: DescribedCall, opts: JudgeOptions): Judgement {
  // Meta-tools need an allow rule like any tool but cost no budget.
  const d = decideCall(perms, { callsUsed: opts.callsUsed }, described, { ...(call.meta ? { free: true } : {}), ...(opts.grants ? { grants: opts.grants } : {}), ...(opts.protect ? { protect: opts.protect } : {}) });
  const events = [...d.events];
  if (d.verdict === 'deny' || d.verdict === 'not_allowed' || d.verdict === 'budget_exhausted') {
    const reply = refusalReply(call, d.message);
    return { kind: 'refuse', events, reason: refusalReason(d), ...(reply ? { reply } : {}) };
  }
  if (d.verdict === 'confirm') {
    if (opts.autoConfirm) return { kind: 'proceed', events: [...events, { event: 'confirm.auto_approved', tool: call.tool }], decision: d };
    if (!opts.canAsk || call.id === undefined) {
      const reply = refusalReply(call, `${d.message}; this client cannot ask the user (it has no elicitation capability), so the call is refused`);
      return { kind: 'refuse', events: [...events, { event: 'confirm.denied', tool: call.tool, reason: 'no_handler' }], reason: 'confirm_required', ...(reply ? { reply } : {}) };
    }
    return { kind: 'confirm', events, decision: d };
  }
  return { kind: 'proceed', events, decision: d };
}

/**
 * The person's answer to a confirmation. A withdrawn call (the client cancelled it) gets
 * no reply at all, as MCP cancellation asks; a dismissed question is audited apart from
 * a decline (`confirm.cancelled`), though both refuse.
 */
export function afterConfirm(call: GatedCall, decision: CallDecision, answer: ConfirmAnswer): Judgement {
  const tool = call.tool;
  if (answer === 'accept') return { kind: 'proceed', events: [{ event: 'confirm.approved', tool }], decision };
  if (answer === 'withdrawn') return { kind: 'refuse', events: [{ event: 'confirm.denied', tool, reason: 'withdrawn' }], reason: 'confirm_denied' };
  if (answer === 'cancel') {
    const reply = refusalReply(call, `${decision.message}; the user cancelled the confirmation`);
    return { kind: 'refuse', events: [{ event: 'confirm.cancelled', tool }], reason: 'confirm_cancelled', ...(reply ? { reply } : {}) };
  }
  const why = answer === 'decline' ? 'the user declined' : answer === 'timeout' ? 'nobody decided in time' : 'no answer could be had from the user';
  const reply = refusalReply(call, `${decision.message}; ${why}`);
  const reason = answer === 'decline' ? 'declined' : answer === 'timeout' ? 'timeout' : 'unavailable';
  return { kind: 'refuse', events: [{ event: 'confirm.denied', tool, reason }], reason: 'confirm_denied', ...(reply ? { reply } : {}) };
}
