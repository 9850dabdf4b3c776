// Shapes of the enforcement kernel's decisions (docs/design.md#the-kernel, docs/design.md#the-kernel).
// Every surface — the interpreter, the LangGraph nodes, the MCP proxy, the host gates —
// hands a described call (src/describe) to decideCall() and emits the events it returns.

import type { RuleSpec } from '../../rules/types.js';
import type { Action } from '../../describe/types.js';

export interface SessionState {
  callsUsed: number;
}

/** One audit event before the sink stamps `ts` and `seq` on it (docs/audit-events.md: flat, snake_case). */
export interface AuditEventData {
  event: string;
  [field: string]: unknown;
}

/**
 * Which layer decided: a policy's rules, a task's rules, AEX's own protected state, or a
 * person's grant standing in for the policy's allow rule (docs/grants.md).
 */
export type DecidingLayer = 'policy' | 'task' | 'protected' | 'grant';

/** A grant that decided an action: what it stood in for, and its id for the audit. */
export interface GrantUse {
  id: string;
  /** The granted rule as written, with no keyword (`shell.exec:"npm test"`). */
  rule: string;
  /** `allow`: it stood in for the policy's allow rule; `confirm`: it answered the confirmation in advance. */
  use: 'allow' | 'confirm';
  /** The confirm rule it answered in advance (with its keyword), when one applied. */
  confirms?: string;
}

/** How the kernel judged one action. */
export interface ActionJudgement {
  action: Action;
  verdict: 'allow' | 'confirm' | 'deny' | 'not_allowed';
  /** The deciding rule: the deny rule, the confirm rule, or the policy layer's allow rule. */
  rule?: RuleSpec;
  layer?: DecidingLayer;
  /** For a `protected` denial: the protected entry that matched. */
  protectedEntry?: string;
  /** For an action a grant allowed (or confirmed in advance): the grant. */
  grant?: GrantUse;
}

/**
 * The decision on a whole call (docs/design.md#the-kernel): denied if any action is denied, else not
 * allowed if any action lacks a permitting allow rule, else confirm if any action needs
 * confirmation, else allowed; the budget is checked before a confirmation or an allow.
 */
export type CallVerdict = 'allow' | 'confirm' | 'deny' | 'not_allowed' | 'budget_exhausted';

export interface CallDecision {
  verdict: CallVerdict;
  /** Refusal or confirmation text for the model and the person, naming the rule and the action. */
  message: string;
  /** The action that decided the call (the first denied / not allowed / confirm action). */
  deciding?: ActionJudgement;
  /** Every action with its judgement, in call order. */
  actions: ActionJudgement[];
  /** Events to emit now: tool.denied, budget.exhausted, confirm.required. */
  events: AuditEventData[];
  /**
   * Events to emit when the call really proceeds (after an approved confirmation and the
   * budget charge): the `tool.allowed` event with its provenance. Empty for refusals.
   */
  proceed: AuditEventData[];
}
