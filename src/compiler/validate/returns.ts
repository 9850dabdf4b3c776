import type { Stmt } from '../ast.js';
import type { ValidationRule } from './context.js';

function reportUnreachable(stmts: Stmt[], ctx: Parameters<ValidationRule['run']>[0]) {
  let returned = false;
  for (const s of stmts) {
    if (returned && s.type !== 'header' && s.type !== 'goal' && s.type !== 'rules' && s.type !== 'confirm' && s.type !== 'need' && s.type !== 'budget') {
      ctx.report('AEX025', 'warning', 'unreachable statement after `return`', s.pos);
      return;
    }
    if (s.type === 'return') returned = true;
    if (s.type === 'if' || s.type === 'for') reportUnreachable(s.body, ctx);
  }
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
