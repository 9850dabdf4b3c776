// The enforcement kernel (docs/design.md#the-kernel, docs/design.md#the-kernel, docs/design.md#actions, docs/design.md#unresolved-parts, docs/design.md#the-kernel). One pure
// function of (effective permissions, session state, described call) decides every call
// on every surface and returns every event the decision implies; no surface decides or
// builds a decision event itself. It never mutates the state: a surface adds 1 to
// callsUsed once the call really runs. Any exception inside denies (fail closed).

import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../../rules/types.js';
import type { Action, DescribedCall } from '../../describe/types.js';
import { toolMatches } from '../../rules/tool-pattern.js';
import { pathGlobMatches, globMayMatchUnder } from '../../rules/path-glob.js';
import type { ActionJudgement, AuditEventData, CallDecision, DecidingLayer, GrantUse, SessionState } from './types.js';
import { ruleAppliesToAction, type MatchMode } from './rule-applies.js';
import { surelyWritesFiles, writesFiles } from './protected.js';
import { layerRoot, placedRules, preparedFor, type PlacedRule } from './prepared.js';
import { actionRecord, confirmText, deniedText, notAllowedText, provenance, ruleText } from './provenance.js';
import { displayPath } from '../../io/display-path.js';
import { grantPermitting, liveGrants, type KernelGrant } from './grants.js';
import { formatRule } from '../../rules/format.js';

/** The capability name a `make` step is checked against (docs/design.md#runtime-semantics). */
export const MODEL_MAKE_TOOL = 'model.make';

export interface DecideOptions {
  /** Fields added to every event of this call (surface context: line, args, hook_tool, paths, …). */
  eventFields?: Record<string, unknown>;
  /** Extra protected entries (absolute globs) beyond the built-in protected set of docs/design.md#protected-state. */
  protect?: readonly string[];
  /** The call costs no budget (the proxy's meta-tools). */
  free?: boolean;
  /**
   * Live grants of this project and session (loadGrants in src/grants/store.ts). A grant
   * permits exactly what its rule permits, and only where no deny rule, no protected
   * entry and no task contract refuses (docs/grants.md).
   */
  grants?: readonly KernelGrant[];
  /** The clock grants are judged against (milliseconds); default Date.now(). */
  now?: number;
}

function firstApplying(rules: readonly PlacedRule[], action: Action, mode: MatchMode): PlacedRule | undefined {
  return rules.find((r) => ruleAppliesToAction(r.rule, action, r.root, mode));
}

function layerName(layer: PermissionLayer, root: string): string {
  const where = layer.file ? ` (${displayPath(layer.file, root)})` : '';
  return `${layer.kind} ${layer.name}${where}`;
}

/** The protected entry a writing action may touch, if any (docs/design.md#protected-state). */
function protectedHit(action: Action, entries: readonly string[], root: string): string | undefined {
  if (!writesFiles(action.cap)) return undefined;
  for (const p of action.paths ?? []) {
    if (p.unresolved || p.forms.length === 0) return entries[0];
    const hit = entries.find((e) => p.forms.some((f) => pathGlobMatches(e, root, f)));
    if (hit) return hit;
  }
  // A reach is a search root: only a known writer (rm -r, find -delete) writes a subtree;
  // an MCP tool is given a reach only when its name says it lists or searches.
  if (!surelyWritesFiles(action.cap)) return undefined;
  for (const r of action.reach ?? []) {
    if (r.unresolved || r.forms.length === 0) return entries[0];
    const hit = entries.find((e) => r.forms.some((f) => globMayMatchUnder(e, root, f)));
    if (hit) return hit;
  }
  return undefined;
}

interface Judged extends ActionJudgement {
  /** For not_allowed: the layer that lacks a permitting rule. */
  missingIn?: PermissionLayer;
  /** For confirm: the allow rule that permits the action once a person approves. */
  allowedBy?: { rule?: RuleSpec; layer?: DecidingLayer };
}

