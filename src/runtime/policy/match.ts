// The one place where tool patterns are matched (SPEC §4.5). Validator, runtime,
// gate and proxy all call these functions.

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
