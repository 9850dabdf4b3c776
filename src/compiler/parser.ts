import nearley from 'nearley';
import grammar from './grammar.generated.js';
import type { CondNode, DocumentNode, Pos, RuleNode, Stmt, TypeNode, ValueNode } from './ast.js';
import { diag, type Diagnostic } from './diagnostics.js';
import { decodeString, lexLines, type LogicalLine } from './lexer.js';
import { parseLineFast } from './line-parser.js';
import type { Tok } from './tokens.js';
import type { RawCond, RawJson, RawRule, RawStmt, RawType, RawValue } from './grammar-results.js';
import type { JsonValue } from '../rules/types.js';
import { printRuleText } from './print-rule.js';
import { childStatements } from './visit-ast.js';

// Parse driver: one parse per logical line (linear in file size), blocks built from
// the INDENT/DEDENT markers of the line layer. A line is parsed by the grammar's fast
// path (line-parser.ts) first; only a line it does not accept goes to nearley, which
// then either parses it or finds the token its syntax diagnostic points at.

// The first word of a statement decides which grammar rule can match, so each
// parse starts from that rule instead of predicting every statement form: the
// same language, a fraction of the Earley states.
const START_BY_KEYWORD: Record<string, string> = {
  task: 'header', agent: 'header', policy: 'header', goal: 'goal', use: 'rules', allow: 'rules', deny: 'rules',
  confirm: 'confirm', shell: 'shell', need: 'need', budget: 'budget', do: 'do', make: 'make', check: 'check', return: 'return',
  if: 'if', for: 'for',
};

/**
 * One nearley parser per start rule, kept for the whole process: nearley's own
 * save/restore puts it back to the state before the first token (the start rule
 * predicted), so a line costs no new parser and no new prediction of its start.
 */
interface ReusableParser {
  parser: nearley.Parser;
  initial: ReturnType<nearley.Parser['save']>;
}
const parserByStart = new Map<string, ReusableParser>();
function parserFor(first: Tok): nearley.Parser {
  const start = first.type === 'instr' ? 'instruction' : (START_BY_KEYWORD[first.value] ?? 'statement');
  let p = parserByStart.get(start);
  if (!p) {
    const g = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);
    g.start = start;
    const parser = new nearley.Parser(g);
    p = { parser, initial: parser.save() };
    parserByStart.set(start, p);
  }
  p.parser.restore(p.initial);
  return p.parser;
}

export interface ParseResult {
  doc: DocumentNode;
  diagnostics: Diagnostic[];
  /** Number of parses of each statement; the grammar is unambiguous when all are 1. */
  ambiguities: Array<{ line: number; parses: number }>;
  text: string;
}

const USAGE: Record<string, string> = {
  task: 'expected `task NAME vVERSION`',
  agent: 'expected `agent NAME vVERSION`',
  policy: 'expected `policy NAME vVERSION`',
  goal: 'expected `goal "text"`',
  use: 'expected `use RULE, RULE, ...`',
  allow: 'expected `allow RULE, RULE, ...`',
  deny: 'expected `deny RULE, RULE, ...`',
  confirm: 'expected `confirm before RULE`',
  shell: 'expected `shell TOOL, TOOL, ...`',
  need: 'expected `need NAME: TYPE`',
  budget: 'expected `budget calls=N, ...`',
  do: 'expected `do TOOL(name=value, ...) [-> NAME]`',
  make: 'expected `make NAME: KIND from REF, ... with:`',
  return: 'expected `return VALUE`',
  for: 'expected `for NAME in REF`',
};

const STATEMENT_WORDS = new Set([
  'task', 'agent', 'policy', 'goal', 'use', 'allow', 'deny', 'confirm', 'shell', 'need', 'budget',
  'do', 'make', 'check', 'return', 'if', 'for',
]);

function tokText(t: Tok | undefined): string {
  if (!t) return 'end of line';
  return t.type === 'string' ? 'string ' + t.value : `"${t.value}"`;
}


type LineResult = { stmt?: RawStmt; error?: Diagnostic; parses: number };

/** Parses one logical line's tokens. Returns the statement or a diagnostic. */
export function parseLine(l: LogicalLine): LineResult {
  // The fast path accepts exactly the grammar's language, and the grammar is unambiguous.
  const stmt = parseLineFast(l.tokens);
  if (stmt !== undefined) return { stmt, parses: 1 };
  return parseLineNearley(l);
}

