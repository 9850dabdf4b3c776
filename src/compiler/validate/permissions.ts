import type { RuleNode } from '../ast.js';
import type { ValidationRule } from './context.js';
import { ruleUsable } from './rule-syntax.js';
import { patternWithin, toolMatches } from '../../rules/tool-pattern.js';
import { ruleCoveredBy } from '../../rules/intersect.js';
import type { RuleSpec } from '../../rules/types.js';
import { ruleSpecOf } from '../rule-spec.js';
import { commandPatternWithin } from '../../rules/command-pattern.js';
import { hostPatternWithin } from '../../rules/host-pattern.js';

const wellFormed = ruleUsable;

/** A rule that applies to its tool whatever the call's arguments. */
const unconditionalNode = (r: RuleNode) => !r.qualifier && !r.where?.length;
const unconditional = (r: RuleSpec) =>
  r.path === undefined && r.command === undefined && r.host === undefined && r.url === undefined && !r.where?.length && !r.alsoPaths?.length;

/** Two patterns overlap when some tool name could match both. */
function overlaps(a: string, b: string): boolean {
  return patternWithin(a, b) || patternWithin(b, a);
}

/** Does `a`'s qualifier contain `spec`'s (same kind; conservative: false when unsure)? */
function qualifierWithin(spec: RuleSpec, a: RuleSpec): boolean {
  try {
    if (a.command !== undefined) return spec.command !== undefined && commandPatternWithin(spec.command, a.command);
    if (a.host !== undefined) return spec.host !== undefined && hostPatternWithin(spec.host, a.host);
    if (a.url !== undefined) return spec.url === a.url;
    if (a.path !== undefined || a.alsoPaths?.length) {
      // Path globs and their conjunctions: the rule algebra of src/rules.
      return spec.path !== undefined && ruleCoveredBy({ tool: spec.tool, path: spec.path }, [a]);
    }
    return true; // `a` has no qualifier
  } catch {
    return false;
  }
}

/** Every where test of `a` is also one of `spec`'s, so `spec` is at least as narrow. */
function whereWithin(spec: RuleSpec, a: RuleSpec): boolean {
  return (a.where ?? []).every((t) => (spec.where ?? []).some((u) => JSON.stringify(u) === JSON.stringify(t)));
}

/**
 * AEX015 coverage: some allow rule's tool pattern contains the request's, its qualifier
 * (of the same kind) contains the request's, and its where tests are among the
 * request's. Conservative: "not covered" when containment cannot be shown.
 */
function coveredByPolicy(r: RuleNode, allow: RuleSpec[]): boolean {
  const spec = ruleSpecOf(r);
  return allow.some((a) => patternWithin(spec.tool, a.tool) && qualifierWithin(spec, a) && whereWithin(spec, a));
}

/**
 * AEX010 `do` tool not requested by any `use` rule, AEX011 `do` tool denied by the
 * task, AEX012 `use` rule no step needs, AEX013 `confirm` rule that matches no
 * requested tool, AEX015 a request the active policy does not permit.
 */
export const permissionsRule: ValidationRule = {
  name: 'permissions',
  run(ctx) {
    const grants = ctx.grantRules.filter(wellFormed);
    const denies = ctx.denyRules.filter(wellFormed);
    if (ctx.kind === 'task') {
      const used = new Set<RuleNode>();
      const hasMake = ctx.statementsOf('make').length > 0;
      // A task calls few tools many times: what the rules say of a tool is worked out once.
      const seen = new Map<string, { granted: boolean; deny: RuleNode | undefined }>();
      for (const s of ctx.statementsOf('do')) {
        let verdict = seen.get(s.tool);
        if (verdict === undefined) {
          const granting = grants.filter((r) => toolMatches(s.tool, r.tool));
          granting.forEach((r) => used.add(r));
          verdict = { granted: granting.length > 0, deny: denies.find((r) => unconditionalNode(r) && toolMatches(s.tool, r.tool)) };
          seen.set(s.tool, verdict);
        }
        if (!verdict.granted) {
          ctx.report('AEX010', 'error', `tool "${s.tool}" is not requested by any \`use\` rule`, s.pos);
        }
        if (verdict.deny) ctx.report('AEX011', 'error', `tool "${s.tool}" is denied by \`deny ${verdict.deny.text}\``, s.pos);
      }
      for (const r of grants) {
        if (used.has(r)) continue;
        if (hasMake && toolMatches('model.make', r.tool)) continue;
        ctx.report('AEX012', 'warning', `\`use ${r.text}\` is not needed by any step; request only what the task calls`, r.pos);
      }
    }
    for (const c of ctx.confirmRules.filter(wellFormed)) {
      if (!grants.some((g) => overlaps(c.tool, g.tool))) {
        const word = ctx.kind === 'policy' ? 'allow' : 'use';
        ctx.report('AEX013', 'warning', `\`confirm before ${c.text}\` matches no \`${word}\` rule`, c.pos);
      }
    }
    if (ctx.policy && ctx.kind === 'task') {
      const policyAllow = ctx.policy.allow;
      const policyDeny = ctx.policy.deny.filter((d) => unconditional(d));
      for (const r of grants) {
        const deniedBy = policyDeny.find((d) => patternWithin(r.tool, d.tool));
        if (deniedBy) {
          ctx.report('AEX015', 'error', `\`use ${r.text}\` is denied by the policy rule \`${deniedBy.tool}\``, r.pos);
        } else if (!coveredByPolicy(r, policyAllow)) {
          ctx.report('AEX015', 'error', `\`use ${r.text}\` is not permitted by the policy's allow rules`, r.pos);
        }
      }
    }
  },
};
