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
// The compiler reads statement lines with this lexer's hand-written twin (main-scanner.ts,
// held to it by tests/compiler/main-scanner.test.ts); change both together.
export const mainLexer = moo.compile({
  // Single characters that begin no other token come first: moo matches rules listed
  // before any regular expression by a table lookup instead of running its regexp.
  punct: ['(', ')', '[', ']', '{', '}', ',', '=', ':', '?', '$', '*'],
  ws: /[ \t]+/,
  comment: /#.*/,
  string: /"(?:[^"\\\n]|\\.)*"/,
  badstring: /"(?:[^"\\\n]|\\.)*\\?/,
  squote: /'[^'\n]*'?/,
  number: /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/,
  dotidx: /\.[0-9]+/,
  arrow: '->',
  word: { match: WORD, type: moo.keywords({ lit: ['true', 'false', 'null'] }) },
  // `.` and `-` also begin dotidx, numbers and `->`, which must be tried first.
  punctAfter: { match: ['.', '-'], type: () => 'punct' },
  other: { match: /[^]/, lineBreaks: true },
});

// Rule lines: use, allow, deny, confirm before, shell (docs/language.md). A stateful lexer:
//   head   tool patterns, `,` between rules, `where`, and the `:` that opens a qualifier;
//   qual   exactly one qualifier: a JSON string (may hold spaces) or a bare glob (no
//          space, `,`, `#` or `"`), then back to head;
//   where  `argpath op value` tests up to the next `,` outside brackets and quotes;
//   nest   inside `[`/`{` of a where value, where `,` separates items instead.
// The line layer saves the state across continuation lines of an open bracket.
const STRING = /"(?:[^"\\\n]|\\.)*"/;
const BADSTRING = /"(?:[^"\\\n]|\\.)*\\?/;
const JSON_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
const IDENT_WORD = /[A-Za-z_][A-Za-z0-9_]*/;

function whereRules(inNest: boolean): moo.Rules {
  return {
    ws: /[ \t]+/,
    comment: /#.*/,
    string: STRING,
    badstring: BADSTRING,
    squote: /'[^'\n]*'?/,
    number: JSON_NUMBER,
    op: { match: ['==', '!='], type: () => 'punct' },
    word: { match: IDENT_WORD, type: moo.keywords({ lit: ['true', 'false', 'null'] }) },
    open: { match: ['[', '{'], push: 'nest', type: () => 'punct' },
    close: inNest ? { match: [']', '}'], pop: 1, type: () => 'punct' } : { match: [']', '}'], type: () => 'punct' },
    comma: inNest ? { match: ',', type: () => 'punct' } : { match: ',', next: 'head' },
    punct: [':', '.'],
    other: { match: /[^]/, lineBreaks: true },
  };
}

export const rulesLexer = moo.states({
  head: {
    ws: /[ \t]+/,
    comment: /#.*/,
    comma: ',',
    string: STRING,
    badstring: BADSTRING,
    // `where` as a whole word; `where.x` stays a tool name.
    where: { match: /where(?![^\s,#":])/, next: 'where' },
    colon: { match: ':', next: 'qual' },
    tool: /[^\s,#":]+/,
    other: { match: /[^]/, lineBreaks: true },
  },
  qual: {
    string: { match: STRING, next: 'head' },
    badstring: { match: BADSTRING, next: 'head' },
    glob: { match: /[^\s,#"]+/, next: 'head' },
    ws: { match: /[ \t]+/, next: 'head' },
    comma: { match: ',', next: 'head' },
    comment: { match: /#.*/, next: 'head' },
    other: { match: /[^]/, lineBreaks: true, next: 'head' },
  },
  where: whereRules(false),
  nest: whereRules(true),
});

/** Header lines: task/agent/policy NAME vVERSION. */
export const headerLexer = moo.compile({
  ws: /[ \t]+/,
  comment: /#.*/,
  string: /"(?:[^"\\\n]|\\.)*"?/,
  hword: /[^\s#"]+/,
  other: { match: /[^]/, lineBreaks: true },
});

export const RULE_KEYWORDS = new Set(['use', 'allow', 'deny', 'confirm', 'shell']);
export const HEADER_KEYWORDS = new Set(['task', 'agent', 'policy']);
export const RESERVED = new Set(['true', 'false', 'null', 'from', 'with', 'in']);
