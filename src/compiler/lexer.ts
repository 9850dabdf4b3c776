import type moo from 'moo';
import type { Diagnostic } from './diagnostics.js';
import { diag } from './diagnostics.js';
import { scanStatementLine } from './main-scanner.js';
import { headerLexer, HEADER_KEYWORDS, mainLexer, RULE_KEYWORDS, rulesLexer, type Tok } from './tokens.js';

// The line layer of the lexer: turns source text into logical lines (bracket
// continuation joins physical lines), classifies comments, collects `make`
// instruction lines, and produces INDENT/DEDENT markers from leading spaces.
// Each logical line is then parsed on its own by the nearley grammar, which keeps
// parsing time linear in the size of the file.

export interface Comment {
  text: string; // including the leading '#'
  line: number;
  col: number;
}

export interface LogicalLine {
  kind: 'stmt' | 'instr';
  indent: number;
  line: number;
  col: number;
  endLine: number;
  tokens: Tok[];
  /** Full-line comments directly above this line (and after the previous one). */
  leading: Comment[];
  /** A comment at the end of the line's last physical line. */
  trailing?: Comment;
  /** Comments on continuation lines inside brackets. */
  inner: Comment[];
  /** Blank lines seen before this line (the formatter normalises them). */
  blankBefore: boolean;
  /** The line could not be lexed cleanly; a diagnostic was reported already. */
  broken: boolean;
}

export type LineItem = LogicalLine | { kind: 'indent'; line: number } | { kind: 'dedent'; line: number };

