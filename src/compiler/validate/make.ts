import type { ValidationRule } from './context.js';

/** AEX043 `make` without instruction lines. */
export const makeRule: ValidationRule = {
  name: 'make',
  run(ctx) {
    for (const s of ctx.statementsOf('make')) {
      if (s.instructions.length === 0) {
        ctx.report('AEX043', 'warning', `make "${s.bind}" has no instructions; add indented \`- text\` lines`, s.pos);
      }
    }
  },
};
