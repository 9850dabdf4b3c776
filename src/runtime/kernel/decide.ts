// The enforcement kernel (ARCHITECTURE principle 2, SPEC §4.4 Rule steps 2 and 4,
// §4.5, §4.7). A pure function of (effective permissions, session state, request):
// it never mutates the state — callers add 1 to callsUsed once the call is really
// going to run (after confirmation). Any exception inside denies (fail closed).

import type { AuditEventData, DecisionResult, SessionState, ToolCallRequest } from './types.js';
import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../../rules/types.js';
import { formatRule, ruleMatchesCall } from '../../rules/match.js';
import { canonicalPath } from '../policy/paths.js';

/** The capability name a `make` step is checked against (SPEC §4.6 Rule). */
export const MODEL_MAKE_TOOL = 'model.make';

function withLine(ev: AuditEventData, line: number | undefined): AuditEventData {
  if (typeof line === 'number') ev.line = line;
  return ev;
}

function layerPermits(layer: PermissionLayer | undefined, call: ToolCallRequest, cwd: string): boolean {
  if (!layer) return true;
  // Zero allow rules permit nothing (SPEC §4.5 Rule, §10 item 21).
  return layer.allow.some((r) => ruleMatchesCall(r, call.tool, call.paths, cwd, 'allow'));
}

/** The first deny rule (task layer's first, then the policy's) that applies to the call. */
export function findDenyRule(perms: EffectivePermissions, call: ToolCallRequest): RuleSpec | undefined {
  const rules = [...(perms.deny ?? []), ...(perms.task?.deny ?? []), ...(perms.policy?.deny ?? [])];
  return rules.find((r) => ruleMatchesCall(r, call.tool, call.paths, perms.cwd, 'deny'));
}

export function findConfirmRule(perms: EffectivePermissions, call: ToolCallRequest): RuleSpec | undefined {
  const rules = [...(perms.confirm ?? []), ...(perms.task?.confirm ?? []), ...(perms.policy?.confirm ?? [])];
  return rules.find((r) => ruleMatchesCall(r, call.tool, call.paths, perms.cwd, 'confirm'));
}

/**
 * A deny rule that refuses `tool` whatever its paths (one without a path part).
 * Static questions (the proxy's tools/list filter, `aex review`) ask this; a call
 * itself is always judged by decideToolCall.
 */
export function denyRuleForAnyCall(rules: readonly RuleSpec[], tool: string, cwd: string): RuleSpec | undefined {
  return rules.find((r) => ruleMatchesCall(r, tool, [], cwd, 'deny'));
}

/**
 * Could some call of `tool` be allowed? Every present layer must have an allow rule
 * whose tool pattern matches (a path-qualified rule counts: a call with the right
 * path would pass) and no deny rule may refuse the tool outright.
 */
export function toolMayBeAllowed(perms: EffectivePermissions, tool: string): boolean {
  const layerOk = (l: PermissionLayer | undefined) => !l || l.allow.some((r) => ruleMatchesCall({ tool: r.tool }, tool, [], perms.cwd, 'allow'));
  if (!layerOk(perms.task) || !layerOk(perms.policy)) return false;
  return findDenyRule(perms, { tool, paths: [] }) === undefined;
}

function budgetCheck(perms: EffectivePermissions, state: SessionState, tool: string, line: number | undefined): DecisionResult | null {
  const calls = perms.budget?.calls;
  if (calls === undefined) return null;
  const used = state.callsUsed;
  if (typeof calls !== 'number' || Number.isNaN(calls) || typeof used !== 'number' || Number.isNaN(used) || used >= calls) {
    const budget = typeof calls === 'number' ? calls : 0;
    return {
      decision: { verdict: 'budget_exhausted', callsUsed: used, budget, message: `Call budget exhausted while executing "${tool}".` },
      events: [withLine({ event: 'budget.exhausted', tool, calls_used: used, budget }, line)],
    };
  }
  return null;
}

function failClosed(tool: string, line: number | undefined, err: unknown): DecisionResult {
  const why = err instanceof Error ? err.message : String(err);
  return {
    decision: { verdict: 'deny', reason: 'denied', message: `Tool "${tool}" is denied: the permission check failed (${why}).` },
    events: [withLine({ event: 'tool.denied', tool, reason: 'denied', error: why }, line)],
  };
}

/**
 * Decide one tool call: allowed by every present layer's allow rules, not denied by
 * any deny rule, within budget. Allow → needsConfirmation when a confirm rule applies.
 */
export function decideToolCall(perms: EffectivePermissions, state: SessionState, call: ToolCallRequest): DecisionResult {
  const tool = typeof call?.tool === 'string' ? call.tool : String(call?.tool);
  const line = call?.line;
  try {
    if (typeof call.tool !== 'string' || !Array.isArray(call.paths)) throw new Error('malformed call request');
    // Callers should pass canonical paths; canonicalising again is idempotent and makes
    // a relative or symlinked path from a careless caller unable to dodge a deny rule.
    call = { ...call, paths: call.paths.map((p) => canonicalPath(p, perms.cwd)) };
    const allowed = layerPermits(perms.task, call, perms.cwd) && layerPermits(perms.policy, call, perms.cwd);
    if (!allowed) {
      return {
        decision: { verdict: 'deny', reason: 'not_allowed', message: `Tool "${tool}" is not allowed by contract or policy.` },
        events: [withLine({ event: 'tool.denied', tool, reason: 'not_allowed' }, line)],
      };
    }
    const deny = findDenyRule(perms, call);
    if (deny) return deniedBy(deny, tool, line);
    const budget = budgetCheck(perms, state, tool, line);
    if (budget) return budget;
    const confirmRule = findConfirmRule(perms, call);
    return {
      decision: confirmRule ? { verdict: 'allow', needsConfirmation: true, confirmRule } : { verdict: 'allow', needsConfirmation: false },
      events: [],
    };
  } catch (err) {
    return failClosed(tool, line, err);
  }
}

/** The `denied` outcome (AEX051) for the deny rule that matched. */
function deniedBy(deny: RuleSpec, tool: string, line: number | undefined): DecisionResult {
  const rule = formatRule(deny);
  return {
    decision: { verdict: 'deny', reason: 'denied', rule, message: `Tool "${tool}" is denied by policy rule ${rule}.` },
    events: [withLine({ event: 'tool.denied', tool, reason: 'denied', rule }, line)],
  };
}

/**
 * Decide a `make` step (SPEC §4.6 Rule): denied (AEX051) when `model.make` matches an
 * effective deny rule — no allow rule is needed — then the call budget.
 */
export function decideModelCall(perms: EffectivePermissions, state: SessionState, line?: number): DecisionResult {
  const tool = MODEL_MAKE_TOOL;
  try {
    const deny = findDenyRule(perms, { tool, paths: [] });
    if (deny) return deniedBy(deny, tool, line);
    const budget = budgetCheck(perms, state, tool, line);
    if (budget) return budget;
    return { decision: { verdict: 'allow', needsConfirmation: false }, events: [] };
  } catch (err) {
    return failClosed(tool, line, err);
  }
}
