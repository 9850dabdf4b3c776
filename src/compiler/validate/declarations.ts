import type { ValidationRule } from './context.js';

const DECLARATIONS = new Set(['header', 'goal', 'rules', 'confirm', 'shell', 'need', 'budget']);

/** AEX044 `confirm before` inside a block; other declarations nested in blocks are AEX100. */
export const declarationsRule: ValidationRule = {
  name: 'declarations',
  run(ctx) {
    for (const { stmt: s, depth } of ctx.declarations) {
      if (depth === 0 || !DECLARATIONS.has(s.type)) continue;
      if (s.type === 'confirm') {
        ctx.report('AEX044', 'error', '`confirm before` is a declaration: write it at the top level; it applies to the whole run', s.pos);
      } else {
        const word = s.type === 'rules' ? s.keyword : s.type === 'header' ? s.keyword : s.type;
        ctx.report('AEX100', 'error', `"${word}" is a declaration and must be at the top level, not inside a block`, s.pos);
      }
    }
  },
};
