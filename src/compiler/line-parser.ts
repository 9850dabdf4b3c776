import type { Pos, RefNode } from './ast.js';
import type { RawCond, RawJson, RawRule, RawStmt, RawType, RawValue, RawWhereTest } from './grammar-results.js';
import type { Tok } from './tokens.js';

// The fast path of grammar/aex.ne: a hand-written recursive-descent parser of one logical
// line's tokens. The grammar stays the definition of the language; this file is the same
// language, built into the same results (values, object key order, positions) as the
// grammar's postprocessors, without the Earley parser's states. It answers undefined for a
// line that is not in the language, and parser.ts then runs nearley on that line, so every
// syntax diagnostic is still nearley's. tests/compiler/line-parser.test.ts holds the two
// equal, line for line, on every .aex of the repository, generated contracts and mutations
// of their tokens.
//
// Matching is nearley's: a quoted symbol of the grammar ("do", "(", ...) is a test of the
// token's value whatever its type (moo's `text` equals `value` here: no lexer rule
// transforms its value), a %symbol a test of its type. For the tokens the lexers of
// tokens.ts make (a word is never "[", a string never a keyword, a comma of either type
// is ","), the alternatives of every choice in the grammar never both pass their first
// token's test, and what may follow a finished part never continues it, so one token of
// lookahead decides (the grammar is unambiguous: a line in it has one parse).

/** Identifiers may not be reserved words, nor contain '-' (grammar/aex.ne `ident`). */
const RESERVED = new Set(['true', 'false', 'null', 'from', 'with', 'in']);

const NO_TOKENS: Tok[] = [];
// The line being parsed and the index of the next token. Module state rather than an
// object passed around: one line at a time, never re-entered.
let toks: Tok[] = NO_TOKENS;
let n = 0;
let i = 0;

const pos = (t: Tok): Pos => ({ line: t.line, column: t.col });

function at(k: number): Tok | undefined {
  return k < n ? toks[k] : undefined;
}

/** The next token's value if it is `v` (then consumed). */
function eat(v: string): boolean {
  if (i < n && toks[i]!.value === v) {
    i++;
    return true;
  }
  return false;
}

function identWord(t: Tok): boolean {
  return t.type === 'word' && !RESERVED.has(t.value) && !t.value.includes('-');
}

function isIdent(t: Tok | undefined): t is Tok {
  return t !== undefined && identWord(t);
}

/**
 * The statement of one logical line (the tokens nearley is fed by parser.ts), or undefined
 * when the line is not in the language. The start rule follows parser.ts: an `instr` token
 * is an instruction, a statement keyword its statement, and any other first word starts no
 * statement (every alternative of `statement` begins with a keyword).
 */
export function parseLineFast(tokens: Tok[]): RawStmt | undefined {
  if (tokens.length === 0) return undefined;
  toks = tokens;
  n = tokens.length;
  i = 1;
  let out: RawStmt | undefined;
  try {
    out = statement(tokens[0]!);
  } catch {
    // Brackets nested deeper than the stack (the only way this code can throw): nearley,
    // which keeps its own stack, decides that line.
    out = undefined;
  } finally {
    toks = NO_TOKENS;
  }
  return out !== undefined && i === n ? out : undefined;
}

function statement(first: Tok): RawStmt | undefined {
  if (first.type === 'instr') return { type: 'instruction', pos: pos(first), text: first.value };
  switch (first.value) {
    case 'task':
    case 'agent':
    case 'policy':
      return header(first, first.value);
    case 'goal': {
      const s = at(1);
      if (s === undefined || s.type !== 'string') return undefined;
      i = 2;
      return { type: 'goal', pos: pos(first), raw: s };
    }
    case 'use':
    case 'allow':
    case 'deny': {
      const rules = ruleList();
      return rules && { type: 'rules', keyword: first.value, pos: pos(first), rules };
    }
    case 'confirm': {
      if (!eat('before')) return undefined;
      const rule = ruleAt();
      return rule && { type: 'confirm', pos: pos(first), rule };
    }
    case 'shell':
      return shell(first);
    case 'need':
      return need(first);
    case 'budget':
      return budget(first);
    case 'do':
      return doStep(first);
    case 'make':
      return make(first);
    case 'check':
    case 'if': {
      const cond = condition();
      if (cond === undefined) return undefined;
      return first.value === 'check' ? { type: 'check', pos: pos(first), cond } : { type: 'if', pos: pos(first), cond };
    }
    case 'return': {
      const value = valueAt();
      return value && { type: 'return', pos: pos(first), value };
    }
    case 'for': {
      const v = at(1);
      if (!isIdent(v)) return undefined;
      i = 2;
      if (!eat('in')) return undefined;
      const iter = ref();
      return iter && { type: 'for', pos: pos(first), variable: v.value, varPos: pos(v), iter };
    }
    default:
      return undefined;
  }
}

