// Tool patterns (docs/design.md#rules-and-permissions, docs/language.md): `*` is every tool; a trailing `.*` is the
// name itself and everything below it (dot boundary: `network.*` never matches
// `networkx.y`); `*` inside a segment (`mcp.fs.read_*`, `mcp.*.read_file`) matches
// any characters except `.`; everything else is exact and case-sensitive.

import { compileWildcard, wildcardMatches, wildcardWithin, type Wildcard } from './wildcard.js';

interface ToolPattern {
  /** `*`: every name. */
  all: boolean;
  /** One wildcard per dot-separated segment. */
  segs: Wildcard[];
  /** Trailing `.*`: names with more segments below these also match. */
  open: boolean;
  /** The pattern without its trailing `.*` when it has no other `*`: compared as text. */
  literal?: string;
}

const cache = new Map<string, ToolPattern>();

/** Only `*` is a wildcard in a tool pattern; `?` is an ordinary character. */
function segmentWildcard(seg: string): Wildcard {
  return compileWildcard(seg).map((c) => (c === -2 ? 0x3f : c));
}

function parse(pattern: string): ToolPattern {
  let p = cache.get(pattern);
  if (p) return p;
  if (pattern === '*') p = { all: true, segs: [], open: true };
  else {
    const open = pattern.endsWith('.*');
    const body = open ? pattern.slice(0, -2) : pattern;
    p = { all: false, segs: body.split('.').map(segmentWildcard), open };
    if (!body.includes('*')) p.literal = body;
  }
  if (cache.size > 2000) cache.clear();
  cache.set(pattern, p);
  return p;
}

export function toolMatches(name: string, pattern: string): boolean {
  // Not a name: throw, as split() did, so the kernel's fail-closed catch denies.
  if (typeof name !== 'string') throw new TypeError('tool name must be a string');
  const p = parse(pattern);
  if (p.all) return true;
  if (p.literal !== undefined) {
    // Literal segments compare equal exactly when the texts do, segment boundaries
    // being the same dots: closed → the same name, open → the name or a name below it.
    if (name === p.literal) return true;
    return p.open && name.length > p.literal.length && name.startsWith(p.literal) && name.charCodeAt(p.literal.length) === 0x2e;
  }
  const names = name.split('.');
  if (p.open ? names.length < p.segs.length : names.length !== p.segs.length) return false;
  return p.segs.every((w, k) => wildcardMatches(w, names[k]!));
}

/** True when every tool name matched by `inner` is also matched by `outer` (false when unsure). */
export function patternWithin(inner: string, outer: string): boolean {
  const o = parse(outer);
  if (o.all) return true;
  const i = parse(inner);
  if (i.all) return false;
  if (o.open) {
    // inner's names have at least i.segs.length segments (exactly, when closed).
    if (i.segs.length < o.segs.length) return false;
  } else if (i.open || i.segs.length !== o.segs.length) return false;
  return o.segs.every((w, k) => wildcardWithin(i.segs[k]!, w));
}