/** One logical line parsed by nearley alone: results[0] and the number of parses, or the syntax diagnostic. */
export function parseLineNearley(l: LogicalLine): LineResult {
  const toks = l.tokens;
  const first = toks[0]!;
  const keyword = first.value;
  const parser = parserFor(first);
  try {
    // @types/nearley types a chunk as text; the grammar's lexer (grammar/aex.ne) takes token arrays.
    parser.feed(toks as unknown as string);
  } catch (e) {
    const bad = (e as { token?: Tok }).token;
    return { error: syntaxError(l, keyword, bad, toks), parses: 0 };
  }
  const n = parser.results.length;
  if (n === 0) {
    return { error: syntaxError(l, keyword, undefined, toks), parses: 0 };
  }
  return { stmt: parser.results[0] as RawStmt, parses: n };
}

function syntaxError(l: LogicalLine, keyword: string, bad: Tok | undefined, toks: Tok[]): Diagnostic {
  const last = toks[toks.length - 1]!;
  const at = bad ?? { ...last, col: last.col + last.value.length };
  const found = bad ? tokText(bad) : 'end of line';
  if (keyword === 'check' || keyword === 'if') {
    const text = toks.slice(1).map((t) => t.value).join(' ');
    return diag('AEX040', 'error', `unsupported condition "${text}"; expected REF, REF has "text", REF has citations, REF does not include X, REF is valid diff, or REF touches only LIST`, toks[1]?.line ?? l.line, toks[1]?.col ?? l.col);
  }
  if (!STATEMENT_WORDS.has(keyword) || (toks[0]!.type !== 'word' && toks[0]!.type !== 'tool' && toks[0]!.type !== 'hword')) {
    return diag('AEX100', 'error', `unrecognised statement starting with ${tokText(toks[0])}`, l.line, l.col);
  }
  const ruleProblem = ruleLineError(keyword, bad, toks);
  if (ruleProblem) return ruleProblem;
  const dashed = toks.find((t) => t.type === 'word' && t.value.includes('-') && t !== toks[0] && !(keyword === 'do' && t === toks[1]));
  if (dashed && !bad) {
    return diag('AEX100', 'error', `"${dashed.value}" is not a valid name: names use letters, digits and "_"`, dashed.line, dashed.col);
  }
  const reserved = toks.find((t, i) => i > 0 && (t.value === 'from' || t.value === 'with' || t.value === 'in') && keyword !== 'make' && keyword !== 'for');
  if (reserved && !bad) {
    return diag('AEX100', 'error', `"${reserved.value}" is a reserved word and cannot be used as a name`, reserved.line, reserved.col);
  }
  const usage = USAGE[keyword];
  return diag('AEX100', 'error', `invalid ${keyword} statement: unexpected ${found}${usage ? '; ' + usage : ''}`, at.line, at.col);
}

/**
 * AEX014 for a rule line that fails inside a qualifier or a `where` clause (
 * docs/language.md): the error is in the rule, not in the statement's shape.
 */
function ruleLineError(keyword: string, bad: Tok | undefined, toks: Tok[]): Diagnostic | null {
  if (keyword !== 'use' && keyword !== 'allow' && keyword !== 'deny' && keyword !== 'confirm') return null;
  const end = bad ? toks.indexOf(bad) : toks.length;
  // The part of the rule the parser was in when it failed: after the last comma outside a where value.
  let start = 0;
  for (let i = 0; i < end; i++) if (toks[i]!.type === 'comma') start = i + 1;
  const inRule = toks.slice(start, end);
  const last = toks[toks.length - 1]!;
  const at = bad ?? { ...last, col: last.col + last.value.length };
  const found = bad ? tokText(bad) : 'end of line';
  if (inRule.some((t) => t.type === 'where')) {
    return diag('AEX014', 'error', `malformed where clause: unexpected ${found}; expected ARG OP VALUE {and ARG OP VALUE} with OP one of ==, !=, in, not in, matches, has and a JSON value`, at.line, at.col);
  }
  if (inRule.some((t) => t.type === 'colon')) {
    return diag('AEX014', 'error', `malformed qualifier: unexpected ${found}; write TOOL:GLOB or TOOL:"text with spaces"`, at.line, at.col);
  }
  return null;
}

function toPos(p: { line: number; column: number }): Pos {
  return { line: p.line, column: p.column };
}