// ---- declarations -------------------------------------------------------------

function header(first: Tok, keyword: 'task' | 'agent' | 'policy'): RawStmt | undefined {
  const name = at(1);
  const version = at(2);
  if (name === undefined || version === undefined || name.type !== 'hword' || version.type !== 'hword') return undefined;
  i = 3;
  return { type: 'header', keyword, pos: pos(first), name: name.value, namePos: pos(name), version: version.value, versionPos: pos(version) };
}

function ruleList(): RawRule[] | undefined {
  const first = ruleAt();
  if (first === undefined) return undefined;
  const rules = [first];
  while (i < n && toks[i]!.type === 'comma') {
    i++;
    const r = ruleAt();
    if (r === undefined) return undefined;
    rules.push(r);
  }
  return rules;
}

/** rule -> %tool qualifier whereClause */
function ruleAt(): RawRule | undefined {
  const tool = at(i);
  if (tool === undefined || tool.type !== 'tool') return undefined;
  i++;
  let qualifier: RawRule['qualifier'] = null;
  const colon = at(i);
  if (colon !== undefined && colon.type === 'colon') {
    i++;
    const v = at(i);
    if (v !== undefined && (v.type === 'glob' || v.type === 'string')) {
      i++;
      qualifier = { colon, value: v };
    } else {
      qualifier = { colon, value: null };
    }
  }
  let where: RawRule['where'] = null;
  const keyword = at(i);
  if (keyword !== undefined && keyword.type === 'where') {
    i++;
    const tests: RawWhereTest[] = [];
    do {
      const t = whereTest();
      if (t === undefined) return undefined;
      tests.push(t);
    } while (eat('and'));
    where = { keyword, tests };
  }
  return { tool, qualifier, where };
}

function whereTest(): RawWhereTest | undefined {
  const head = at(i);
  if (head === undefined || head.type !== 'word') return undefined;
  i++;
  const arg = [head.value];
  while (eat('.')) {
    const w = at(i);
    if (w === undefined || w.type !== 'word') return undefined;
    i++;
    arg.push(w.value);
  }
  const o = at(i);
  if (o === undefined) return undefined;
  let op: RawWhereTest['op'];
  switch (o.value) {
    case '==':
    case '!=':
    case 'in':
    case 'matches':
    case 'has':
      op = o.value;
      i++;
      break;
    case 'not':
      i++;
      if (!eat('in')) return undefined;
      op = 'not in';
      break;
    default:
      return undefined;
  }
  const value = json();
  return value && { arg, pos: pos(head), op, value };
}

/** A string, number or literal token as `json` and `value` both make it (the grammar spells the two alike). */
type Scalar = Extract<RawJson, { kind: 'string' | 'number' | 'bool' | 'null' }>;

function scalar(t: Tok): Scalar | undefined {
  switch (t.type) {
    case 'string':
      return { kind: 'string', raw: t.value, pos: pos(t) };
    case 'number':
      return { kind: 'number', value: Number(t.value), raw: t.value, pos: pos(t) };
    case 'lit':
      return t.value === 'null' ? { kind: 'null', pos: pos(t) } : { kind: 'bool', value: t.value === 'true', pos: pos(t) };
  }
  return undefined;
}

/** A where value: JSON-like literals only. */
function json(): RawJson | undefined {
  const t = at(i);
  if (t === undefined) return undefined;
  const s = scalar(t);
  if (s !== undefined) {
    i++;
    return s;
  }
  if (t.value === '[') {
    i++;
    const items = delimited(']', json);
    return items && { kind: 'list', items, pos: pos(t) };
  }
  if (t.value === '{') {
    i++;
    const members = delimited('}', (): Extract<RawJson, { kind: 'object' }>['members'][number] | undefined => {
      const k = at(i);
      if (k === undefined || (k.type !== 'word' && k.type !== 'string')) return undefined;
      i++;
      if (!eat(':')) return undefined;
      const value = json();
      if (value === undefined) return undefined;
      return k.type === 'word' ? { key: k.value, keyRaw: null, keyPos: pos(k), value } : { key: null, keyRaw: k.value, keyPos: pos(k), value };
    });
    return members && { kind: 'object', members, pos: pos(t) };
  }
  return undefined;
}

