// Segment globs shared by path globs and URL paths: a glob is a list of segments, each a
// wildcard within one name or `**` (GLOBSTAR) for any run of names, none included.

import { compileWildcard, wildcardMatches, type Wildcard } from './wildcard.js';

/** `**` as a whole segment. */
export const GLOBSTAR = 'globstar' as const;
export type GlobSegment = typeof GLOBSTAR | Wildcard;

/** Compiles segment texts; consecutive `**` collapse into one (they match the same). */
export function compileSegments(texts: Iterable<string>): GlobSegment[] {
  const segs: GlobSegment[] = [];
  for (const s of texts) {
    if (s === '**') {
      if (segs[segs.length - 1] !== GLOBSTAR) segs.push(GLOBSTAR);
    } else segs.push(compileWildcard(s));
  }
  return segs;
}

/**
 * Do the names match the segment glob? Wildcard matching at segment level with `**`
 * as the star, backtracking only to the last `**`: O(glob × names) at worst.
 */
export function segmentsMatch(segs: readonly GlobSegment[], names: readonly string[]): boolean {
  let g = 0;
  let n = 0;
  let starG = -1;
  let starN = 0;
  while (n < names.length) {
    const seg = segs[g];
    if (seg !== undefined && seg !== GLOBSTAR && wildcardMatches(seg, names[n]!)) {
      g++;
      n++;
    } else if (seg === GLOBSTAR) {
      starG = g++;
      starN = n;
    } else if (starG >= 0) {
      g = starG + 1;
      n = ++starN;
    } else return false;
  }
  while (segs[g] === GLOBSTAR) g++;
  return g === segs.length;
}
