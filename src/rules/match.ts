// The one place where tool patterns are matched (SPEC §4.5). Validator, runtime,
// gate and proxy all call these functions.

import path from 'node:path';
import type picomatchType from 'picomatch';
import { loadPicomatch } from './picomatch-lazy.js';
import type { RuleSpec } from './types.js';


/**
 * `*` matches everything; `p.*` matches `p` itself and any name starting with `p.`
 * (dot boundary: `network.*` matches `network.fetch`, never `networkx.y`);
 * anything else is exact, case-sensitive equality.
 */
export function toolMatches(name: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -2);
    return name === prefix || name.startsWith(prefix + '.');
  }
  return name === pattern;
}

/** True when every tool name matched by `inner` is also matched by `outer`. */
export function patternWithin(inner: string, outer: string): boolean {
  if (outer === '*') return true;
  if (inner === '*') return false;
  if (inner.endsWith('.*')) {
    if (!outer.endsWith('.*')) return false;
    return toolMatches(inner.slice(0, -2), outer);
  }
  return toolMatches(inner, outer);
}

// ---------------------------------------------------------------------------
// Path qualifiers (SPEC §4.5)


/** Only `**`, `*` and `?` are special; braces, brackets, extglobs and `!` are literal. */
export const GLOB_OPTIONS: picomatchType.PicomatchOptions = {
  dot: true,
  nobrace: true,
  nobracket: true,
  noextglob: true,
  nonegate: true,
};

const GLOB_CHARS = /[*?]/;

export type RuleKind = 'allow' | 'deny' | 'confirm';

interface CompiledGlob {
  /** Canonical directory (or file) part of the glob, without glob characters. */
  base: string;
  /** The remainder, matched against the path relative to `base`; '' = exact. */
  rest: string;
  test: ((p: string) => boolean) | null;
}

const matcherCache = new Map<string, (p: string) => boolean>();

function restMatcher(rest: string): (p: string) => boolean {
  let m = matcherCache.get(rest);
  if (!m) {
    m = loadPicomatch()(rest, GLOB_OPTIONS);
    if (matcherCache.size > 1000) matcherCache.clear();
    matcherCache.set(rest, m);
  }
  return m;
}

/**
 * Resolves a rule's glob against `cwd` and canonicalises its literal directory
 * part with realpath, so `/tmp/x/**` still matches when /tmp is a symlink and the
 * call's paths were canonicalised to /private/tmp/x/…. Not cached: a symlink may
 * appear or change between two calls.
 */
export function compileGlob(glob: string, cwd: string): CompiledGlob {
  const abs = path.isAbsolute(glob) ? glob : path.join(cwd, glob);
  const segs = abs.split('/');
  const firstGlob = segs.findIndex((s) => GLOB_CHARS.test(s));
  const literal = firstGlob < 0 ? segs : segs.slice(0, firstGlob);
  const rest = firstGlob < 0 ? '' : segs.slice(firstGlob).join('/');
  // Lexical only (SPEC-2 §15.3): a rule glob is never resolved through symlinks.
  const base = path.resolve(literal.join("/") || "/");
  return { base, rest, test: rest === '' ? null : restMatcher(rest) };
}

/** Does one canonical absolute path match the rule's glob (resolved against cwd)? */
export function pathMatchesGlob(p: string, glob: string, cwd: string): boolean {
  const g = compileGlob(glob, cwd);
  if (g.test === null) return p === g.base;
  if (p === g.base) return /^(\*\*\/)*\*\*$/.test(g.rest);
  const prefix = g.base.endsWith('/') ? g.base : g.base + '/';
  if (!p.startsWith(prefix)) return false;
  return g.test(p.slice(prefix.length));
}

/** All globs a rule's path part consists of: its `path` plus any conjunction terms. */
export function ruleGlobs(rule: RuleSpec): string[] {
  const out: string[] = [];
  if (rule.path !== undefined) out.push(rule.path);
  if (rule.alsoPaths) out.push(...rule.alsoPaths);
  return out;
}

/**
 * Does `rule` apply to a call of `tool` touching `paths` (canonical absolute paths)?
 *  - no path part: the tool pattern alone decides;
 *  - allow: the call needs at least one path and every path must match;
 *  - deny / confirm: any matching path is enough.
 * A glob that cannot be evaluated (NUL byte, unreadable directory) makes an allow
 * rule not match and a deny/confirm rule match: fail closed either way.
 */
export function ruleMatchesCall(rule: RuleSpec, tool: string, paths: readonly string[], cwd: string, kind: RuleKind = 'allow'): boolean {
  if (!toolMatches(tool, rule.tool)) return false;
  const globs = ruleGlobs(rule);
  if (globs.length === 0) return true;
  try {
    const matchesAll = (p: string) => globs.every((g) => pathMatchesGlob(p, g, cwd));
    if (kind === 'allow') return paths.length > 0 && paths.every(matchesAll);
    return paths.some(matchesAll);
  } catch {
    return kind !== 'allow';
  }
}

/** Renders a rule as written: `file.read:/src/**`, conjunctions as `file.read:/a/** & b/*`. */
export function formatRule(rule: { tool: string; path?: string; alsoPaths?: string[] }): string {
  if (rule.path === undefined) return rule.tool;
  return `${rule.tool}:${[rule.path, ...(rule.alsoPaths ?? [])].join(' & ')}`;
}

/** Parses `tool` or `tool:glob` (split at the first `:`). */
export function parseRule(text: string): RuleSpec {
  const i = text.indexOf(':');
  return i < 0 ? { tool: text } : { tool: text.slice(0, i), path: text.slice(i + 1) };
}