/** One action: protected state, then deny (any layer), then allow (every layer), then confirm. */
function judgeAction(perms: EffectivePermissions, action: Action, protect: readonly string[], deny: PlacedRule[], confirm: PlacedRule[], grants: readonly KernelGrant[]): Judged {
  const hit = protectedHit(action, protect, perms.cwd);
  if (hit !== undefined) return { action, verdict: 'deny', layer: 'protected', protectedEntry: hit };
  const d = firstApplying(deny, action, 'deny');
  if (d) return { action, verdict: 'deny', rule: d.rule, layer: d.layer };
  let allowRule: RuleSpec | undefined;
  let allowLayer: DecidingLayer | undefined;
  let granted: KernelGrant | undefined;
  for (const [layer, kind] of [[perms.task, 'task'], [perms.policy, 'policy']] as const) {
    if (!layer) continue;
    const root = layerRoot(layer, perms);
    // Zero allow rules permit nothing (docs/design.md#rules-and-permissions, a known defect of AEX 1).
    const r = layer.allow.find((rule) => ruleAppliesToAction(rule, action, root, 'allow'));
    if (!r) {
      // A grant stands in for the policy's allow rule only: a task's own list still binds.
      granted = kind === 'policy' && grants.length > 0 ? grantPermitting(grants, action, root) : undefined;
      if (!granted) return { action, verdict: 'not_allowed', layer: kind, missingIn: layer };
      allowRule = granted.rule;
      allowLayer = 'grant';
      continue;
    }
    // The policy's rule is the one reported: it is the user's authority.
    if (!allowRule || kind === 'policy') {
      allowRule = r;
      allowLayer = kind;
    }
  }
  const c = firstApplying(confirm, action, 'confirm');
  if (c) {
    // A grant answers the confirmation in advance only if it permits the action itself.
    const pre = granted ?? (grants.length > 0 ? grantPermitting(grants, action, layerRoot(perms.policy, perms)) : undefined);
    if (!pre) return { action, verdict: 'confirm', rule: c.rule, layer: c.layer, allowedBy: { ...(allowRule ? { rule: allowRule } : {}), ...(allowLayer ? { layer: allowLayer } : {}) } };
    const out: Judged = { action, verdict: 'allow', grant: grantUse(pre, granted ? 'allow' : 'confirm', c.rule) };
    if (allowRule) out.rule = allowRule;
    if (allowLayer) out.layer = allowLayer;
    return out;
  }
  const out: Judged = { action, verdict: 'allow' };
  if (allowRule) out.rule = allowRule;
  if (allowLayer) out.layer = allowLayer;
  if (granted) out.grant = grantUse(granted, 'allow');
  return out;
}

function grantUse(g: KernelGrant, use: GrantUse['use'], confirmed?: RuleSpec): GrantUse {
  const out: GrantUse = { id: g.id, rule: formatRule(g.rule), use };
  if (confirmed) out.confirms = ruleText(confirmed);
  return out;
}

function publicJudgement(j: Judged): ActionJudgement {
  const { missingIn: _missing, allowedBy: _allowedBy, ...rest } = j;
  return rest;
}

function budgetExhausted(perms: EffectivePermissions, state: SessionState): { used: number; budget: number } | null {
  const calls = perms.budget?.calls;
  if (calls === undefined) return null;
  const used = state?.callsUsed;
  if (typeof calls !== 'number' || Number.isNaN(calls) || typeof used !== 'number' || Number.isNaN(used) || used >= calls) {
    return { used: typeof used === 'number' && !Number.isNaN(used) ? used : 0, budget: typeof calls === 'number' && !Number.isNaN(calls) ? calls : 0 };
  }
  return null;
}

function failClosed(tool: string, err: unknown, fields: Record<string, unknown>): CallDecision {
  const why = err instanceof Error ? err.message : String(err);
  return {
    verdict: 'deny',
    message: `the permission check of ${tool} failed (${why}); the call is denied`,
    actions: [],
    events: [{ event: 'tool.denied', tool, reason: 'denied', error: why, ...fields }],
    proceed: [],
  };
}

/**
 * Decide a described call (docs/design.md#the-kernel): denied if any action is denied, else not allowed
 * if any action lacks a permitting allow rule, else — within budget — confirm if any
 * action needs confirmation, else allowed. A call costs one unit of budget whatever its
 * number of actions.
 */
export function decideCall(perms: EffectivePermissions, state: SessionState, call: DescribedCall, opts: DecideOptions = {}): CallDecision {
  const tool = typeof call?.tool === 'string' ? call.tool : String(call?.tool);
  const fields = opts.eventFields ?? {};
  try {
    if (typeof call.tool !== 'string' || !Array.isArray(call.actions) || call.actions.length === 0) throw new Error('malformed call: no actions');
    const root = perms.cwd;
    const { protect, deny, confirm } = preparedFor(perms, opts.protect);
    const grants = liveGrants(opts.grants, typeof opts.now === 'number' ? opts.now : Date.now());
    const judged = call.actions.map((a) => judgeAction(perms, a, protect, deny, confirm, grants));
    const actions = judged.map(publicJudgement);

    const denied = judged.find((j) => j.verdict === 'deny');
    if (denied) {
      const reason = denied.layer === 'protected' ? 'protected' : 'denied';
      return {
        verdict: 'deny',
        message: deniedText(denied, root),
        deciding: publicJudgement(denied),
        actions,
        events: [{ event: 'tool.denied', tool, reason, ...provenance(denied, root), ...fields }],
        proceed: [],
      };
    }
    const missing = judged.find((j) => j.verdict === 'not_allowed');
    if (missing) {
      return {
        verdict: 'not_allowed',
        message: notAllowedText(missing, layerName(missing.missingIn!, root), root),
        deciding: publicJudgement(missing),
        actions,
        events: [{ event: 'tool.denied', tool, reason: 'not_allowed', ...provenance(missing, root), ...fields }],
        proceed: [],
      };
    }
    if (!opts.free) {
      const over = budgetExhausted(perms, state);
      if (over) {
        return {
          verdict: 'budget_exhausted',
          message: `call budget exhausted (${over.budget} calls) before ${tool}`,
          actions,
          events: [{ event: 'budget.exhausted', tool, calls_used: over.used, budget: over.budget, ...fields }],
          proceed: [],
        };
      }
    }
    const allowed = [...grantEvents(tool, judged, root, fields), allowedEvent(tool, judged, root, fields)];
    const asks = judged.find((j) => j.verdict === 'confirm');
    if (asks) {
      return {
        verdict: 'confirm',
        message: confirmText(asks, root),
        deciding: publicJudgement(asks),
        actions,
        events: [{ event: 'confirm.required', tool, ...provenance(asks, root), ...fields }],
        proceed: allowed,
      };
    }
    return { verdict: 'allow', message: `${tool} allowed`, actions, events: [], proceed: allowed };
  } catch (err) {
    return failClosed(tool, err, fields);
  }
}