function buildValue(v: RawValue, diags: Diagnostic[]): ValueNode {
  switch (v.kind) {
    case 'string':
      return { kind: 'string', value: decodeString(v.raw), pos: v.pos };
    case 'list':
      return { kind: 'list', items: v.items.map((x) => buildValue(x, diags)), pos: v.pos };
    case 'object':
      return {
        kind: 'object',
        pos: v.pos,
        members: v.members.map((m) => ({ key: m.key ?? decodeString(m.keyRaw), keyPos: m.keyPos, value: buildValue(m.value, diags) })),
      };
    case 'number':
      if (!Number.isFinite(v.value)) {
        diags.push(diag('AEX100', 'error', `number ${v.raw} is out of range`, v.pos.line, v.pos.column));
      }
      return v;
    default:
      return v;
  }
}

function buildCond(c: RawCond, diags: Diagnostic[]): CondNode {
  switch (c.op) {
    case 'has':
    case 'not_includes':
      return { op: c.op, subject: c.subject, needle: buildValue(c.needle, diags) };
    case 'touches_only':
      return { op: c.op, subject: c.subject, allowed: buildValue(c.allowed, diags) };
    case 'valid_diff':
      return { op: 'valid_diff', subject: c.subject, verb: c.verb };
    default:
      return { op: c.op, subject: c.subject };
  }
}