export interface LexResult {
  items: LineItem[];
  /** Comments after the last code line. */
  trailingComments: Comment[];
  diagnostics: Diagnostic[];
  /** Normalised source (BOM removed, LF line ends). */
  text: string;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * How deep brackets, and blocks of `if`/`for`, may nest (AEX104). Far beyond what a
 * contract needs; what it bounds is the depth every later pass (parser, validation,
 * lowering, the IR check, the interpreter) recurses to, so a deeply nested file is a
 * diagnostic instead of an exhausted stack.
 */
export const MAX_NESTING = 100;
const CLOSE = new Set([')', ']', '}']);

export function normaliseSource(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Lexes one physical line; `state` continues a stateful lexer (rule lines) across lines. */
function lexPhysical(lexer: moo.Lexer, text: string, line: number, startCol: number, state?: moo.LexerState): Tok[] {
  // The statement lexer has no states; its hand-written twin is several times faster.
  if (lexer === mainLexer) return scanStatementLine(text, line, startCol);
  lexer.reset(text, state);
  const out: Tok[] = [];
  // moo's token objects are reused as ours (fewer allocations on large files).
  for (let t = lexer.next(); t; t = lexer.next()) {
    const tok = t as unknown as Tok;
    if (t.type === 'punct') tok.type = t.value;
    tok.line = line;
    tok.col = startCol + t.offset;
    out.push(tok);
  }
  return out;
}

export function lex(source: string): LexResult {
  const items: LineItem[] = [];
  const rest = lexLines(source, (item) => items.push(item));
  return { items, ...rest };
}

/**
 * The line layer as a stream: `emit` receives each item as soon as it is complete, so a
 * caller that parses line by line lets each line's tokens die young (on a large file,
 * holding every token until the end made garbage collection most of the time).
 */
export function lexLines(source: string, emit: (item: LineItem) => void): Omit<LexResult, 'items'> {
  const text = normaliseSource(source);
  const physical = text.split('\n');
  const diagnostics: Diagnostic[] = [];
  // The last statement line emitted, for "expected an indented block after ...".
  let prev: LogicalLine | undefined;
  const sink = {
    push(item: LineItem) {
      if (item.kind === 'stmt') prev = item;
      emit(item);
    },
  };
  const indentStack: number[] = [0];
  let pendingComments: Comment[] = [];
  let blankBefore = false;
  let expectBlock = false; // previous statement opened a block (if/for)
  let makeIndent = -1; // >= 0 while instruction lines of a `make` may follow
  let cur: LogicalLine | null = null;
  let curLexer: moo.Lexer = mainLexer;
  let curState: moo.LexerState | undefined;
  let brackets: Tok[] = [];
  // Reported once: every statement deeper than MAX_NESTING blocks is left unparsed.
  let tooDeep = false;

  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!;
    const lineNo = i + 1;

    if (cur) {
      // Continuation of a logical line inside brackets.
      const toks = lexPhysical(curLexer, raw, lineNo, 1, curState);
      curState = curLexer.save();
      absorb(cur, toks, brackets, diagnostics, true);
      cur.endLine = lineNo;
      if (brackets.length === 0) {
        sink.push(cur);
        cur = null;
      }
      continue;
    }

    const m = /^[ \t]*/.exec(raw)!;
    const lead = m[0];
    const rest = raw.slice(lead.length);
    if (rest === '') {
      blankBefore = true;
      continue;
    }
    const indent = lead.length;
    if (rest.startsWith('#')) {
      pendingComments.push({ text: rest.trimEnd(), line: lineNo, col: indent + 1 });
      continue;
    }
    const tabAt = lead.indexOf('\t');
    if (tabAt >= 0) {
      diagnostics.push(diag('AEX101', 'error', 'tab in indentation; indent with spaces only', lineNo, tabAt + 1));
    }

    // Instruction lines of a `make` step: `- text`, deeper than the `make`.
    if (makeIndent >= 0) {
      if (indent > makeIndent && rest.startsWith('-')) {
        const instr = rest.slice(1).replace(/^[ \t]+/, '').trimEnd();
        const l = newLine('instr', indent, lineNo, pendingComments, blankBefore);
        l.tokens.push({ type: 'instr', value: instr, line: lineNo, col: indent + 1 });
        sink.push(l);
        pendingComments = [];
        blankBefore = false;
        continue;
      }
      if (indent > makeIndent) {
        diagnostics.push(
          diag('AEX100', 'error', 'expected an instruction line starting with "-" under "make"', lineNo, indent + 1),
        );
        continue;
      }
      makeIndent = -1;
    }

    // Indentation → INDENT / DEDENT.
    const top = indentStack[indentStack.length - 1]!;
    if (expectBlock) {
      if (indent > top) {
        indentStack.push(indent);
        sink.push({ kind: 'indent', line: lineNo });
        if (indentStack.length - 1 > MAX_NESTING && !tooDeep) {
          tooDeep = true;
          diagnostics.push(diag('AEX104', 'error', `blocks nested more than ${MAX_NESTING} levels deep`, lineNo, indent + 1));
        }
      } else {
        diagnostics.push(
          diag('AEX101', 'error', `expected an indented block after "${prev?.tokens[0]?.value ?? 'block opener'}"`, lineNo, indent + 1),
        );
        dedentTo(indent, indentStack, sink, diagnostics, lineNo);
      }
    } else if (indent > top) {
      diagnostics.push(diag('AEX101', 'error', 'unexpected indent', lineNo, indent + 1));
    } else if (indent < top) {
      dedentTo(indent, indentStack, sink, diagnostics, lineNo);
    }

    const firstWord = /^[A-Za-z_]+/.exec(rest)?.[0] ?? '';
    curLexer = RULE_KEYWORDS.has(firstWord) ? rulesLexer : HEADER_KEYWORDS.has(firstWord) ? headerLexer : mainLexer;
    const l = newLine('stmt', indent, lineNo, pendingComments, blankBefore);
    pendingComments = [];
    blankBefore = false;
    brackets = [];
    if (indentStack.length - 1 > MAX_NESTING) l.broken = true;
    absorb(l, lexPhysical(curLexer, rest, lineNo, indent + 1), brackets, diagnostics, false);
    curState = curLexer.save();
    const first = l.tokens[0]?.value;
    expectBlock = first === 'if' || first === 'for';
    if (first === 'make') makeIndent = indent;
    if (brackets.length > 0) {
      cur = l;
    } else {
      sink.push(l);
    }
  }

  if (cur) {
    const open = brackets[brackets.length - 1]!;
    diagnostics.push(diag('AEX102', 'error', `unclosed "${open.value}" (opened here) at end of file`, open.line, open.col));
    cur.broken = true;
    sink.push(cur);
  }
  if (expectBlock) {
    if (prev) diagnostics.push(diag('AEX101', 'error', `expected an indented block after "${prev.tokens[0]?.value}"`, prev.line, prev.col));
  }
  const eofLine = physical.length;
  while (indentStack.length > 1) {
    indentStack.pop();
    sink.push({ kind: 'dedent', line: eofLine });
  }
  return { trailingComments: pendingComments, diagnostics, text };
}

function newLine(kind: LogicalLine['kind'], indent: number, line: number, leading: Comment[], blankBefore: boolean): LogicalLine {
  return { kind, indent, line, col: indent + 1, endLine: line, tokens: [], leading, inner: [], blankBefore, broken: false };
}

function dedentTo(indent: number, stack: number[], sink: { push(item: LineItem): void }, diagnostics: Diagnostic[], lineNo: number) {
  while (stack.length > 1 && stack[stack.length - 1]! > indent) {
    stack.pop();
    sink.push({ kind: 'dedent', line: lineNo });
  }
  if (stack[stack.length - 1] !== indent) {
    diagnostics.push(diag('AEX101', 'error', 'dedent does not match any enclosing indentation level', lineNo, indent + 1));
  }
}

/** Moves significant tokens into the line, tracking brackets and comments. */
function absorb(l: LogicalLine, toks: Tok[], brackets: Tok[], diagnostics: Diagnostic[], continuation: boolean) {
  for (const t of toks) {
    switch (t.type) {
      case 'ws':
        break;
      case 'comment': {
        const c = { text: t.value.trimEnd(), line: t.line, col: t.col };
        // A comment on a line that continues (brackets still open) belongs inside.
        if (brackets.length > 0) l.inner.push(c);
        else if (continuation || !l.trailing) {
          if (l.trailing) l.inner.push(l.trailing);
          l.trailing = c;
        }
        break;
      }
      case 'badstring':
        diagnostics.push(diag('AEX102', 'error', 'unterminated string', t.line, t.col));
        l.broken = true;
        break;
      case 'squote':
        diagnostics.push(diag('AEX100', 'error', 'single quotes do not make a string; use double quotes', t.line, t.col));
        l.broken = true;
        break;
      default:
        if (t.type === 'string') checkEscapes(t, diagnostics, l);
        if (t.type in OPEN) {
          brackets.push(t);
          if (brackets.length === MAX_NESTING + 1) {
            diagnostics.push(diag('AEX104', 'error', `brackets nested more than ${MAX_NESTING} levels deep`, t.line, t.col));
            l.broken = true;
          }
        } else if (CLOSE.has(t.type)) {
          const open = brackets[brackets.length - 1];
          if (open && OPEN[open.type] === t.type) brackets.pop();
          else if (open) {
            diagnostics.push(diag('AEX100', 'error', `"${t.value}" does not close "${open.value}"`, t.line, t.col));
            l.broken = true;
            brackets.pop();
          }
        }
        l.tokens.push(t);
    }
  }
  // A trailing comment that was followed by more code on a later line is inner.
  if (l.trailing && l.tokens.length && l.tokens[l.tokens.length - 1]!.line > l.trailing.line) {
    l.inner.push(l.trailing);
    l.trailing = undefined;
  }
}

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function checkEscapes(t: Tok, diagnostics: Diagnostic[], l: LogicalLine) {
  const s = t.value;
  for (let i = 1; i < s.length - 1; i++) {
    if (s[i] !== '\\') continue;
    const c = s[i + 1]!;
    if (ESCAPES.has(c)) {
      i++;
    } else if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
      i += 5;
    } else {
      diagnostics.push(diag('AEX103', 'error', `invalid escape "\\${c}" in string`, t.line, t.col + i));
      l.broken = true;
      i++;
    }
  }
}

/** Decodes a string token (already checked by checkEscapes). */
export function decodeString(raw: string): string {
  const s = raw.slice(1, -1);
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'u':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return e;
    }
  });
}
