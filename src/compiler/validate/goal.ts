import type { ValidationRule } from './context.js';

/** AEX002 missing goal, AEX006 more than one. */
export const goalRule: ValidationRule = {
  name: 'goal',
  run(ctx) {
    const goals = ctx.doc.body.filter((s) => s.type === 'goal');
    if (goals.length === 0) {
      if (ctx.header) ctx.report('AEX002', 'error', 'missing goal: add `goal "what this is for"`', ctx.header.pos);
      else ctx.report('AEX002', 'error', 'missing goal: add `goal "what this is for"`', { line: 1, column: 1 });
    }
    for (const g of goals.slice(1)) ctx.report('AEX006', 'error', 'more than one goal; a document has exactly one', g.pos);
  },
};
