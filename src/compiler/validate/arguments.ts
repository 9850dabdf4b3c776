import type { ValidationRule } from './context.js';

/** AEX026 duplicate argument name in one `do`. */
export const argumentsRule: ValidationRule = {
  name: 'arguments',
  run(ctx) {
    ctx.forEachStatement((s) => {
      if (s.type !== 'do' || s.args.length < 2) return;
      const seen = new Set<string>();
      for (const a of s.args) {
        if (seen.has(a.name)) ctx.report('AEX026', 'error', `argument "${a.name}" is given twice`, a.pos);
        seen.add(a.name);
      }
    });
  },
};
