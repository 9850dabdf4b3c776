// Tool patterns (SPEC §4.5, SPEC-2 §20.2): `*` is every tool; a trailing `.*` is the
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
  }
  if (cache.size > 2000) cache.clear();
  cache.set(pattern, p);
  return p;
}

export function toolMatches(name: string, pattern: string): boolean {
  const p = parse(pattern);
  if (p.all) return true;
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
