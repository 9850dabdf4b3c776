import type { Expr, IRDocument, Step } from '../ir/types.js';
import { ruleToString, typeToString } from '../ir/types.js';
import { mapSteps, visitSteps, type StepMapper } from '../ir/visit.js';

// The legacy IR shape (docs/design.md#the-ir-contract) for consumers that still read it, without the
// `type` key that made the reference's output fail its own schema.

function exprText(e: Expr): string {
  if ('lit' in e) return typeof e.lit === 'string' ? JSON.stringify(e.lit) : String(e.lit);
  if ('ref' in e) return [e.ref, ...(e.path ?? []).map(String)].join('.');
  if ('list' in e) return `[${e.list.map(exprText).join(', ')}]`;
  return `{${e.object.map((m) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(m.key) ? m.key : JSON.stringify(m.key)}: ${exprText(m.value)}`).join(', ')}}`;
}

type StepV0 = Record<string, unknown>;

const STEP_V0: StepMapper<StepV0> = {
  call(s) {
    const out: StepV0 = { op: 'call', tool: s.tool, args: Object.fromEntries(s.args.map((a) => [a.name, exprText(a.value)])) };
    if (s.bind) out.bind = s.bind;
    return out;
  },
  make: (s) => ({ op: 'make', bind: s.bind, type: s.type, inputs: s.inputs.map(exprText), instructions: s.instructions }),
  check: (s) => ({ op: 'check', condition: s.text }),
  return: (s) => ({ op: 'return', value: exprText(s.value) }),
  if: (s, steps) => ({ op: 'if', condition: s.text, steps }),
  for: (s, steps) => ({ op: 'for', variable: s.var, iterable: exprText(s.iter), steps }),
};

/** The value of the last `return` in document order, nested ones included. */
function lastReturn(steps: Step[]): string | undefined {
  let found: string | undefined;
  visitSteps(steps, { return: (s) => void (found = exprText(s.value)) });
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
  out.steps = [...ir.permissions.confirm.map((c) => ({ op: 'confirm', tool: ruleToString(c) })), ...mapSteps(ir.steps, STEP_V0)];
  const ret = lastReturn(ir.steps);
  if (ret !== undefined) out.return = ret;
  return out;
}
