// File names in unified-diff headers, read the way `git apply` reads them: C-quoted
// names, `-pN` prefix stripping, a tab (or a timestamp in a traditional diff) ending
// the name. Every function returns null where git would find no name or the text is
// malformed; the patch parser turns that into an error (fail closed).

/** Decodes the C escapes of a git-quoted name (without its quotes); null when malformed or not UTF-8. */
function unquoteC(body: string): string | null {
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') return null;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[++i];
    if (n === undefined) return null;
    if (n in simple) {
      bytes.push(simple[n]!);
      continue;
    }
    const oct = body.slice(i, i + 3);
    if (!/^[0-3][0-7]{2}$/.test(oct)) return null;
    bytes.push(parseInt(oct, 8));
    i += 2;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/** Index of the quote closing a quoted name that starts at 0; -1 when unterminated. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Collapses runs of `/` as git's squash_slash does. */
function squashSlashes(name: string): string {
  return name.replace(/\/{2,}/g, '/');
}

/**
 * Drops the first `strip` components the way git does for an unquoted name: every `/`
 * counts, so `a//etc/x` under -p1 leaves `/etc/x`. Null when the name has too few
 * slashes or nothing is left.
 */
function stripComponents(name: string, strip: number): string | null {
  let start = 0;
  let left = strip;
  for (let i = 0; i < name.length && left > 0; i++) {
    if (name[i] === '/') {
      left--;
      if (left === 0) start = i + 1;
    }
  }
  if (left > 0) return null;
  const rest = name.slice(start);
  return rest === '' ? null : squashSlashes(rest);
}

/** Quoted names lose whole components (git's find_name_gnu): each strip step skips past one `/`. */
function stripQuoted(name: string, strip: number): string | null {
  let start = 0;
  for (let k = 0; k < strip; k++) {
    const slash = name.indexOf('/', start);
    if (slash < 0) return null;
    start = slash + 1;
  }
  const rest = name.slice(start);
  return rest === '' ? null : squashSlashes(rest);
}

export type NameResult = { name: string | null } | { error: string };

/**
 * A quoted name at the start of `text` (decoded and stripped) and what follows it;
 * null when `text` is not quoted.
 */
function quotedName(text: string, strip: number): { result: NameResult; rest: string } | null {
  if (!text.startsWith('"')) return null;
  const end = closingQuote(text);
  if (end < 0) return { result: { error: `unterminated quoted name: ${text}` }, rest: '' };
  const decoded = unquoteC(text.slice(1, end));
  if (decoded === null) return { result: { error: `malformed quoted name: ${text}` }, rest: '' };
  return { result: { name: stripQuoted(decoded, strip) }, rest: text.slice(end + 1) };
}

/** True for `/dev/null` as git's is_dev_null sees it (followed by whitespace or the end). */
export function isDevNull(text: string): boolean {
  return text === '/dev/null' || /^\/dev\/null\s/.test(text);
}

// Trailing timestamps of traditional diffs: `2024-01-31 10:00:00.123 +0100` and the
// older `Wed Jan 31 10:00:00 2024`, after whitespace.
const TIMESTAMP = /[ \t]+(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: ?[+-]\d{4})?|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}(?: [+-]\d{4})?)$/;

/**
 * The name of a `---`/`+++` header line (the text after `--- `). In a git diff only a
 * tab ends the name (`--- a/my file\t`); in a traditional diff a trailing timestamp does
 * too. A quoted name may be followed only by a tab and a trailer.
 */
export function headerName(text: string, strip: number, traditional: boolean): NameResult {
  const q = quotedName(text, strip);
  if (q) {
    if ('error' in q.result) return q.result;
    if (q.rest !== '' && !q.rest.startsWith('\t') && !(traditional && TIMESTAMP.test(q.rest))) {
      return { error: `text after a quoted name: ${text}` };
    }
    return q.result;
  }
  let raw = text;
  const tab = raw.indexOf('\t');
  if (tab >= 0) raw = raw.slice(0, tab);
  else if (traditional) raw = raw.replace(TIMESTAMP, '');
  return { name: stripComponents(raw, strip) };
}

/** The name of a `rename from`/`copy to`/… line: the whole rest of the line, stripped one component less. */
export function extendedName(text: string, strip: number): NameResult {
  const p = Math.max(0, strip - 1);
  const q = quotedName(text, p);
  if (q) {
    if ('error' in q.result) return q.result;
    if (q.rest !== '') return { error: `text after a quoted name: ${text}` };
    return q.result;
  }
  return { name: p === 0 ? (text === '' ? null : squashSlashes(text)) : stripComponents(text, p) };
}

/**
 * Every way to read the two names of a `diff --git` line (after `diff --git `), each
 * side stripped. Unquoted names with spaces are ambiguous, so every split is returned;
 * the parser accepts the line only if the names the patch really uses are one of them.
 */
export function gitLinePairs(rest: string, strip: number): Array<[string | null, string | null]> | { error: string } {
  const pairs: Array<[string | null, string | null]> = [];
  const second = (text: string): NameResult | null => {
    const q = quotedName(text, strip);
    if (q) return q.rest === '' ? q.result : null;
    return text === '' ? null : { name: stripComponents(text, strip) };
  };
  const q = quotedName(rest, strip);
  if (q) {
    if ('error' in q.result) return q.result;
    if (!q.rest.startsWith(' ')) return { error: `malformed diff --git line: ${rest}` };
    const b = second(q.rest.slice(1));
    if (b === null || 'error' in b) return { error: `malformed diff --git line: ${rest}` };
    return [[q.result.name, b.name]];
  }
  for (let i = rest.indexOf(' '); i >= 0; i = rest.indexOf(' ', i + 1)) {
    const b = second(rest.slice(i + 1));
    if (b === null || 'error' in b) continue;
    pairs.push([stripComponents(rest.slice(0, i), strip), b.name]);
  }
  if (pairs.length === 0) return { error: `malformed diff --git line: ${rest}` };
  return pairs;
}