/** A where value as JSON. Duplicate keys and non-finite numbers are AEX014 (their meaning would be a guess). */
function buildJson(v: RawJson, diags: Diagnostic[]): JsonValue {
  switch (v.kind) {
    case 'string':
      return decodeString(v.raw);
    case 'number':
      if (!Number.isFinite(v.value)) diags.push(diag('AEX014', 'error', `number ${v.raw} in a where test is out of range`, v.pos.line, v.pos.column));
      return v.value;
    case 'bool':
      return v.value;
    case 'null':
      return null;
    case 'list':
      return v.items.map((x) => buildJson(x, diags));
    case 'object': {
      const out: { [key: string]: JsonValue } = {};
      for (const m of v.members) {
        const key = m.key ?? decodeString(m.keyRaw);
        if (Object.prototype.hasOwnProperty.call(out, key)) {
          diags.push(diag('AEX014', 'error', `duplicate key ${JSON.stringify(key)} in a where value`, m.keyPos.line, m.keyPos.column));
        }
        // defineProperty: a key such as "__proto__" is an ordinary key, as in JSON.parse.
        Object.defineProperty(out, key, { value: buildJson(m.value, diags), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}

function buildRule(r: RawRule, diags: Diagnostic[]): RuleNode {
  const pos = { line: r.tool.line, column: r.tool.col };
  const node: RuleNode = { text: '', tool: r.tool.value, pos };
  if (r.qualifier) {
    const v = r.qualifier.value;
    const at = v ?? r.qualifier.colon;
    const quoted = v?.type === 'string';
    node.qualifier = { value: v === null ? '' : quoted ? decodeString(v.value) : v.value, quoted, pos: { line: at.line, column: at.col } };
  }
  if (r.where) {
    node.where = r.where.tests.map((t) => ({ arg: t.arg, op: t.op, value: buildJson(t.value, diags), pos: t.pos }));
  }
  node.text = printRuleText(node.tool, node.qualifier?.value, node.where);
  return node;
}

function buildType(t: RawType): TypeNode {
  const node: TypeNode = { base: t.base, optional: t.optional, pos: t.pos };
  if (t.item) node.item = buildType(t.item);
  return node;
}

function budgetNumber(v: Tok | null): number | null {
  if (!v || v.type !== 'number') return null;
  return Number(v.value);
}

/** Turns a raw grammar result into an AST statement (without block bodies). */
function buildStmt(raw: RawStmt, l: LogicalLine, diags: Diagnostic[]): Stmt | { type: 'instruction'; text: string; pos: Pos } {
  const comments = { leading: l.leading, trailing: l.trailing, inner: l.inner };
  const r = raw;
  const pos = toPos(r.pos);
  switch (r.type) {
    case 'header':
      return { type: 'header', keyword: r.keyword, name: r.name, version: r.version, namePos: r.namePos, versionPos: r.versionPos, pos, comments };
    case 'goal':
      return { type: 'goal', value: decodeString(r.raw.value), pos, comments };
    case 'rules':
      return { type: 'rules', keyword: r.keyword, rules: r.rules.map((x) => buildRule(x, diags)), pos, comments };
    case 'confirm':
      return { type: 'confirm', rule: buildRule(r.rule, diags), pos, comments };
    case 'shell':
      return { type: 'shell', tools: r.tools.map((t) => ({ name: t.value, pos: { line: t.line, column: t.col } })), pos, comments };
    case 'need':
      return { type: 'need', name: r.name, namePos: r.namePos, typeNode: buildType(r.typeNode), pos, comments };
    case 'budget':
      return {
        type: 'budget',
        pos,
        comments,
        items: r.items.map((it) => ({
          key: it.key,
          raw: it.value ? it.value.value : '',
          value: budgetNumber(it.value),
          pos: it.pos,
          valuePos: it.value ? { line: it.value.line, column: it.value.col } : { line: it.eq.line, column: it.eq.col + 1 },
        })),
      };
    case 'do':
      return {
        type: 'do',
        tool: r.tool,
        args: r.args.map((a) => ({ name: a.name, pos: a.pos, value: buildValue(a.value, diags) })),
        bind: r.bind ? r.bind.value : null,
        bindPos: r.bind ? { line: r.bind.line, column: r.bind.col } : undefined,
        pos,
        comments,
      };
    case 'make':
      return { type: 'make', bind: r.bind, bindPos: r.bindPos, artifact: r.artifact, inputs: r.inputs, instructions: [], pos, comments };
    case 'check':
      return { type: 'check', cond: buildCond(r.cond, diags), pos, comments };
    case 'return':
      return { type: 'return', value: buildValue(r.value, diags), pos, comments };
    case 'if':
      return { type: 'if', cond: buildCond(r.cond, diags), body: [], pos, comments };
    case 'for':
      return { type: 'for', variable: r.variable, varPos: r.varPos, iter: r.iter, body: [], pos, comments };
    case 'instruction':
      return { type: 'instruction', text: r.text, pos };
  }
}

/** Parses a whole source text into an AST and syntax diagnostics. Never throws for user input. */
export function parse(source: string): ParseResult {
  return parseWith(source, parseLine);
}

/**
 * parse() with the fast path off, every line parsed by nearley: for
 * tests/compiler/line-parser.test.ts, which holds both to the same output.
 */
export function parseWithoutFastPath(source: string): ParseResult {
  return parseWith(source, parseLineNearley);
}

function parseWith(source: string, parseLine: (l: LogicalLine) => LineResult): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const ambiguities: ParseResult['ambiguities'] = [];
  const root: Stmt[] = [];
  const stack: Stmt[][] = [root];
  // The statement that the next INDENT opens a block for (if/for).
  let lastStmt: Stmt | null = null;
  let lastMake: Extract<Stmt, { type: 'make' }> | null = null;

  // Each line is parsed as soon as the line layer completes it.
  const lexed = lexLines(source, (item) => {
    if (item.kind === 'indent') {
      const block = lastStmt ? childStatements(lastStmt) : undefined;
      // A block whose opener failed to parse still gets a list, so its body is checked.
      stack.push(block ?? []);
      lastStmt = null;
      return;
    }
    if (item.kind === 'dedent') {
      if (stack.length > 1) stack.pop();
      lastStmt = null;
      lastMake = null;
      return;
    }
    if (item.broken || item.tokens.length === 0) {
      lastStmt = null;
      return;
    }
    const res = parseLine(item);
    if (res.parses > 1) ambiguities.push({ line: item.line, parses: res.parses });
    if (!res.stmt) {
      diagnostics.push(res.error!);
      lastStmt = item.tokens[0]!.value === 'if' || item.tokens[0]!.value === 'for' ? null : lastStmt;
      if (item.tokens[0]!.value !== 'make') lastMake = null;
      return;
    }
    const stmt = buildStmt(res.stmt, item, diagnostics);
    if (stmt.type === 'instruction') {
      if (lastMake) lastMake.instructions.push({ text: stmt.text, pos: stmt.pos, comments: item.leading });
      return;
    }
    stack[stack.length - 1]!.push(stmt);
    lastStmt = stmt;
    lastMake = stmt.type === 'make' ? stmt : null;
  });
  // The line layer's diagnostics first, as when it ran before the parser.
  return { doc: { body: root, trailingComments: lexed.trailingComments }, diagnostics: [...lexed.diagnostics, ...diagnostics], ambiguities, text: lexed.text };
}
