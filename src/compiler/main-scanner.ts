import type { Tok } from './tokens.js';

// The statement lexer (mainLexer in tokens.ts) written out by hand: the same tokens, types
// and columns, read with charCodeAt instead of moo's combined regular expression. Statement
// lines are most of a contract, and on a large file moo's token objects and its regexp were
// the biggest share of the compile. tokens.ts stays the definition: tests/compiler/
// main-scanner.test.ts holds this scanner to moo's output on generated and hostile lines.
//
// As moo does, each position takes the first rule (in mainLexer's order) that matches
// there; a punctuation character is a token of its own type (lexPhysical's renaming).

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DOT = 0x2e;
const GT = 0x3e;

/** Characters that are a token by themselves, whatever follows (mainLexer's `punct`). */
const SINGLE = new Uint8Array(128);
for (const c of '()[]{},=:?$*') SINGLE[c.charCodeAt(0)] = 1;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isWordStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
const isWordPart = (c: number) => isWordStart(c) || isDigit(c);
/** What `.` in a regular expression does not match. */
const isLineTerminator = (c: number) => c === LF || c === CR || c === 0x2028 || c === 0x2029;

/** The tokens of one physical statement line, `startCol` being the column of text[0]. */
export function scanStatementLine(text: string, line: number, startCol: number): Tok[] {
  const out: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    const c = text.charCodeAt(i);
    let type: string;
    if (c < 128 && SINGLE[c] === 1) {
      out.push({ type: text[i]!, value: text[i]!, line, col: startCol + i });
      i++;
      continue;
    }
    if (c === SPACE || c === TAB) {
      i++;
      while (i < n && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
      type = 'ws';
    } else if (c === HASH) {
      i++;
      while (i < n && !isLineTerminator(text.charCodeAt(i))) i++;
      type = 'comment';
    } else if (c === DQUOTE) {
      [i, type] = scanString(text, i);
    } else if (c === SQUOTE) {
      i++;
      while (i < n && text.charCodeAt(i) !== SQUOTE && text.charCodeAt(i) !== LF) i++;
      if (i < n && text.charCodeAt(i) === SQUOTE) i++;
      type = 'squote';
    } else if ((c === MINUS && isDigit(text.charCodeAt(i + 1))) || isDigit(c)) {
      i = scanNumber(text, i);
      type = 'number';
    } else if (c === DOT && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(text.charCodeAt(i))) i++;
      type = 'dotidx';
    } else if (c === MINUS && text.charCodeAt(i + 1) === GT) {
      i += 2;
      type = 'arrow';
    } else if (isWordStart(c)) {
      i = scanWord(text, i);
      const value = text.slice(start, i);
      out.push({ type: value === 'true' || value === 'false' || value === 'null' ? 'lit' : 'word', value, line, col: startCol + start });
      continue;
    } else if (c === DOT || c === MINUS) {
      i++;
      type = text[start]!;
    } else {
      i++;
      type = 'other';
    }
    out.push({ type, value: text.slice(start, i), line, col: startCol + start });
  }
  return out;
}

/**
 * A string from the `"` at `i`: `"(?:[^"\\\n]|\\.)*"` when it closes, otherwise the
 * `badstring` `"(?:[^"\\\n]|\\.)*\\?`. Neither can match more by backtracking, so one
 * forward pass decides both.
 */
function scanString(text: string, i: number): [number, string] {
  const n = text.length;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === DQUOTE) return [i + 1, 'string'];
    if (c === LF) break;
    if (c === BACKSLASH) {
      if (i + 1 >= n || isLineTerminator(text.charCodeAt(i + 1))) {
        // `\\.` cannot take it; the bad string's optional trailing `\\` does.
        return [i + 1, 'badstring'];
      }
      i += 2;
    } else {
      i++;
    }
  }
  return [i, 'badstring'];
}

/** `-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?` from `i`, which starts one. */
function scanNumber(text: string, i: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === DOT && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 0x2b || sign === MINUS) j++;
    if (isDigit(text.charCodeAt(j))) {
      while (isDigit(text.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

/** `[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*` from `i`, which starts one. */
function scanWord(text: string, i: number): number {
  i++;
  for (;;) {
    while (isWordPart(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === MINUS && isWordPart(text.charCodeAt(i + 1))) i += 2;
    else return i;
  }
}
