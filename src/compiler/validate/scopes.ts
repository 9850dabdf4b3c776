import type { CondNode, Pos, RefNode, Stmt, ValueNode } from '../ast.js';
import type { ValidationContext, ValidationRule } from './context.js';

interface Binding {
  kind: 'need' | 'bind' | 'loop';
  /** Declared type of a need (for AEX041). */
  base?: string;
}
/** The names bound in one block; null until the block binds one. */
type Frame = Map<string, Binding> | null;

// Bindings of steps and loop variables carry nothing but their kind: one object each.
const BIND: Binding = { kind: 'bind' };
const LOOP: Binding = { kind: 'loop' };

function lookup(scopes: Frame[], name: string): Binding | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const b = scopes[i]?.get(name);
    if (b) return b;
  }
  return undefined;
}

/**
 * Where an unknown name was found, for its message; the text is built only for a name
 * that is reported.
 */
type Where = 'argument' | 'make' | 'condition' | 'return' | 'for';

function whereText(where: Where, detail: string): string {
  switch (where) {
    case 'argument':
      return `argument "${detail}"`;
    case 'make':
      return `the inputs of make "${detail}"`;
    case 'condition':
      return 'condition';
    case 'return':
      return 'return value';
    case 'for':
      return '`for` iterable';
  }
}

/** AEX020 for a make's inputs, AEX021 for every other reference. */
function checkRef(r: RefNode, scopes: Frame[], ctx: ValidationContext, code: string, where: Where, detail: string): void {
  if (!lookup(scopes, r.name)) {
    ctx.report(code, 'error', `unknown name "${r.name}" in ${whereText(where, detail)}; declare it with \`need\` or bind it earlier`, r.pos);
  }
}

/** The references in a value, in order: the value itself, list items, object member values. */
function checkValue(v: ValueNode, scopes: Frame[], ctx: ValidationContext, where: Where, detail: string): void {
  if (v.kind === 'ref') checkRef(v, scopes, ctx, 'AEX021', where, detail);
  else if (v.kind === 'list') for (let i = 0; i < v.items.length; i++) checkValue(v.items[i]!, scopes, ctx, where, detail);
  else if (v.kind === 'object') for (let i = 0; i < v.members.length; i++) checkValue(v.members[i]!.value, scopes, ctx, where, detail);
}

/** A condition's subject, then the references in what it is tested against. */
function checkCond(c: CondNode, scopes: Frame[], ctx: ValidationContext): void {
  checkRef(c.subject, scopes, ctx, 'AEX021', 'condition', '');
  if (c.op === 'has' || c.op === 'not_includes') checkValue(c.needle, scopes, ctx, 'condition', '');
  else if (c.op === 'touches_only') checkValue(c.allowed, scopes, ctx, 'condition', '');
}

/**
 * Lexical scopes (docs/design.md#runtime-semantics): AEX020/AEX021 unknown names, AEX023 rebinding in one
 * scope, AEX024 shadowing, AEX041 `for` over a need that is not a list or json.
 * Binds are visible from the statement after them to the end of their block.
 */
export const scopesRule: ValidationRule = {
  name: 'scopes',
  run(ctx) {
    if (ctx.kind !== 'task') return;
    const top = new Map<string, Binding>();
    for (const n of ctx.needs) {
      if (!top.has(n.name)) top.set(n.name, { kind: 'need', base: n.typeNode.base });
    }
    checkBlock(ctx.doc.body, [top], ctx);
  },
};

function declare(name: string, pos: Pos, kind: 'bind' | 'loop', scopes: Frame[], ctx: ValidationContext) {
  let current = scopes[scopes.length - 1]!;
  const existing = lookup(scopes, name);
  if (existing?.kind === 'need') {
    ctx.report('AEX024', 'error', `"${name}" shadows the input declared by \`need ${name}\``, pos);
  } else if (current?.has(name) && kind === 'bind') {
    ctx.report('AEX023', 'warning', `"${name}" is bound again in the same block; the new value replaces the old`, pos);
  } else if (existing) {
    ctx.report('AEX024', 'error', `"${name}" shadows a name from an enclosing block`, pos);
  }
  if (current === null) scopes[scopes.length - 1] = current = new Map();
  current.set(name, kind === 'bind' ? BIND : LOOP);
}

/**
 * Checks every statement's names against the scopes open where it stands, in document
 * order, each statement before the block it holds; each block opens one scope.
 */
function checkBlock(stmts: readonly Stmt[], scopes: Frame[], ctx: ValidationContext): void {
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    switch (s.type) {
      case 'do':
        for (let k = 0; k < s.args.length; k++) {
          const a = s.args[k]!;
          checkValue(a.value, scopes, ctx, 'argument', a.name);
        }
        if (s.bind) declare(s.bind, s.bindPos ?? s.pos, 'bind', scopes, ctx);
        break;
      case 'make':
        for (let k = 0; k < s.inputs.length; k++) checkRef(s.inputs[k]!, scopes, ctx, 'AEX020', 'make', s.bind);
        declare(s.bind, s.bindPos, 'bind', scopes, ctx);
        break;
      case 'check':
        checkCond(s.cond, scopes, ctx);
        break;
      case 'return':
        checkValue(s.value, scopes, ctx, 'return', '');
        break;
      case 'if':
        checkCond(s.cond, scopes, ctx);
        scopes.push(null);
        checkBlock(s.body, scopes, ctx);
        scopes.pop();
        break;
      case 'for': {
        checkRef(s.iter, scopes, ctx, 'AEX021', 'for', '');
        const b = lookup(scopes, s.iter.name);
        if (b?.kind === 'need' && s.iter.path.length === 0 && b.base !== 'list' && b.base !== 'json') {
          ctx.report('AEX041', 'error', `\`for\` needs a list, but "${s.iter.name}" is declared as ${b.base}`, s.iter.pos);
        }
        const existing = lookup(scopes, s.variable);
        if (existing?.kind === 'need') ctx.report('AEX024', 'error', `loop variable "${s.variable}" shadows the input declared by \`need ${s.variable}\``, s.varPos);
        else if (existing) ctx.report('AEX024', 'error', `loop variable "${s.variable}" shadows a name from an enclosing block`, s.varPos);
        const frame = new Map<string, Binding>();
        frame.set(s.variable, LOOP);
        scopes.push(frame);
        checkBlock(s.body, scopes, ctx);
        scopes.pop();
        break;
      }
    }
  }
}
