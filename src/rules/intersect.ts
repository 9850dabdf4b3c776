// Pattern algebra over allow rules (SPEC §4.5 "Displayed effective allow list",
// §6.2 `extends` narrowing, AEX015 coverage). Everything here is conservative: when
// it cannot prove that one pattern lies inside another it answers "no", which at
// worst shows a narrower list or reports a task as exceeding a policy.

import path from 'node:path';
import type picomatchType from 'picomatch';
import { loadPicomatch } from './picomatch-lazy.js';
import type { RuleSpec } from './types.js';
import { GLOB_OPTIONS, patternWithin } from './match.js';

export interface AllowRuleLike {
  tool: string;
  path?: string;
  alsoPaths?: string[];
}

const HAS_GLOB = /[*?]/;

function normGlob(g: string, cwd: string): string {
  return path.isAbsolute(g) ? path.normalize(g) : path.join(cwd, g);
}

/** Segment-wise proof that every path matched by `inner` is matched by `outer`. */
function segsWithin(inner: string[], outer: string[], i = 0, j = 0): boolean {
  if (j === outer.length) return i === inner.length;
  const o = outer[j]!;
  if (o === '**') {
    // `**` absorbs zero segments, or one more inner segment (whatever it is).
    if (segsWithin(inner, outer, i, j + 1)) return true;
    return i < inner.length && segsWithin(inner, outer, i + 1, j);
  }
  if (i === inner.length) return false;
  const s = inner[i]!;
  if (s === '**') return false;
  if (!segWithin(s, o)) return false;
  return segsWithin(inner, outer, i + 1, j + 1);
}

function segWithin(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  if (outer === '*') return true;
  if (!HAS_GLOB.test(inner)) return loadPicomatch()(outer, GLOB_OPTIONS)(inner);
  // Both contain wildcards: accept `pre*suf` outer around an inner with the same
  // fixed prefix and suffix (e.g. `*.ts` ⊇ `foo*.ts`); anything subtler is "no".
  const star = outer.indexOf('*');
  if (star < 0 || outer.indexOf('*', star + 1) >= 0 || outer.includes('?')) return false;
  const pre = outer.slice(0, star);
  const suf = outer.slice(star + 1);
  return inner.length >= pre.length + suf.length && inner.startsWith(pre) && inner.endsWith(suf) && !HAS_GLOB.test(pre + suf);
}

/** True when every path matched by glob `inner` is also matched by glob `outer`. */
export function globWithin(inner: string, outer: string, cwd: string = process.cwd()): boolean {
  const a = normGlob(inner, cwd);
  const b = normGlob(outer, cwd);
  if (a === b) return true;
  return segsWithin(a.split('/'), b.split('/'));
}

function globsOf(r: AllowRuleLike): string[] {
  return r.path === undefined ? [] : [r.path, ...(r.alsoPaths ?? [])];
}

/**
 * Is everything `rule` permits also permitted by `by`? Tool pattern inside, and each
 * glob of `by` (a conjunction) contains some glob of `rule`.
 */
export function ruleWithin(rule: AllowRuleLike, by: AllowRuleLike, cwd: string = process.cwd()): boolean {
  if (!patternWithin(rule.tool, by.tool)) return false;
  const outer = globsOf(by);
  if (outer.length === 0) return true;
  const inner = globsOf(rule);
  if (inner.length === 0) return false;
  return outer.every((o) => inner.some((i) => globWithin(i, o, cwd)));
}

/**
 * AEX015: is a task `use` rule permitted by a policy's allow rules? Its tool pattern
 * must lie within some allow pattern whose path part, if any, is at least as broad.
 * Relative globs are compared after resolving against the process cwd.
 */
export function ruleCoveredBy(rule: { tool: string; path?: string }, allow: Array<{ tool: string; path?: string }>): boolean {
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

/** Intersection of two allow rules (tool and path parts), or null when disjoint. */
export function intersectRules(a: AllowRuleLike, b: AllowRuleLike, cwd: string = process.cwd()): RuleSpec | null {
  const tool = intersectToolPatterns(a.tool, b.tool);
  if (tool === null) return null;
  const globs = intersectGlobs(globsOf(a), globsOf(b), cwd);
  const out: RuleSpec = { tool };
  if (globs.length > 0) out.path = globs[0]!;
  if (globs.length > 1) out.alsoPaths = globs.slice(1);
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
    return o;
  };
  if (taskRules === undefined && policyRules === undefined) return [];
  if (taskRules === undefined) return dedupeRules(policyRules!.map(strip), cwd);
  if (policyRules === undefined) return dedupeRules(taskRules.map(strip), cwd);
  return intersectAllowLists(taskRules, policyRules, cwd);
}
