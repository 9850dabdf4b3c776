import type { Stmt, StmtType } from '../ast.js';
import type { ValidationContext, ValidationRule } from './context.js';

/** Statements that may follow a `return` without being unreachable steps. */
const NOT_STEPS = new Set<StmtType>(['header', 'goal', 'rules', 'confirm', 'need', 'budget']);

/**
 * AEX025 once per block: the first statement after a `return` in the same block. The
 * rest of that block, nested blocks included, is not looked at.
 */
function reportUnreachable(stmts: readonly Stmt[], ctx: ValidationContext): void {
  let returned = false;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    if (returned && !NOT_STEPS.has(s.type)) {
      ctx.report('AEX025', 'warning', 'unreachable statement after `return`', s.pos);
      return;
    }
    if (s.type === 'return') returned = true;
    // A nested block starts with nothing returned in it.
    else if (s.type === 'if' || s.type === 'for') reportUnreachable(s.body, ctx);
  }
}

/** AEX003 task without `return`, AEX025 unreachable statements after `return`. */
export const returnsRule: ValidationRule = {
  name: 'returns',
  run(ctx) {
    if (ctx.kind !== 'task') return;
    if (ctx.statementsOf('return').length === 0) ctx.report('AEX003', 'error', 'a task must contain at least one `return`', ctx.header!.pos);
    reportUnreachable(ctx.doc.body, ctx);
  },
};
