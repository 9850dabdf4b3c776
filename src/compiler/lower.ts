import type { CondNode, DocumentNode, RefNode, RuleNode, Stmt, TypeNode, ValueNode } from './ast.js';
import type { Cond, Expr, IRDocument, Need, RefExpr, Rule, Step, TypeExpr, BaseType } from '../ir/types.js';
import { IR_VERSION, IR_VERSION_V2 } from '../ir/types.js';
import { printCond } from './print-value.js';
import { ruleUsable } from './validate/rule-syntax.js';
import { ruleSpecOf } from './rule-spec.js';

// AST → IR v1 (docs/design.md#the-ir-contract). Lowering is total over parsed documents: parts that
// failed validation are left out so the IR stays schema-shaped, and callers refuse
// to use an IR whose compile reported errors.

const BASES = new Set(['str', 'num', 'int', 'bool', 'file', 'url', 'json']);

function ref(r: RefNode): RefExpr {
  return r.path.length ? { ref: r.name, path: [...r.path] } : { ref: r.name };
}

export function lowerValue(v: ValueNode): Expr {
  switch (v.kind) {
    case 'string':
      return { lit: v.value };
    case 'number':
      return { lit: v.value };
    case 'bool':
      return { lit: v.value };
    case 'null':
      return { lit: null };
    case 'ref':
      return ref(v);
    case 'list':
      return { list: v.items.map(lowerValue) };
    case 'object':
      return { object: v.members.map(lowerMember) };
  }
}

// Callbacks of the map() calls that build the IR's lists, made once: map() gives each list
// its exact length (a list grown by push() keeps room for 16 more elements, and the IR of a
// long contract holds tens of thousands of short lists).
const lowerMember = (m: { key: string; value: ValueNode }) => ({ key: m.key, value: lowerValue(m.value) });
const lowerArg = (a: { name: string; value: ValueNode }) => ({ name: a.name, value: lowerValue(a.value) });
const instructionText = (i: { text: string }) => i.text;

function lowerCond(c: CondNode): Cond {
  switch (c.op) {
    case 'has':
    case 'not_includes':
      return { op: c.op, subject: ref(c.subject), needle: lowerValue(c.needle) };
    case 'touches_only':
      return { op: c.op, subject: ref(c.subject), allowed: lowerValue(c.allowed) };
    default:
      return { op: c.op, subject: ref(c.subject) };
  }
}

function lowerType(t: TypeNode): TypeExpr | null {
  if (t.base === 'list') {
    const item = t.item ? lowerType(t.item) : null;
    return item ? { base: 'list', item } : null;
  }
  return BASES.has(t.base) && !t.item ? { base: t.base as BaseType } : null;
}

function lowerRule(r: RuleNode): Rule | null {
  if (!ruleUsable(r)) return null;
  const spec = ruleSpecOf(r);
  // Key order tool, loc, qualifier: the v1 bytes of AEX 1 documents stay as they were.
  const out: Rule = { tool: r.tool, loc: { line: r.pos.line, column: r.pos.column } };
  for (const field of ['path', 'command', 'host', 'url'] as const) if (spec[field] !== undefined) out[field] = spec[field];
  if (spec.where) out.where = spec.where;
  return out;
}

