// Pattern algebra over allow rules (docs/design.md#rules-and-permissions "Displayed effective allow list",
// docs/design.md#rules-and-permissions `extends` narrowing, AEX015 coverage). Everything here is conservative: when
// it cannot prove that one pattern lies inside another it answers "no", which at
// worst shows a narrower list or reports a task as exceeding a policy.

import { commandPatternWithin } from './command-pattern.js';
import { hostPatternWithin, urlGlobMatches } from './host-pattern.js';
import { resolvePathGlob } from './path-glob.js';
import { patternWithin } from './tool-pattern.js';
import type { RuleSpec, WhereTest } from './types.js';
import { jsonEqual } from './where.js';
import { compileWildcard, hasWildcard, wildcardWithin } from './wildcard.js';

/** The parts of a rule that decide what it covers. */
export type AllowRuleLike = Pick<RuleSpec, 'tool' | 'path' | 'alsoPaths' | 'command' | 'host' | 'url' | 'where'>;

/**
 * Segment-wise proof that every path matched by `inner` is matched by `outer`;
 * memoised over (inner position, outer position), so many `**` stay polynomial.
 */
function segsWithin(inner: string[], outer: string[]): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (outer.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (j === outer.length) r = i === inner.length;
    else if (outer[j] === '**') r = go(i, j + 1) || (i < inner.length && go(i + 1, j));
    else if (i === inner.length || inner[i] === '**') r = false;
    else r = wildcardWithin(compileWildcard(inner[i]!), compileWildcard(outer[j]!)) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** True when every path matched by glob `inner` is also matched by glob `outer`. */
export function globWithin(inner: string, outer: string, cwd: string = process.cwd()): boolean {
  let a: string;
  let b: string;
  try {
    a = resolvePathGlob(inner, cwd);
    b = resolvePathGlob(outer, cwd);
  } catch {
    return false;
  }
  if (a === b) return true;
  const segs = (g: string) => g.split('/').filter((x) => x.length > 0);
  return segsWithin(segs(a), segs(b));
}

function safely(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

/** Every test of `outer` also appears in `inner` (a conjunction implies its parts). */
function whereWithin(inner: WhereTest[] | undefined, outer: WhereTest[] | undefined): boolean {
  return (outer ?? []).every((o) => (inner ?? []).some((i) => jsonEqual(i, o)));
}

/** Inner URL glob within outer: identical, or a wildcard-free inner URL the outer glob matches. */
function urlWithin(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  if (hasWildcard(compileWildcard(inner))) return false;
  return safely(() => urlGlobMatches(outer, inner));
}

/** Is every call the qualifier of `rule` permits also permitted by the qualifier of `by`? */
function qualifierWithin(rule: AllowRuleLike, by: AllowRuleLike, cwd: string): boolean {
  if (by.command !== undefined) return rule.command !== undefined && safely(() => commandPatternWithin(rule.command!, by.command!));
  if (by.host !== undefined) return rule.host !== undefined && safely(() => hostPatternWithin(rule.host!, by.host!));
  if (by.url !== undefined) {
    if (rule.url !== undefined) return urlWithin(rule.url, by.url);
    return false;
  }
  const outer = globsOf(by);
  if (outer.length === 0) return true;
  const inner = globsOf(rule);
  if (inner.length === 0) return false;
  return outer.every((o) => inner.some((i) => globWithin(i, o, cwd)));
}

function globsOf(r: AllowRuleLike): string[] {
  return r.path === undefined ? [] : [r.path, ...(r.alsoPaths ?? [])];
}

/**
 * Is everything `rule` permits also permitted by `by`? Tool pattern inside, and each
 * glob of `by` (a conjunction) contains some glob of `rule`.
 */
export function ruleWithin(rule: AllowRuleLike, by: AllowRuleLike, cwd: string = process.cwd()): boolean {
  return patternWithin(rule.tool, by.tool) && qualifierWithin(rule, by, cwd) && whereWithin(rule.where, by.where);
}

/**
 * AEX015: is a task `use` rule permitted by a policy's allow rules? Its tool pattern
 * must lie within some allow pattern whose path part, if any, is at least as broad.
 * Relative globs are compared after resolving against the process cwd.
 */
export function ruleCoveredBy(rule: AllowRuleLike, allow: AllowRuleLike[]): boolean {
  return allow.some((a) => ruleWithin(rule, a));
}

/** Intersection of two tool patterns, or null when no name matches both. */
export function intersectToolPatterns(a: string, b: string): string | null {
  if (patternWithin(a, b)) return a;
  if (patternWithin(b, a)) return b;
  return null;
}

function intersectGlobs(a: string[], b: string[], cwd: string): string[] {
  const all = [...a, ...b];
  // Drop any glob that another (different) glob of the conjunction lies within.
  const kept: string[] = [];
  for (let i = 0; i < all.length; i++) {
    const g = all[i]!;
    const redundant = all.some((h, j) => j !== i && globWithin(h, g, cwd) && !(globWithin(g, h, cwd) && j > i));
    if (!redundant && !kept.includes(g)) kept.push(g);
  }
  return kept;
}

type NonPathField = 'command' | 'host' | 'url';
const NON_PATH: NonPathField[] = ['command', 'host', 'url'];

function fieldOf(r: AllowRuleLike): NonPathField | 'path' | null {
  for (const f of NON_PATH) if (r[f] !== undefined) return f;
  return r.path !== undefined ? 'path' : null;
}

/** The narrower of two qualifiers of one kind, or undefined when neither is provably inside the other. */
function narrowerQualifier(field: NonPathField, a: string, b: string): string | undefined {
  const within = (x: string, y: string): boolean =>
    x === y ||
    safely(() => (field === 'command' ? commandPatternWithin(x, y) : field === 'host' ? hostPatternWithin(x, y) : urlWithin(x, y)));
  if (within(a, b)) return a;
  if (within(b, a)) return b;
  return undefined;
}

/**
 * Intersection of two allow rules, or null when disjoint or not expressible.
 *  - tool patterns: the inner one (null when neither lies inside the other);
 *  - path globs: the more specific, or both as a conjunction (alsoPaths);
 *  - command, host or url: the narrower one when one provably lies inside the other;
 *    two that cannot be compared are dropped (null), because a rule holds at most one
 *    such qualifier — the displayed list is then narrower than the truth, never wider;
 *  - qualifiers of different kinds: null (the same reason);
 *  - `where`: both conjunctions joined.
 */
export function intersectRules(a: AllowRuleLike, b: AllowRuleLike, cwd: string = process.cwd()): RuleSpec | null {
  const tool = intersectToolPatterns(a.tool, b.tool);
  if (tool === null) return null;
  const out: RuleSpec = { tool };
  const fa = fieldOf(a);
  const fb = fieldOf(b);
  if (fa !== null && fb !== null && fa !== fb) return null;
  const field = fa ?? fb;
  if (field === 'path' || field === null) {
    const globs = intersectGlobs(globsOf(a), globsOf(b), cwd);
    if (globs.length > 0) out.path = globs[0]!;
    if (globs.length > 1) out.alsoPaths = globs.slice(1);
  } else {
    const qa = a[field];
    const qb = b[field];
    const q = qa !== undefined && qb !== undefined ? narrowerQualifier(field, qa, qb) : (qa ?? qb);
    if (q === undefined) return null;
    out[field] = q;
  }
  const where: WhereTest[] = [];
  for (const t of [...(a.where ?? []), ...(b.where ?? [])]) if (!where.some((w) => jsonEqual(w, t))) where.push(t);
  if (where.length > 0) out.where = where;
  return out;
}

/** Removes duplicates and rules subsumed by another rule of the list (first one wins on ties). */
export function dedupeRules(rules: RuleSpec[], cwd: string = process.cwd()): RuleSpec[] {
  const out: RuleSpec[] = [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const subsumed = rules.some((o, j) => {
      if (j === i || !ruleWithin(r, o, cwd)) return false;
      // Mutual containment (equal rules): keep only the first.
      return !ruleWithin(o, r, cwd) || j < i;
    });
    if (!subsumed) out.push(r);
  }
  return out;
}

/** Pairwise intersection of two allow lists (both must permit), deduplicated. */
export function intersectAllowLists(a: AllowRuleLike[], b: AllowRuleLike[], cwd: string = process.cwd()): RuleSpec[] {
  const out: RuleSpec[] = [];
  for (const x of a) {
    for (const y of b) {
      const r = intersectRules(x, y, cwd);
      if (r) out.push(r);
    }
  }
  return dedupeRules(out, cwd);
}

/**
 * The allow list shown by `aex effective`, `review` and the proxy banner. A missing
 * layer (undefined) does not restrict; an empty list permits nothing.
 */
export function effectiveAllowList(
  taskRules: AllowRuleLike[] | undefined,
  policyRules: AllowRuleLike[] | undefined,
  cwd: string = process.cwd(),
): RuleSpec[] {
  const strip = (r: AllowRuleLike): RuleSpec => {
    const o: RuleSpec = { tool: r.tool };
    if (r.path !== undefined) o.path = r.path;
    if (r.alsoPaths?.length) o.alsoPaths = [...r.alsoPaths];
    for (const f of NON_PATH) if (r[f] !== undefined) o[f] = r[f];
    if (r.where?.length) o.where = r.where.map((t) => ({ ...t, arg: [...t.arg] }));
    return o;
  };
  if (taskRules === undefined && policyRules === undefined) return [];
  if (taskRules === undefined) return dedupeRules(policyRules!.map(strip), cwd);
  if (policyRules === undefined) return dedupeRules(taskRules.map(strip), cwd);
  return intersectAllowLists(taskRules, policyRules, cwd);
}
