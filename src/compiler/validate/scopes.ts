import type { CondNode, Pos, RefNode, Stmt, ValueNode } from '../ast.js';
import type { ValidationContext, ValidationRule } from './context.js';
import { visitStatements } from '../visit-ast.js';

interface Binding {
  kind: 'need' | 'bind' | 'loop';
  /** Declared type of a need (for AEX041). */
  base?: string;
}
type Frame = Map<string, Binding>;

function lookup(scopes: Frame[], name: string): Binding | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const b = scopes[i]!.get(name);
    if (b) return b;
  }
  return undefined;
}

function refsOf(v: ValueNode, out: RefNode[]): RefNode[] {
  if (v.kind === 'ref') out.push(v);
  else if (v.kind === 'list') v.items.forEach((x) => refsOf(x, out));
  else if (v.kind === 'object') v.members.forEach((m) => refsOf(m.value, out));
  return out;
}

function condRefs(c: CondNode): RefNode[] {
  const out: RefNode[] = [c.subject];
  if (c.op === 'has' || c.op === 'not_includes') refsOf(c.needle, out);
  if (c.op === 'touches_only') refsOf(c.allowed, out);
  return out;
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
    const top: Frame = new Map();
    for (const n of ctx.needs) {
      if (!top.has(n.name)) top.set(n.name, { kind: 'need', base: n.typeNode.base });
    }
    checkBlock(ctx.doc.body, [top], ctx);
  },
};

function checkRefs(refs: RefNode[], scopes: Frame[], ctx: ValidationContext, code = 'AEX021', what = 'reference') {
  for (const r of refs) {
    if (!lookup(scopes, r.name)) {
      ctx.report(code, 'error', `unknown name "${r.name}" in ${what}; declare it with \`need\` or bind it earlier`, r.pos);
    }
  }
}

function declare(name: string, pos: Pos, kind: 'bind' | 'loop', scopes: Frame[], ctx: ValidationContext) {
  const current = scopes[scopes.length - 1]!;
  const existing = lookup(scopes, name);
  if (existing?.kind === 'need') {
    ctx.report('AEX024', 'error', `"${name}" shadows the input declared by \`need ${name}\``, pos);
  } else if (current.has(name) && kind === 'bind') {
    ctx.report('AEX023', 'warning', `"${name}" is bound again in the same block; the new value replaces the old`, pos);
  } else if (existing) {
    ctx.report('AEX024', 'error', `"${name}" shadows a name from an enclosing block`, pos);
  }
  current.set(name, { kind });
}

/** Checks every statement's names against the scopes open where it stands; each block opens one. */
function checkBlock(stmts: Stmt[], scopes: Frame[], ctx: ValidationContext) {
  const closeScope = () => {
    scopes.pop();
  };
  visitStatements(stmts, {
    do(s) {
      for (const a of s.args) checkRefs(refsOf(a.value, []), scopes, ctx, 'AEX021', `argument "${a.name}"`);
      if (s.bind) declare(s.bind, s.bindPos ?? s.pos, 'bind', scopes, ctx);
    },
    make(s) {
      checkRefs(s.inputs, scopes, ctx, 'AEX020', `the inputs of make "${s.bind}"`);
      declare(s.bind, s.bindPos, 'bind', scopes, ctx);
    },
    check(s) {
      checkRefs(condRefs(s.cond), scopes, ctx, 'AEX021', 'condition');
    },
    return(s) {
      checkRefs(refsOf(s.value, []), scopes, ctx, 'AEX021', 'return value');
    },
    if: {
      enter(s) {
        checkRefs(condRefs(s.cond), scopes, ctx, 'AEX021', 'condition');
        scopes.push(new Map());
      },
      leave: closeScope,
    },
    for: {
      enter(s) {
        checkRefs([s.iter], scopes, ctx, 'AEX021', '`for` iterable');
        const b = lookup(scopes, s.iter.name);
        if (b?.kind === 'need' && s.iter.path.length === 0 && b.base !== 'list' && b.base !== 'json') {
          ctx.report('AEX041', 'error', `\`for\` needs a list, but "${s.iter.name}" is declared as ${b.base}`, s.iter.pos);
        }
        const existing = lookup(scopes, s.variable);
        if (existing?.kind === 'need') ctx.report('AEX024', 'error', `loop variable "${s.variable}" shadows the input declared by \`need ${s.variable}\``, s.varPos);
        else if (existing) ctx.report('AEX024', 'error', `loop variable "${s.variable}" shadows a name from an enclosing block`, s.varPos);
        scopes.push(new Map([[s.variable, { kind: 'loop' }]]));
      },
      leave: closeScope,
    },
  });
}