/** A judgement as it stands once the call runs: a confirmed action is allowed by its allow rule. */
function asAllowed(j: Judged): ActionJudgement {
  if (j.verdict !== 'confirm') return publicJudgement(j);
  const out: ActionJudgement = { action: j.action, verdict: 'allow' };
  if (j.allowedBy?.rule) out.rule = j.allowedBy.rule;
  if (j.allowedBy?.layer) out.layer = j.allowedBy.layer;
  return out;
}

/** One `grant.used` event per action a grant allowed or confirmed in advance, before tool.allowed. */
function grantEvents(tool: string, judged: readonly Judged[], root: string, fields: Record<string, unknown>): AuditEventData[] {
  const out: AuditEventData[] = [];
  for (const j of judged) {
    if (!j.grant) continue;
    const e: AuditEventData = { event: 'grant.used', tool, grant: j.grant.id, rule: j.grant.rule, use: j.grant.use };
    if (j.grant.confirms) e.confirms = j.grant.confirms;
    out.push({ ...e, action: actionRecord(j.action, root), ...fields });
  }
  return out;
}

/** The `tool.allowed` event: one action's provenance, or `actions` for a compound call. */
function allowedEvent(tool: string, judged: readonly Judged[], root: string, fields: Record<string, unknown>): AuditEventData {
  if (judged.length === 1) {
    const j = judged[0]!;
    return { event: 'tool.allowed', tool, ...provenance(asAllowed(j), root), ...fields };
  }
  return {
    event: 'tool.allowed',
    tool,
    actions: judged.map((j) => provenance(asAllowed(j), root)),
    ...fields,
  };
}

/**
 * Decide a `make` step (docs/design.md#runtime-semantics): denied when `model.make` matches an effective
 * deny rule — no allow rule is needed — then the call budget.
 */
export function decideModelCall(perms: EffectivePermissions, state: SessionState, line?: number): CallDecision {
  const tool = MODEL_MAKE_TOOL;
  const fields: Record<string, unknown> = typeof line === 'number' ? { line } : {};
  try {
    const action: Action = { cap: tool };
    const d = firstApplying(placedRules(perms, 'deny'), action, 'deny');
    if (d) {
      const j: ActionJudgement = { action, verdict: 'deny', rule: d.rule, layer: d.layer };
      return {
        verdict: 'deny',
        message: deniedText(j, perms.cwd),
        deciding: j,
        actions: [j],
        events: [{ event: 'tool.denied', tool, reason: 'denied', ...provenance(j, perms.cwd), ...fields }],
        proceed: [],
      };
    }
    const over = budgetExhausted(perms, state);
    if (over) {
      return {
        verdict: 'budget_exhausted',
        message: `call budget exhausted (${over.budget} calls) before ${tool}`,
        actions: [],
        events: [{ event: 'budget.exhausted', tool, calls_used: over.used, budget: over.budget, ...fields }],
        proceed: [],
      };
    }
    return { verdict: 'allow', message: `${tool} allowed`, actions: [{ action, verdict: 'allow' }], events: [], proceed: [] };
  } catch (err) {
    return failClosed(tool, err, fields);
  }
}

// ---------------------------------------------------------------------------
// Static questions (no call at hand): the proxy's tools/list filter, `aex review`.

function unconditional(rule: RuleSpec): boolean {
  return rule.path === undefined && !rule.alsoPaths?.length && rule.command === undefined && rule.host === undefined && rule.url === undefined && !rule.where?.length;
}

/** A deny rule that refuses `tool` whatever its arguments (no qualifier, no where). */
export function denyRuleForAnyCall(rules: readonly RuleSpec[], tool: string): RuleSpec | undefined {
  return rules.find((r) => unconditional(r) && toolMatches(tool, r.tool));
}

/**
 * Could some call of `tool` be allowed? Every present layer must have an allow rule
 * whose tool pattern matches (a qualified rule counts: a call with the right arguments
 * would pass) and no deny rule may refuse the tool outright.
 */
export function toolMayBeAllowed(perms: EffectivePermissions, tool: string): boolean {
  const layerOk = (l: PermissionLayer | undefined) => !l || l.allow.some((r) => toolMatches(tool, r.tool));
  if (!layerOk(perms.task) || !layerOk(perms.policy)) return false;
  return denyRuleForAnyCall([...perms.deny, ...(perms.task?.deny ?? []), ...(perms.policy?.deny ?? [])], tool) === undefined;
}
