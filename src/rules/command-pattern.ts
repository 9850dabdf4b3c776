// Command patterns of shell.exec rules (docs/language.md), matched against the argv of one
// simple command as the shell describer produced it (docs/design.md#unresolved-parts).
//
// A pattern is words separated by blanks. Quotes group (`'a b'`, `"a b"`, `\ `) and
// make `*`/`?` literal. An unquoted word that is exactly `*` matches zero or more
// words; a word with `*`/`?` inside matches one word by glob; other words match one
// word exactly. `X:*` at the end is `X *`.

import type { ArgWord } from './types.js';
import { RuleSyntaxError } from './errors.js';
import { compileWildcard, isUniversal, literalWildcard, wildcardMatches, type Wildcard } from './wildcard.js';

/** One pattern word: the `*` that spans words, or a one-word glob. */
type PatternWord = { many: true } | { many: false; glob: Wildcard; text: string; hasSlash: boolean; lower?: Wildcard; segments?: Wildcard[] };

const compiled = new Map<string, PatternWord[]>();

/** A word as the parser read it: pieces, each either literal (quoted) or glob text. */
interface RawWord {
  pieces: Array<{ text: string; quoted: boolean }>;
}

function readWords(text: string): RawWord[] {
  if (text.includes('\0')) throw new RuleSyntaxError('command pattern contains NUL');
  const words: RawWord[] = [];
  let cur: RawWord | null = null;
  const piece = (t: string, quoted: boolean) => {
    cur ??= { pieces: [] };
    cur.pieces.push({ text: t, quoted });
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (cur) words.push(cur);
      cur = null;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new RuleSyntaxError(`unbalanced ' in command pattern: ${text}`);
      piece(text.slice(i + 1, end), true);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let t = '';
      for (;;) {
        if (j >= text.length) throw new RuleSyntaxError(`unbalanced " in command pattern: ${text}`);
        const d = text[j]!;
        if (d === '"') break;
        if (d === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) {
          t += text[j + 1];
          j += 2;
        } else {
          t += d;
          j++;
        }
      }
      piece(t, true);
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new RuleSyntaxError(`command pattern ends in a backslash: ${text}`);
      piece(text[i + 1]!, true);
      i += 2;
    } else {
      let j = i;
      while (j < text.length && !/[\s'"\\]/.test(text[j]!)) j++;
      piece(text.slice(i, j), false);
      i = j;
    }
  }
  if (cur) words.push(cur);
  return words;
}

/** `git diff:*` → `git diff *` (only an unquoted `:*` at the very end). */
function splitColonStar(words: RawWord[]): RawWord[] {
  const last = words[words.length - 1];
  const lp = last?.pieces[last.pieces.length - 1];
  if (!last || !lp || lp.quoted || !lp.text.endsWith(':*')) return words;
  const head = lp.text.slice(0, -2);
  const pieces = [...last.pieces.slice(0, -1), ...(head ? [{ text: head, quoted: false }] : [])];
  const star: RawWord = { pieces: [{ text: '*', quoted: false }] };
  return pieces.length > 0 ? [...words.slice(0, -1), { pieces }, star] : [...words.slice(0, -1), star];
}

function isMany(w: RawWord): boolean {
  return w.pieces.length === 1 && !w.pieces[0]!.quoted && w.pieces[0]!.text === '*';
}

/** A word in escaped form: `\` before a literal `*`, `?` or `\`. */
function escapedText(w: RawWord): string {
  return w.pieces.map((p) => (p.quoted ? p.text.replace(/[*?\\]/g, (ch) => '\\' + ch) : p.text)).join('');
}

function toPatternWord(w: RawWord): PatternWord {
  if (isMany(w)) return { many: true };
  const glob: number[] = [];
  let text = '';
  for (const p of w.pieces) {
    glob.push(...(p.quoted ? literalWildcard(p.text) : compileWildcard(p.text)));
    text += p.text;
  }
  return { many: false, glob, text, hasSlash: text.includes('/') };
}

/**
 * The words of a pattern, in escaped form (a `\` before each quoted `*`, `?`, `\`):
 * `git commit -m 'a b'` → ['git', 'commit', '-m', 'a b']; `git diff:*` → ['git',
 * 'diff', '*']. Throws RuleSyntaxError on an empty pattern, NUL, an unbalanced quote
 * or a trailing backslash.
 */
export function parseCommandPattern(text: string): string[] {
  const words = splitColonStar(readWords(text));
  if (words.length === 0) throw new RuleSyntaxError('empty command pattern');
  return words.map((w) => (isMany(w) ? '*' : escapedText(w)));
}

function compilePattern(text: string): PatternWord[] {
  let c = compiled.get(text);
  if (c) return c;
  const words = splitColonStar(readWords(text));
  if (words.length === 0) throw new RuleSyntaxError('empty command pattern');
  c = words.map(toPatternWord);
  if (compiled.size > 2000) compiled.clear();
  compiled.set(text, c);
  return c;
}

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * A path-like program word split into segments and normalised lexically (`.` and
 * empty segments dropped, `..` applied where it can be), so `./x/../git` and `./git`
 * compare equal. Works on compiled wildcards, so quoted `*` stays literal.
 */
function programSegments(w: Wildcard): Wildcard[] {
  const raw: number[][] = [[]];
  for (const c of w) {
    if (c === SLASH) raw.push([]);
    else raw[raw.length - 1]!.push(c);
  }
  const absolute = raw[0]!.length === 0;
  const out: Wildcard[] = [];
  for (const seg of absolute ? raw.slice(1) : raw) {
    if (seg.length === 0 || (seg.length === 1 && seg[0] === DOT)) continue;
    const isUp = seg.length === 2 && seg[0] === DOT && seg[1] === DOT;
    const prev = out[out.length - 1];
    const prevIsUp = prev !== undefined && prev.length === 2 && prev[0] === DOT && prev[1] === DOT;
    if (isUp && prev !== undefined && !prevIsUp) out.pop();
    else if (isUp && absolute && out.length === 0) continue;
    else out.push(seg);
  }
  return absolute ? [[], ...out] : out;
}

/**
 * Does a pattern word match the program (argv[0])? A program written with a `/` only
 * matches a pattern word with a `/` (segment by segment, `*` never crossing `/`), and
 * a bare pattern word only a bare program. In 'some' mode (deny, confirm) a bare name
 * also matches case-insensitively: `RM` runs `rm` on a case-insensitive filesystem.
 */
function programMatches(w: Extract<PatternWord, { many: false }>, program: string, mode: MatchMode): boolean {
  const progSlash = program.includes('/');
  if (w.hasSlash !== progSlash) return false;
  if (!progSlash) {
    if (wildcardMatches(w.glob, program)) return true;
    if (mode !== 'some') return false;
    // Compiled once per pattern word (the cached pattern keeps it).
    w.lower ??= compileWildcard(w.text.toLowerCase());
    return wildcardMatches(w.lower, program.toLowerCase());
  }
  const want = (w.segments ??= programSegments(w.glob));
  const have = programSegments(literalWildcard(program));
  if (want.length !== have.length) return false;
  return want.every((seg, k) => wildcardMatches(seg, String.fromCodePoint(...have[k]!)));
}

function wordMatches(w: Extract<PatternWord, { many: false }>, word: string, position: number, mode: MatchMode): boolean {
  return position === 0 ? programMatches(w, word, mode) : wildcardMatches(w.glob, word);
}

export type MatchMode = 'every' | 'some';

/**
 * Does the pattern cover the whole argv? Unknown words: `{unknown:'one'}` is exactly
 * one word AEX cannot know, `{unknown:'many'}` zero or more. Mode 'every' (allow):
 * true only if it matches whatever the unknowns are — each unknown must lie under a
 * spanning `*` (an unknown 'one' also under a word glob that matches anything, like
 * `**`, except as the program). Mode 'some' (deny, confirm): true if it matches for
 * some value of the unknowns. An empty argv matches no pattern (only an unqualified
 * rule matches it). Runs in O(pattern × argv) time with one column of state.
 * Throws RuleSyntaxError for a malformed pattern.
 */
export function commandPatternMatches(pattern: string, argv: readonly ArgWord[], mode: MatchMode): boolean {
  const P = compilePattern(pattern);
  const m = P.length;
  if (argv.length === 0) return false;
  // Most patterns name another program: the first step below would fail on it anyway.
  const program = argv[0]!;
  if (typeof program === 'string' && !P[0]!.many && !wordMatches(P[0]!, program, 0, mode)) return false;
  // Two columns of state, swapped after each argv word.
  let cur = new Array<boolean>(m + 1).fill(false);
  let next = new Array<boolean>(m + 1);
  cur[0] = true;
  for (let j = 0; ; j++) {
    const a = j < argv.length ? argv[j]! : undefined;
    const unknownMany = typeof a === 'object' && a.unknown === 'many';
    // Moves that consume no argv word: a spanning `*` may match nothing; in 'some'
    // mode an unknown 'many' may produce a word for the next pattern word.
    for (let i = 0; i < m; i++) {
      if (!cur[i]) continue;
      const w = P[i]!;
      if (w.many) cur[i + 1] = true;
      else if (unknownMany && mode === 'some') cur[i + 1] = true;
    }
    if (a === undefined) return cur[m]!;
    next.fill(false);
    let any = false;
    for (let i = 0; i <= m; i++) {
      if (!cur[i]) continue;
      const w = i < m ? P[i]! : undefined;
      let stay = false;
      let advance = false;
      if (w?.many) stay = true;
      else if (typeof a === 'string') advance = w !== undefined && wordMatches(w, a, j, mode);
      else if (a.unknown === 'one') advance = w !== undefined && (mode === 'some' || (j > 0 && isUniversal(w.glob)));
      else stay = mode === 'some'; // unknown 'many' ends here (its words were matched above, or none)
      if (stay) next[i] = true;
      if (advance) next[i + 1] = true;
      any ||= stay || advance;
    }
    if (!any) return false;
    const done = cur;
    cur = next;
    next = done;
  }
}

/** Throws RuleSyntaxError when the text is not a command pattern (for AEX014). */
export function checkCommandPattern(text: string): void {
  compilePattern(text);
}

/**
 * Conservative containment of command patterns: true only when every argv the inner
 * pattern matches is matched by the outer one. Inner words are treated as unknowns
 * of their own shape: a spanning `*` may be anything, a glob word one word.
 */
export function commandPatternWithin(inner: string, outer: string): boolean {
  const I = compilePattern(inner);
  const O = compilePattern(outer);
  const n = I.length;
  const m = O.length;
  // reach[i][j]: O[0..i) can absorb I[0..j) for every argv I[0..j) matches.
  let cur = new Array<boolean>(m + 1).fill(false);
  cur[0] = true;
  for (let j = 0; ; j++) {
    for (let i = 0; i < m; i++) if (cur[i] && O[i]!.many) cur[i + 1] = true;
    if (j === n) return cur[m]!;
    const a = I[j]!;
    const next = new Array<boolean>(m + 1).fill(false);
    for (let i = 0; i < m; i++) {
      if (!cur[i]) continue;
      const o = O[i]!;
      if (o.many) next[i] = true;
      else if (!a.many && within(a, o, j)) next[i + 1] = true;
    }
    cur = next;
  }
}

function within(a: Extract<PatternWord, { many: false }>, o: Extract<PatternWord, { many: false }>, position: number): boolean {
  const same = a.glob.length === o.glob.length && a.glob.every((c, k) => c === o.glob[k]);
  if (same) return true;
  // A program is compared by path segments and case; only identical words are proven.
  if (position === 0 && (a.hasSlash || o.hasSlash)) return false;
  if (isUniversal(o.glob)) return true;
  if (a.glob.every((c) => c >= 0)) return wildcardMatches(o.glob, a.text);
  return false;
}
