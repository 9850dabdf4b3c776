// Reach of searches (docs/paths.md): the roots whose whole subtree a search may read.
// A glob pattern can climb out of the search's path (`../../**`, `/etc/*`, `~/.ssh/*`),
// so the static prefix of such a pattern is a root of its own; a pattern that could
// climb after a wildcard is unresolved rather than guessed.

import { pathAttr, unresolvedPath } from './paths.js';
import type { ActionPath, DescribeContext } from './types.js';

const GLOB_CHARS = /[*?[\]{}!]/;

/**
 * The literal leading directories of a glob (`../src/*.ts` → `../src`), or null when
 * `..` appears at or after the first wildcard segment (it may climb anywhere) or the
 * pattern uses escapes AEX does not read.
 */
export function staticPrefix(pattern: string): string | null {
  if (pattern.includes('\\')) return null;
  const segments = pattern.split('/');
  const literal: string[] = [];
  let i = 0;
  for (; i < segments.length; i++) {
    const s = segments[i]!;
    if (GLOB_CHARS.test(s)) break;
    literal.push(s);
  }
  if (i === segments.length) {
    // No wildcard: the pattern names one file; its folder is the root.
    literal.pop();
  }
  if (segments.slice(i).some((s) => s.includes('..'))) return null;
  const joined = literal.join('/');
  if (joined === '' && pattern.startsWith('/')) return '/';
  return joined;
}

/** True for patterns that may leave the search path: absolute, `~/`, or climbing with `..`. */
function climbs(pattern: string): boolean {
  return pattern.startsWith('/') || pattern.startsWith('~') || pattern.split('/').includes('..');
}

export interface SearchInput {
  /** The search's own directory argument. */
  path?: unknown;
  /** A glob pattern over file paths (Glob's `pattern`), not a content regex. */
  pattern?: unknown;
}

/** The reach of a search run from `base`: its path (or `base`) and the root of a climbing pattern. */
export function searchReach(input: SearchInput, base: string, ctx: DescribeContext): ActionPath[] {
  const reach: ActionPath[] = [];
  let dir = base;
  if (input.path !== undefined && input.path !== null && input.path !== '') {
    if (typeof input.path !== 'string') return [unresolvedPath(String(input.path), 'not a string')];
    const p = pathAttr(input.path, base, ctx);
    reach.push(p);
    if (p.unresolved || p.forms.length === 0) return reach;
    dir = p.forms[0]!;
  } else {
    reach.push(pathAttr(base, '/', ctx));
  }
  if (input.pattern !== undefined) {
    if (typeof input.pattern !== 'string') return [...reach, unresolvedPath(String(input.pattern), 'not a string')];
    const pattern = input.pattern;
    const prefix = staticPrefix(pattern);
    if (prefix === null) reach.push(unresolvedPath(pattern, 'pattern may climb out of its folder'));
    else if (climbs(pattern)) reach.push({ ...pathAttr(prefix === '' ? '.' : prefix, dir, ctx), given: pattern });
  }
  return reach;
}

