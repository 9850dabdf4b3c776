import type { Expr, IRDocument, Step } from '../ir/types.js';
import { ruleToString, typeToString } from '../ir/types.js';

// The legacy IR shape (docs/design.md#the-ir-contract) for consumers that still read it, without the
// `type` key that made the reference's output fail its own schema.

function exprText(e: Expr): string {
  if ('lit' in e) return typeof e.lit === 'string' ? JSON.stringify(e.lit) : String(e.lit);
  if ('ref' in e) return [e.ref, ...(e.path ?? []).map(String)].join('.');
  if ('list' in e) return `[${e.list.map(exprText).join(', ')}]`;
  return `{${e.object.map((m) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(m.key) ? m.key : JSON.stringify(m.key)}: ${exprText(m.value)}`).join(', ')}}`;
}

function stepV0(s: Step): Record<string, unknown> {
  switch (s.op) {
    case 'call': {
      const out: Record<string, unknown> = { op: 'call', tool: s.tool, args: Object.fromEntries(s.args.map((a) => [a.name, exprText(a.value)])) };
      if (s.bind) out.bind = s.bind;
      return out;
    }
    case 'make':
      return { op: 'make', bind: s.bind, type: s.type, inputs: s.inputs.map(exprText), instructions: s.instructions };
    case 'check':
      return { op: 'check', condition: s.text };
    case 'return':
      return { op: 'return', value: exprText(s.value) };
    case 'if':
      return { op: 'if', condition: s.text, steps: s.then.map(stepV0) };
    case 'for':
      return { op: 'for', variable: s.var, iterable: exprText(s.iter), steps: s.body.map(stepV0) };
  }
}

function lastReturn(steps: Step[]): string | undefined {
  let found: string | undefined;
  for (const s of steps) {
    if (s.op === 'return') found = exprText(s.value);
    else if (s.op === 'if') found = lastReturn(s.then) ?? found;
    else if (s.op === 'for') found = lastReturn(s.body) ?? found;
  }
  return found;
}

export function toIRv0(ir: IRDocument): Record<string, unknown> {
  const out: Record<string, unknown> = {
    version: ir.version,
    agent: ir.name,
    goal: ir.goal,
    permissions: { use: ir.permissions.use.map(ruleToString), deny: ir.permissions.deny.map(ruleToString) },
    needs: Object.fromEntries(ir.needs.map((n) => [n.name, typeToString(n.type) + (n.optional ? '?' : '')])),
  };
  const budget = Object.fromEntries(Object.entries(ir.budget).filter(([, v]) => v !== undefined));
  if (Object.keys(budget).length) out.budget = budget;
  out.steps = [...ir.permissions.confirm.map((c) => ({ op: 'confirm', tool: ruleToString(c) })), ...ir.steps.map(stepV0)];
  const ret = lastReturn(ir.steps);
  if (ret !== undefined) out.return = ret;
  return out;
}
