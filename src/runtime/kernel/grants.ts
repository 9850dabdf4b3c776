// Grants as the kernel sees them (docs/grants.md): a person's time-bounded approval of
// exactly one rule. For an action that no deny rule and no protected entry refuses, a
// live grant whose rule permits the action (the allow question: every form, nothing
// unresolved) stands in for the policy layer's missing allow rule, or answers the
// action's confirmation in advance. A grant is never wider than its rule and never
// touches a deny rule, protected state or a task contract's own `use` list.

import type { RuleSpec } from '../../rules/types.js';
import { qualifierKind } from '../../rules/qualifier.js';
import type { Action } from '../../describe/types.js';
import { ruleAppliesToAction } from './rule-applies.js';

/** One live grant, as a surface hands it to decideCall (loadGrants in src/grants/store.ts). */
export interface KernelGrant {
  /** Random id (`g-…`), named in every event the grant causes. */
  id: string;
  /** The granted rule, exactly as `aex grant` was given it. */
  rule: RuleSpec;
  /** Milliseconds since the epoch; at or after it the grant is ignored. */
  expiresAt: number;
}

/**
 * Why a rule cannot be granted (null when it can). A grant names one capability, never
 * a family: a tool pattern with `*` would be wider than the approval a person gives.
 * Shell commands, files and the network have no safe unqualified form (an unqualified
 * `shell.exec` grant would be any program at all), so they need a qualifier.
 */
export function grantRuleProblem(rule: RuleSpec): string | null {
  if (typeof rule?.tool !== 'string' || rule.tool === '') return 'a grant names a capability';
  if (/[*?]/.test(rule.tool)) return `a grant names exactly one capability, not a pattern (${rule.tool})`;
  const qualified = rule.path !== undefined || rule.command !== undefined || rule.host !== undefined || rule.url !== undefined;
  const family = qualifierKind(rule.tool);
  const needsQualifier = family !== 'path' || rule.tool.startsWith('file.') || rule.tool.startsWith('git.');
  if (needsQualifier && !qualified) {
    const what = family === 'command' ? 'a command pattern' : family === 'network' ? 'a host or URL' : 'a path glob';
    return `a grant of ${rule.tool} needs ${what} (for example ${rule.tool}:${family === 'command' ? '"npm test"' : family === 'network' ? 'registry.npmjs.org' : 'src/**'})`;
  }
  // A qualifier that names nothing in particular is the unqualified rule again.
  if (rule.command !== undefined) {
    const program = rule.command.trim().split(/\s+/)[0] ?? '';
    if (program === '' || /[*?]/.test(program)) return `a granted command names its program (${JSON.stringify(rule.command)})`;
  }
  if (rule.path !== undefined) {
    // `..` would let a narrow-looking glob name a wider folder (`./src/../**` is the whole
    // project, `./x/../../**` its parent): a person writes the folder itself instead.
    if (rule.path.split(/[\\/]/).includes('..')) return `a granted path glob may not contain ".." (${JSON.stringify(rule.path)}): name the folder itself`;
    const bare = rule.path.trim().replace(/\/+$/, '');
    if (/^(?:[~.]?\/)?\*\*?(?:\/\*\*?)*$/.test(bare) || bare === '' || bare === '.' || bare === '~') return `a granted path glob names a folder or file (${JSON.stringify(rule.path)})`;
  }
  if (rule.host !== undefined && /^[*.]*$/.test(rule.host)) return `a granted host names a host (${JSON.stringify(rule.host)})`;
  return null;
}

/** The grants that hold at `now`: not expired, well-formed and bounded. */
export function liveGrants(grants: readonly KernelGrant[] | undefined, now: number): KernelGrant[] {
  if (!Array.isArray(grants) || grants.length === 0) return [];
  return grants.filter(
    (g) =>
      g !== null &&
      typeof g === 'object' &&
      typeof g.id === 'string' &&
      typeof g.expiresAt === 'number' &&
      Number.isFinite(g.expiresAt) &&
      g.expiresAt > now &&
      grantRuleProblem(g.rule) === null,
  );
}

/** The first grant whose rule permits the action for every value it may take. */
export function grantPermitting(grants: readonly KernelGrant[], action: Action, root: string): KernelGrant | undefined {
  return grants.find((g) => ruleAppliesToAction(g.rule, action, root, 'allow'));
}
