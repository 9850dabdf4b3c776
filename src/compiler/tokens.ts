import moo from 'moo';

// Three moo lexers, chosen by the first word of a logical line. Keywords are
// recognised by position in the grammar (matched by value), so words such as `diff`
// or `check` stay usable as names; only the literals below get their own type.

export interface Tok {
  type: string;
  value: string;
  line: number;
  col: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/;

/** Statements: do, make, check, if, for, return, goal, need, budget. */
export const mainLexer = moo.compile({
  ws: /[ \t]+/,
  comment: /#.*/,
  string: /"(?:[^"\\\n]|\\.)*"/,
  badstring: /"(?:[^"\\\n]|\\.)*\\?/,
  squote: /'[^'\n]*'?/,
  number: /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/,
  dotidx: /\.[0-9]+/,
  arrow: '->',
  word: { match: WORD, type: moo.keywords({ lit: ['true', 'false', 'null'] }) },
  punct: ['(', ')', '[', ']', '{', '}', ',', '=', ':', '.', '?', '$', '-', '*'],
  other: { match: /[^]/, lineBreaks: true },
});

/** Rule lines: use, allow, deny, confirm before. A rule is any run without space, `,` or `#`. */
export const rulesLexer = moo.compile({
  ws: /[ \t]+/,
  comment: /#.*/,
  comma: ',',
  rule: /[^\s,#]+/,
  other: { match: /[^]/, lineBreaks: true },
});

/** Header lines: task/agent/policy NAME vVERSION. */
export const headerLexer = moo.compile({
  ws: /[ \t]+/,
  comment: /#.*/,
  string: /"(?:[^"\\\n]|\\.)*"?/,
  hword: /[^\s#"]+/,
  other: { match: /[^]/, lineBreaks: true },
});

export const RULE_KEYWORDS = new Set(['use', 'allow', 'deny', 'confirm']);
export const HEADER_KEYWORDS = new Set(['task', 'agent', 'policy']);
export const RESERVED = new Set(['true', 'false', 'null', 'from', 'with', 'in']);
