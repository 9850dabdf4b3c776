import type { RuleNode } from '../ast.js';
import type { ValidationRule } from './context.js';
import { walk } from './context.js';
import { ruleUsable } from './rule-syntax.js';
import { patternWithin, toolMatches } from '../../rules/tool-pattern.js';
import { ruleCoveredBy } from '../../rules/intersect.js';
import type { RuleSpec } from '../../rules/types.js';
import { ruleSpecOf } from '../rule-spec.js';

const wellFormed = ruleUsable;

/** A rule that applies to its tool whatever the call's arguments. */
const unconditionalNode = (r: RuleNode) => !r.qualifier && !r.where?.length;
const unconditional = (r: RuleSpec) =>
  r.path === undefined && r.command === undefined && r.host === undefined && r.url === undefined && !r.where?.length && !r.alsoPaths?.length;

/**
 * AEX015 coverage. Path globs go through the rule algebra; a command, host, URL or
 * where qualifier is covered only by an allow rule without any qualifier, or by one
 * with the very same qualifier and where tests (conservative: "not covered" at worst).
 */
function coveredByPolicy(r: RuleNode, allow: RuleSpec[]): boolean {
  const spec = ruleSpecOf(r);
  if (!spec.command && !spec.host && !spec.url && !spec.where?.length) {
    return ruleCoveredBy({ tool: spec.tool, path: spec.path }, allow.filter((a) => !a.command && !a.host && !a.url && !a.where?.length));
  }
  const same = (a: RuleSpec) =>
    a.command === spec.command && a.host === spec.host && a.url === spec.url && a.path === spec.path && !a.alsoPaths?.length &&
    JSON.stringify(a.where ?? []) === JSON.stringify(spec.where ?? []);
  return allow.some((a) => patternWithin(spec.tool, a.tool) && (unconditional(a) || same(a)));
}

/** Two patterns overlap when some tool name could match both. */
function overlaps(a: string, b: string): boolean {
  return patternWithin(a, b) || patternWithin(b, a);
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
      let hasMake = false;
      walk(ctx.doc.body, (s) => {
        if (s.type === 'make') hasMake = true;
        if (s.type !== 'do') return;
        const granting = grants.filter((r) => toolMatches(s.tool, r.tool));
        granting.forEach((r) => used.add(r));
        if (granting.length === 0) {
          ctx.report('AEX010', 'error', `tool "${s.tool}" is not requested by any \`use\` rule`, s.pos);
        }
        const deny = denies.find((r) => unconditionalNode(r) && toolMatches(s.tool, r.tool));
        if (deny) ctx.report('AEX011', 'error', `tool "${s.tool}" is denied by \`deny ${deny.text}\``, s.pos);
      });
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