/**
 * The items of a bracketed list whose opener was just read, up to and including `close`:
 * none, or items separated by commas with an optional trailing comma (`trailingComma` of
 * grammar/aex.ne, for lists and objects of values and of where values alike).
 */
function delimited<T>(close: string, item: () => T | undefined): T[] | undefined {
  const items: T[] = [];
  if (eat(close)) return items;
  for (;;) {
    const one = item();
    if (one === undefined) return undefined;
    items.push(one);
    if (eat(close)) return items;
    if (!eat(',')) return undefined;
    if (eat(close)) return items;
  }
}

function shell(first: Tok): RawStmt | undefined {
  const tools: Tok[] = [];
  for (;;) {
    const t = at(i);
    if (t === undefined || t.type !== 'tool') return undefined;
    i++;
    tools.push(t);
    if (i < n && toks[i]!.type === 'comma') i++;
    else break;
  }
  return { type: 'shell', pos: pos(first), tools };
}

function need(first: Tok): RawStmt | undefined {
  const name = at(1);
  if (!isIdent(name)) return undefined;
  i = 2;
  if (!eat(':')) return undefined;
  const typeNode = type();
  return typeNode && { type: 'need', pos: pos(first), name: name.value, namePos: pos(name), typeNode };
}

/** type -> WORD ["[" type "]"] {"?"} */
function type(): RawType | undefined {
  const w = at(i);
  if (w === undefined || w.type !== 'word') return undefined;
  i++;
  let node: RawType;
  if (eat('[')) {
    const item = type();
    if (item === undefined || !eat(']')) return undefined;
    node = { base: w.value, item, optional: 0, pos: pos(w) };
  } else {
    node = { base: w.value, optional: 0, pos: pos(w) };
  }
  while (eat('?')) node.optional++;
  return node;
}

function budget(first: Tok): RawStmt | undefined {
  const items: Extract<RawStmt, { type: 'budget' }>['items'] = [];
  do {
    const key = at(i);
    if (key === undefined || key.type !== 'word') return undefined;
    const eq = at(i + 1);
    if (eq === undefined || eq.value !== '=') return undefined;
    i += 2;
    const v = at(i);
    if (v !== undefined && (v.type === 'number' || v.type === 'word' || v.type === 'string' || v.type === 'lit')) {
      i++;
      items.push({ key: key.value, pos: pos(key), eq, value: v });
    } else {
      items.push({ key: key.value, pos: pos(key), eq, value: null });
    }
  } while (eat(','));
  return { type: 'budget', pos: pos(first), items };
}

// ---- steps --------------------------------------------------------------------

function doStep(first: Tok): RawStmt | undefined {
  const head = at(1);
  if (head === undefined || head.type !== 'word') return undefined;
  i = 2;
  let tool = head.value;
  while (eat('.')) {
    const w = at(i);
    if (w === undefined || w.type !== 'word') return undefined;
    i++;
    tool = tool + '.' + w.value;
  }
  if (!eat('(')) return undefined;
  const args: Extract<RawStmt, { type: 'do' }>['args'] = [];
  if (!eat(')')) {
    do {
      const name = at(i);
      if (!isIdent(name)) return undefined;
      i++;
      if (!eat('=')) return undefined;
      const value = valueAt();
      if (value === undefined) return undefined;
      args.push({ name: name.value, pos: pos(name), value });
    } while (eat(','));
    if (!eat(')')) return undefined;
  }
  const step: Extract<RawStmt, { type: 'do' }> = { type: 'do', pos: pos(first), tool, args, bind: null };
  const arrow = at(i);
  if (arrow !== undefined && arrow.type === 'arrow') {
    const bind = at(i + 1);
    if (!isIdent(bind)) return undefined;
    i += 2;
    step.bind = bind;
  }
  return step;
}

