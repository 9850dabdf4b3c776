import type { Stmt, StmtType } from '../ast.js';
import type { ValidationRule } from './context.js';
import { visitStatements } from '../visit-ast.js';

/** Statements that may follow a `return` without being unreachable steps. */
const NOT_STEPS = new Set<StmtType>(['header', 'goal', 'rules', 'confirm', 'need', 'budget']);

/**
 * AEX025 once per block: the first statement after a `return` in the same block. The
 * rest of that block, nested blocks included, is not looked at.
 */
function reportUnreachable(stmts: Stmt[], ctx: Parameters<ValidationRule['run']>[0]) {
  // Indexed by depth: the state of the innermost open block at that depth.
  const returned: boolean[] = [false];
  const reported: boolean[] = [false];
  visitStatements(stmts, {
    enter(s, depth) {
      if (reported[depth]) return false;
      if (returned[depth] && !NOT_STEPS.has(s.type)) {
        ctx.report('AEX025', 'warning', 'unreachable statement after `return`', s.pos);
        reported[depth] = true;
        return false;
      }
      if (s.type === 'return') returned[depth] = true;
      // A nested block starts with nothing returned in it.
      returned[depth + 1] = false;
      reported[depth + 1] = false;
      return undefined;
    },
  });
}

/** AEX003 task without `return`, AEX025 unreachable statements after `return`. */
export const returnsRule: ValidationRule = {
  name: 'returns',
  run(ctx) {
    if (ctx.kind !== 'task') return;
    let found = false;
    ctx.forEachStatement((s) => {
      if (s.type === 'return') found = true;
    });
    if (!found) ctx.report('AEX003', 'error', 'a task must contain at least one `return`', ctx.header!.pos);
    reportUnreachable(ctx.doc.body, ctx);
  },
};
