// Policy + task merge (docs/design.md#rules-and-permissions): allow is not merged here — the kernel asks each
// layer separately, because "both must permit" cannot be flattened into one list
// without losing path conjunctions. Deny and confirm are unions, budget the minimum.

import type { EffectivePermissions, PermissionLayer, RuleSpec } from './types.js';
import { jsonEqual } from './where.js';

/** Same tool, same qualifier of every kind, same conjunction and same `where` tests. */
export function sameRule(a: RuleSpec, b: RuleSpec): boolean {
  return (
    a.tool === b.tool &&
    a.path === b.path &&
    a.command === b.command &&
    a.host === b.host &&
    a.url === b.url &&
    jsonEqual(a.alsoPaths ?? [], b.alsoPaths ?? []) &&
    jsonEqual(a.where ?? [], b.where ?? [])
  );
}

/** Union of rule lists, first occurrence kept (so its `origin` survives). */
export function unionRules(...lists: Array<RuleSpec[] | undefined>): RuleSpec[] {
  const out: RuleSpec[] = [];
  for (const list of lists) for (const r of list ?? []) if (!out.some((o) => sameRule(o, r))) out.push(r);
  return out;
}

/** Per-key minimum of the keys defined in any of the budgets. */
export function minBudget(...budgets: Array<Record<string, number> | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of budgets) {
    if (!b) continue;
    for (const [k, v] of Object.entries(b)) {
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      out[k] = k in out ? Math.min(out[k]!, v) : v;
    }
  }
  return out;
}

export function mergePermissions(opts: { task?: PermissionLayer; policy?: PermissionLayer; cwd: string }): EffectivePermissions {
  const { task, policy, cwd } = opts;
  const perms: EffectivePermissions = {
    deny: unionRules(task?.deny, policy?.deny),
    confirm: unionRules(task?.confirm, policy?.confirm),
    budget: minBudget(task?.budget, policy?.budget),
    cwd,
  };
  if (task) perms.task = task;
  if (policy) perms.policy = policy;
  // `shell TOOL` in either layer makes AEX read that tool's calls as command lines.
  const shells = [...new Set([...(task?.shells ?? []), ...(policy?.shells ?? [])])];
  if (shells.length) perms.shells = shells;
  return perms;
}
