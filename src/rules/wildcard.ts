// `*` and `?` over one string (a path segment, a command word, a host label, a
// `where … matches` value). Hand-written instead of a regular expression so that
// every character — `\n`, `\r`, U+2028, U+2029, astral code points — is matched like
// any other, and so that matching is O(pattern × text) with no backtracking blow-up.

/** Any run of characters (possibly empty). */
export const STAR = -1;
/** Exactly one character (one code point). */
export const ONE = -2;

/** A compiled wildcard: code points, with STAR and ONE for the two wildcards. */
export type Wildcard = readonly number[];

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** Compiles text where every `*` and `?` is a wildcard and nothing else is special. */
export function compileWildcard(text: string): Wildcard {
  const out: number[] = [];
  for (const cp of codePoints(text)) {
    if (cp === 0x2a) {
      // `**` inside a word is the same as `*`; collapsing keeps the matcher simple.
      if (out[out.length - 1] !== STAR) out.push(STAR);
    } else if (cp === 0x3f) out.push(ONE);
    else out.push(cp);
  }
  return out;
}

/** A wildcard made of literal text only (no wildcards at all). */
export function literalWildcard(text: string): Wildcard {
  return codePoints(text);
}

export function hasWildcard(w: Wildcard): boolean {
  return w.some((c) => c < 0);
}

/** True when the wildcard matches every string, including the empty one. */
export function isUniversal(w: Wildcard): boolean {
  return w.length > 0 && w.every((c) => c === STAR);
}

/** True when the wildcard matches every non-empty string (`*`, `?*`, `*?*`). */
export function matchesEveryNonEmpty(w: Wildcard): boolean {
  let ones = 0;
  let stars = 0;
  for (const c of w) {
    if (c === STAR) stars++;
    else if (c === ONE) ones++;
    else return false;
  }
  return ones <= 1 && stars > 0;
}

/**
 * Does the whole of `text` match `w`? Linear memory, O(|w|·|text|) time at worst.
 * Walks `text` by code point in place (a lone surrogate is one code point, as in
 * codePoints()), so matching allocates nothing: the kernel calls it for every rule.
 */
export function wildcardMatches(w: Wildcard, text: string): boolean {
  const n = text.length;
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < n) {
    const cp = text.codePointAt(i)!;
    const c = w[p];
    if (p < w.length && (c === ONE || c === cp)) {
      p++;
      i += cp > 0xffff ? 2 : 1;
    } else if (p < w.length && c === STAR) {
      starP = p++;
      starI = i;
    } else if (starP >= 0) {
      p = starP + 1;
      starI += text.codePointAt(starI)! > 0xffff ? 2 : 1;
      i = starI;
    } else return false;
  }
  while (p < w.length && w[p] === STAR) p++;
  return p === w.length;
}

/**
 * Conservative containment: true only when every string `inner` matches is also
 * matched by `outer` (false when unsure).
 */
export function wildcardWithin(inner: Wildcard, outer: Wildcard): boolean {
  if (inner.length === outer.length && inner.every((c, k) => c === outer[k])) return true;
  if (isUniversal(outer)) return true;
  if (!hasWildcard(inner)) return wildcardMatches(outer, String.fromCodePoint(...inner));
  // `pre*suf` around an inner wildcard with the same literal prefix and suffix.
  const star = outer.indexOf(STAR);
  if (star < 0 || outer.indexOf(STAR, star + 1) >= 0 || outer.includes(ONE)) return false;
  const pre = outer.slice(0, star);
  const suf = outer.slice(star + 1);
  if (inner.length < pre.length + suf.length) return false;
  const head = inner.slice(0, pre.length);
  const tail = inner.slice(inner.length - suf.length);
  return head.every((c, k) => c === pre[k]) && tail.every((c, k) => c === suf[k]);
}