function make(first: Tok): RawStmt | undefined {
  const bind = at(1);
  const artifact = at(3);
  if (!isIdent(bind) || at(2)?.value !== ':' || artifact === undefined || artifact.type !== 'word' || artifact.value.includes('-') || at(4)?.value !== 'from') return undefined;
  i = 5;
  const inputs: RefNode[] = [];
  do {
    if (eat('$')) {
      const r = ref();
      if (r === undefined) return undefined;
      inputs.push({ kind: r.kind, name: r.name, path: r.path, pos: r.pos, dollar: true });
    } else {
      const r = ref();
      if (r === undefined) return undefined;
      inputs.push(r);
    }
  } while (eat(','));
  if (!eat('with')) return undefined;
  eat(':');
  return { type: 'make', pos: pos(first), bind: bind.value, bindPos: pos(bind), artifact: artifact.value, inputs };
}

// ---- conditions ---------------------------------------------------------------

function condition(): RawCond | undefined {
  const subject = ref();
  if (subject === undefined) return undefined;
  const t = at(i);
  if (t === undefined) return { op: 'truthy', subject };
  switch (t.value) {
    case 'has': {
      i++;
      const u = at(i);
      if (u === undefined) return undefined;
      if (u.type === 'string') {
        i++;
        return { op: 'has', subject, needle: { kind: 'string', raw: u.value, pos: pos(u) } };
      }
      if (eat('citations')) return { op: 'has_citations', subject };
      if (eat('valid') && eat('diff')) return { op: 'valid_diff', subject, verb: 'has' };
      return undefined;
    }
    case 'does': {
      i++;
      if (!eat('not') || !eat('include')) return undefined;
      const u = at(i);
      if (u !== undefined && u.type === 'string') {
        i++;
        return { op: 'not_includes', subject, needle: { kind: 'string', raw: u.value, pos: pos(u) } };
      }
      const needle = ref();
      return needle && { op: 'not_includes', subject, needle };
    }
    case 'is':
      i++;
      return eat('valid') && eat('diff') ? { op: 'valid_diff', subject, verb: 'is' } : undefined;
    case 'touches': {
      i++;
      if (!eat('only')) return undefined;
      const u = at(i);
      if (u !== undefined && u.value === '[') {
        const allowed = list(u);
        return allowed && { op: 'touches_only', subject, allowed };
      }
      const allowed = ref();
      return allowed && { op: 'touches_only', subject, allowed };
    }
    default:
      return undefined;
  }
}

// ---- values -------------------------------------------------------------------

function valueAt(): RawValue | undefined {
  const t = at(i);
  if (t === undefined) return undefined;
  const s = scalar(t);
  if (s !== undefined) {
    i++;
    return s;
  }
  if (t.type === 'word') return ref();
  if (t.value === '[') return list(t);
  if (t.value === '{') {
    i++;
    const members = delimited('}', (): Extract<RawValue, { kind: 'object' }>['members'][number] | undefined => {
      const k = at(i);
      if (k === undefined) return undefined;
      const keyIsIdent = identWord(k);
      if (!keyIsIdent && k.type !== 'string') return undefined;
      i++;
      if (!eat(':')) return undefined;
      const value = valueAt();
      if (value === undefined) return undefined;
      return keyIsIdent ? { key: k.value, keyRaw: null, keyPos: pos(k), value } : { key: null, keyRaw: k.value, keyPos: pos(k), value };
    });
    return members && { kind: 'object', members, pos: pos(t) };
  }
  return undefined;
}

/** A list value from its opening bracket `open` (the next token): items, then an optional trailing comma. */
function list(open: Tok): RawValue | undefined {
  i++;
  const items = delimited(']', valueAt);
  return items && { kind: 'list', items, pos: pos(open) };
}

/** ref -> IDENT {"." NAME | DOTIDX}: a name never contains '-' but may be a reserved word. */
function ref(): RefNode | undefined {
  const head = at(i);
  if (!isIdent(head)) return undefined;
  i++;
  const path: Array<string | number> = [];
  for (;;) {
    const t = at(i);
    if (t === undefined) break;
    if (t.value === '.') {
      const w = at(i + 1);
      if (w === undefined || w.type !== 'word' || w.value.includes('-')) return undefined;
      path.push(w.value);
      i += 2;
    } else if (t.type === 'dotidx') {
      path.push(Number(t.value.slice(1)));
      i++;
    } else break;
  }
  return { kind: 'ref', name: head.value, path, pos: pos(head) };
}