/** The tool patterns IR v1 can hold (docs/design.md#the-ir-contract): no `*` inside a segment. */
const V1_TOOL_PATTERN = /^(\*|[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*(\.\*)?)$/;

/** Does this IR use anything only v2 expresses (docs/design.md#the-ir-contract)? */
export function needsIRv2(ir: IRDocument): boolean {
  if (ir.shells?.length) return true;
  const { use, deny, confirm } = ir.permissions;
  return [...use, ...deny, ...confirm].some(
    (r) => r.command !== undefined || r.host !== undefined || r.url !== undefined || r.where !== undefined || !V1_TOOL_PATTERN.test(r.tool),
  );
}

/** The same document as IR v2 (`shells` always present). */
export function asIRv2(ir: IRDocument): IRDocument {
  const { steps, ...head } = ir;
  return { ...head, irVersion: IR_VERSION_V2, steps, shells: ir.shells ?? [] };
}

const locOf = (s: Stmt) => ({ line: s.pos.line, column: s.pos.column });

/**
 * The steps of a task, nested blocks included, in source order. Declarations are lowered
 * separately (nested ones are errors and become no step). One switch per statement and
 * plain loops: a cold compile runs this mostly interpreted, once per statement.
 */
function lowerSteps(stmts: readonly Stmt[]): Step[] {
  const out: Step[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    switch (s.type) {
      case 'do':
        out.push({ op: 'call', tool: s.tool, args: s.args.map(lowerArg), bind: s.bind, loc: locOf(s) });
        break;
      case 'make':
        out.push({ op: 'make', bind: s.bind, type: s.artifact, inputs: s.inputs.map(ref), instructions: s.instructions.map(instructionText), loc: locOf(s) });
        break;
      case 'check':
        out.push({ op: 'check', cond: lowerCond(s.cond), text: printCond(s.cond), loc: locOf(s) });
        break;
      case 'return':
        out.push({ op: 'return', value: lowerValue(s.value), loc: locOf(s) });
        break;
      case 'if': {
        const then = lowerSteps(s.body);
        out.push({ op: 'if', cond: lowerCond(s.cond), text: printCond(s.cond), then, loc: locOf(s) });
        break;
      }
      case 'for': {
        const body = lowerSteps(s.body);
        out.push({ op: 'for', var: s.variable, iter: ref(s.iter), body, loc: locOf(s) });
        break;
      }
      case 'header':
      case 'goal':
      case 'rules':
      case 'confirm':
      case 'shell':
      case 'need':
      case 'budget':
        break;
      default: {
        // Every statement type is one of the above: a new one is a type error here.
        const unknown: never = s;
        throw new Error(`lowering has no case for ${(unknown as Stmt).type}`);
      }
    }
  }
  return out;
}

export function lower(doc: DocumentNode, source?: { path: string; sha256: string }): IRDocument | null {
  const header = doc.body.find((s): s is Extract<Stmt, { type: 'header' }> => s.type === 'header');
  if (!header) return null;
  const kind = header.keyword === 'policy' ? 'policy' : 'task';
  const goal = doc.body.find((s): s is Extract<Stmt, { type: 'goal' }> => s.type === 'goal');
  const use: Rule[] = [];
  const deny: Rule[] = [];
  const confirm: Rule[] = [];
  const needs: Need[] = [];
  const shells: string[] = [];
  const budget: IRDocument['budget'] = {};
  const seen = { use: new Set<string>(), deny: new Set<string>(), confirm: new Set<string>() };
  const add = (list: Rule[], set: Set<string>, r: RuleNode, at?: RuleNode['pos']) => {
    const l = lowerRule(r);
    if (l && at) l.loc = { line: at.line, column: at.column };
    if (l && !set.has(r.text)) {
      set.add(r.text);
      list.push(l);
    }
  };
  for (const s of doc.body) {
    if (s.type === 'rules') {
      if (s.keyword === 'deny') s.rules.forEach((r) => add(deny, seen.deny, r));
      else if (kind === 'policy' || s.keyword === 'use') s.rules.forEach((r) => add(use, seen.use, r));
    } else if (s.type === 'confirm') {
      add(confirm, seen.confirm, s.rule, s.pos);
    } else if (s.type === 'shell') {
      for (const t of s.tools) if (!shells.includes(t.name) && /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/.test(t.name)) shells.push(t.name);
    } else if (s.type === 'need' && kind === 'task') {
      const type = lowerType(s.typeNode);
      if (type && /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.name) && !needs.some((n) => n.name === s.name)) {
        needs.push({ name: s.name, type, optional: s.typeNode.optional > 0, loc: { line: s.pos.line, column: s.pos.column } });
      }
    } else if (s.type === 'budget') {
      for (const it of s.items) {
        if (it.value !== null && Number.isSafeInteger(it.value) && it.value >= 0 && !/[.eE]/.test(it.raw)) budget[it.key] = it.value;
      }
    }
  }
  // `calls` first, then the other keys in source order (the formatter's order too).
  const orderedBudget: IRDocument['budget'] = {};
  if (budget.calls !== undefined) orderedBudget.calls = budget.calls;
  for (const [k, v] of Object.entries(budget)) if (k !== 'calls') orderedBudget[k] = v;
  const ir: IRDocument = {
    irVersion: IR_VERSION,
    kind,
    name: header.name,
    version: header.version.replace(/^v/, ''),
    goal: goal?.value ?? '',
    ...(source ? { source } : {}),
    permissions: { use, deny, confirm },
    needs,
    budget: orderedBudget,
    steps: kind === 'task' ? lowerSteps(doc.body) : [],
  };
  // The lowest version that expresses the document: an AEX 1 document's IR is unchanged.
  return needsIRv2({ ...ir, shells }) ? asIRv2({ ...ir, shells }) : ir;
}
