// Path attributes of actions (docs/paths.md, docs/paths.md). Every path is given in each form a
// matcher must see: the lexical form (what the text says) and the physical form (where
// open(2) lands). A deny rule applies when any form matches, an allow rule needs all of
// them, so neither `src/../secrets` nor a symlink into another tree dodges a rule.

import path from 'node:path';
import type { ActionPath, DescribeContext } from './types.js';
import { UnreadablePathError, assertNoNul, physicalPath } from './physical.js';

export { PathError, UnreadablePathError, assertNoNul, physicalPath, withCallPathCache } from './physical.js';

/** A path attribute that could not be determined: matches every deny rule, no qualified allow. */
export function unresolvedPath(given: string, why: string): ActionPath {
  return { given, forms: [], unresolved: { what: 'path', why } };
}

/** `~` and `~/…` expanded to `home`; null for `~user` (another user's home is unknown). */
function expandHome(raw: string, home: string): string | null {
  if (raw === '~') return home;
  if (raw.startsWith('~/')) return home + raw.slice(1);
  if (raw.startsWith('~')) return null;
  return raw;
}

/** True when the path needs a base: relative, or starting with `~`. */
export function needsBase(raw: string): boolean {
  return raw.startsWith('~') || !path.isAbsolute(raw);
}

function distinct(forms: string[]): string[] {
  return [...new Set(forms)];
}

/**
 * The lexical and physical forms of `raw`, relative paths joined to `base` (absolute).
 * Throws PathError for a NUL byte (callers deny); `~user`, a relative base, a symlink
 * loop or an unreadable directory give an unresolved path.
 */
export function pathAttr(raw: string, base: string, ctx: DescribeContext): ActionPath {
  if (typeof raw !== 'string') return unresolvedPath(String(raw), 'not a string');
  assertNoNul(raw);
  assertNoNul(base);
  const expanded = expandHome(raw, ctx.home);
  if (expanded === null) return unresolvedPath(raw, 'home of another user');
  if (!path.isAbsolute(expanded) && !path.isAbsolute(base)) return unresolvedPath(raw, 'unknown base');
  if (!path.isAbsolute(ctx.home) && expanded !== raw) return unresolvedPath(raw, 'unknown home');
  const joined = path.isAbsolute(expanded) ? expanded : base + '/' + expanded;
  const lexical = path.resolve('/', joined).normalize('NFC');
  let physical: string;
  try {
    physical = (path.isAbsolute(expanded) ? physicalPath(expanded, '/') : physicalPath(expanded, base)).normalize('NFC');
  } catch (err) {
    if (err instanceof UnreadablePathError) return unresolvedPath(raw, 'unreadable');
    throw err;
  }
  return { given: raw, forms: distinct([lexical, physical]) };
}

/**
 * A path argument of an MCP tool (docs/paths.md): the server resolves relative paths its
 * own way, so a relative or `~` path takes both forms against EVERY candidate base.
 * Unknown bases (`undefined` or none) leave such a path unresolved — the refusal asks
 * the model for an absolute path. One unresolved candidate makes the whole path
 * unresolved: an allow rule must hold for every place the server might open.
 */
export function pathAttrCandidates(raw: string, bases: readonly string[] | undefined, ctx: DescribeContext): ActionPath {
  if (typeof raw !== 'string') return unresolvedPath(String(raw), 'not a string');
  assertNoNul(raw);
  if (!needsBase(raw)) return pathAttr(raw, '/', ctx);
  if (bases === undefined || bases.length === 0) return unresolvedPath(raw, 'unknown base');
  // `~/` is the home of the user AEX runs as, whichever base the server uses.
  if (raw.startsWith('~')) return pathAttr(raw, '/', ctx);
  const forms: string[] = [];
  for (const base of bases) {
    const one = pathAttr(raw, base, ctx);
    if (one.unresolved) return { ...one, given: raw };
    forms.push(...one.forms);
  }
  return { given: raw, forms: distinct(forms) };
}
